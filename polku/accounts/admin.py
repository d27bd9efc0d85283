from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import DataSharingAgreement, Membership, Organisation, User


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
