"""Each demo role lands on its own work after signing in, and its main menu offers only
pages it may open (issue 17.3)."""

import re

import pytest
from django.urls import reverse

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.demo.management.commands.demo import DEMO_USERS

EXPECTED_LANDING = {
    Role.SOCIAL_COUNSELLOR: "reports:worklist",
    Role.PERSONAL_COACH: "reports:worklist",
    Role.LEAD_COACH: "reports:worklist",
    Role.OUTREACH_YOUTH_WORKER: "reports:worklist",
    Role.WORK_COACH: "services:index",
    Role.PLACEMENT_SUPERVISOR: "services:index",
    Role.OFFICE_CLERK: "services:allowance_list",
    Role.BUSINESS_COORDINATOR: "employment:employer_list",
    Role.MANAGER: "monitoring:monthly",
    Role.ADMINISTRATOR: "admin:index",
}
MENU = re.compile(r'<nav aria-label="Päävalikko"[^>]*>(.*?)</nav>', re.S)


def _demo_user(organisation: Organisation, username: str, role: Role) -> User:
    user = UserFactory.create(username=username, memberships=[(organisation, role)])
    user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
    user.save()
    return user


@pytest.mark.parametrize(("username", "role"), [(user[0], user[3]) for user in DEMO_USERS])
def test_each_demo_role_lands_on_its_own_work(
    organisation: Organisation, username: str, role: Role
) -> None:
    http = logged_in(_demo_user(organisation, username, role))
    response = http.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(EXPECTED_LANDING[role])
    assert http.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(("username", "role"), [(user[0], user[3]) for user in DEMO_USERS])
def test_no_menu_link_answers_403(organisation: Organisation, username: str, role: Role) -> None:
    http = logged_in(_demo_user(organisation, username, role))
    page = http.get(reverse("home"), follow=True)
    menu = MENU.search(page.content.decode())
    if role == Role.ADMINISTRATOR:  # the admin site has its own navigation
        assert menu is None
        return
    assert menu is not None
    links = re.findall(r'href="([^"]+)"', menu.group(1))
    assert links
    for link in links:
        assert http.get(link).status_code == 200, link


def test_managers_menu_leaves_out_client_work(organisation: Organisation) -> None:
    http = logged_in(_demo_user(organisation, "esihenkilo", Role.MANAGER))
    page = http.get(reverse("monitoring:monthly")).content.decode()
    menu = MENU.search(page)
    assert menu is not None
    assert reverse("clients:list") not in menu.group(1)
    assert reverse("reports:worklist") not in menu.group(1)
    assert 'aria-current="page"' in menu.group(1)


def test_password_sign_in_goes_to_the_roles_start_page(organisation: Organisation) -> None:
    user = _demo_user(organisation, "esihenkilo", Role.MANAGER)
    user.set_password("Pitkä-salasana-2026")
    user.save()
    http = logged_in(user)
    http.logout()
    response = http.post(
        reverse("accounts:login"), {"username": "esihenkilo", "password": "Pitkä-salasana-2026"}
    )
    assert response["Location"] == reverse("home")


def test_language_menu_names_each_language_in_itself(coach: User) -> None:
    http = logged_in(coach)
    http.cookies["django_language"] = "sv"

    page = http.get(reverse("reports:worklist")).content.decode()

    assert ">English</option>" in page
    assert "Engelska" not in page
    assert ">svenska</option>" in page
