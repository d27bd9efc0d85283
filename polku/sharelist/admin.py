from django.contrib import admin

from polku.sharelist.models import ColumnMapping


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin[ColumnMapping]):
    """Kela's export layout is not public: the administrator keeps the column profiles."""

    list_display = ("name", "organisation", "description")
    list_filter = ("organisation",)
    search_fields = ("name", "description")
