from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts import services
from polku.accounts.models import ApiToken, DataSharingAgreement, Membership, Organisation, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    inlines = [MembershipInline]
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Kertakirjautuminen"), {"fields": ("oidc_subject",)}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "slug", "kind")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(DataSharingAgreement)
class DataSharingAgreementAdmin(admin.ModelAdmin[DataSharingAgreement]):
    list_display = ("provider", "recipient", "valid_from", "valid_until")
    list_filter = ("provider", "recipient")


# django-otp's own admin shows each device's secret key and QR code and lets the
# administrator add a device for anyone, which would take over that person's second
# factor. The administrator sees no client data and no keys: only who has a device, and
# a reset (with its reason, in the change history) so the user enrols again.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
del otp_totp_admin


class ResetReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Syy"),
        max_length=500,
        help_text=_("Esimerkiksi: puhelin vaihtui, pyyntö tiketillä 1234."),
    )


@admin.register(TOTPDevice)
class SecondFactorDeviceAdmin(admin.ModelAdmin[TOTPDevice]):
    list_display = ("user", "name", "confirmed")
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed")
    readonly_fields = ("user", "name", "confirmed")
    actions = ["reset_second_factor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_reset_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("otp_totp.delete_totpdevice"))

    @admin.action(description=_("Nollaa kaksivaiheinen tunnistautuminen"), permissions=["reset"])
    def reset_second_factor(
        self, request: HttpRequest, queryset: QuerySet[TOTPDevice]
    ) -> HttpResponse | None:
        devices = list(queryset.select_related("user"))
        users = list({device.user_id: device.user for device in devices}.values())
        form = ResetReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            now = timezone.now()
            for user in users:
                services.second_factor_reset(
                    user=user,
                    administrator=request.user,  # type: ignore[arg-type]
                    reason=form.cleaned_data["reason"],
                    now=now,
                )
            done = _("Nollattu: %(count)d käyttäjää.") % {"count": len(users)}
            self.message_user(request, done, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nollaa kaksivaiheinen tunnistautuminen"),
            "form": form,
            "users": users,
            "devices": devices,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return render(request, "admin/otp_totp/reset_second_factor.html", context)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """The REST API tokens: who, when made, until when, last used; revoke is the one act."""

    list_display = (
        "prefix",
        "user",
        "organisation",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("organisation",)
    search_fields = ("=prefix", "user__username")
    fields = list_display
    readonly_fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made with `manage.py api_token`, which shows the token once

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # a revoked token stays, for the history

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("accounts.delete_apitoken"))

    @admin.action(description=_("Peru valitut API-avaimet"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        now = timezone.now()
        revoked = sum(
            services.api_token_revoke(token=token, revoked_by=request.user, now=now)  # type: ignore[arg-type]
            for token in queryset
        )
        done = _("Peruttu: %(count)d API-avainta.") % {"count": revoked}
        self.message_user(request, done, messages.SUCCESS)
