from django.urls import reverse

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.clients.models import Client


def test_administrator_searches_the_access_log_by_client_id_but_cannot_change_it(
    organisation: Organisation, coach: User, coach_client: Client
) -> None:
    admin_user = UserFactory.create(
        username="admin",
        is_staff=True,
        is_superuser=True,
        memberships=[(organisation, Role.ADMINISTRATOR)],
    )
    http = logged_in(coach)
    http.get(reverse("clients:detail", kwargs={"client_id": coach_client.pk}))
    admin = logged_in(admin_user)

    found = admin.get(reverse("admin:audit_accesslogentry_changelist"), {"q": coach_client.pk})

    assert found.status_code == 200
    assert "clients:detail" in found.content.decode()
    assert coach_client.last_name not in found.content.decode()
    assert admin.get(reverse("admin:audit_accesslogentry_add")).status_code == 403
