"""The administrator's search of the logs: read-only, by user, client id, time and kind.

Rows show ids, never names or identity codes: the administrator sees who did what
to which record, not the client's data. Nothing here can add, change or delete.
"""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from polku.audit.models import AccessLogEntry, ChangeLogEntry, DisclosureLogEntry


class ReadOnlyLogAdmin(admin.ModelAdmin[Any]):
    date_hierarchy = "at"
    show_full_result_count = False  # a count of millions of rows on every page is slow
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(AccessLogEntry)
class AccessLogAdmin(ReadOnlyLogAdmin):
    list_display = ("at", "user", "organisation", "client_id", "kind", "channel", "view")
    list_filter = ("break_glass", "kind", "channel", "organisation")
    list_select_related = ("user", "organisation")
    search_fields = ("=client__id", "user__username", "view", "reason")


@admin.register(ChangeLogEntry)
class ChangeLogAdmin(ReadOnlyLogAdmin):
    list_display = ("at", "actor", "organisation", "event", "object_type", "object_id", "client_id")
    list_filter = ("organisation", "object_type")
    list_select_related = ("actor", "organisation")
    search_fields = ("=client__id", "actor__username", "event", "=object_id")


@admin.register(DisclosureLogEntry)
class DisclosureLogAdmin(ReadOnlyLogAdmin):
    list_display = ("at", "actor", "organisation", "client_id", "recipient_organisation")
    list_filter = ("organisation", "recipient_organisation")
    list_select_related = ("actor", "organisation", "recipient_organisation")
    search_fields = ("=client__id", "actor__username", "recipient_description")
