"""Browser tests: Playwright driving Debian's Chromium against a live Polku server.

Run with ``make browser-test`` (``.ci/run`` installs Chromium with apt first).
They are marked ``browser`` and left out of ``make test``, which must run on any
machine without a browser.
"""

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import OrganisationFactory, UserFactory
from polku.clients.models import CareAssignment, Client
from polku.clients.tests.factories import ClientFactory, ConsentFactory
from tests.matrix import World
from tests.test_access_matrix import OBJECT_BUILDERS

# Playwright's sync API runs an event loop in the test thread; the tests themselves
# only prepare data, so Django's async-safety guard does not apply to them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Selain-testi-2026"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
LANGUAGES = ("fi", "sv", "en")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium not found: install Debian's chromium (make browser-test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        yield browser
        browser.close()


@dataclass
class Site:
    """The live server with a small organisation: a coach, a lead coach and their clients,
    plus one object of every kind the access matrix knows (``ids``) and a worker who
    holds every caseworking role (``all_roles``), so every page can be opened."""

    url: str
    organisation: Organisation
    coach: User
    lead: User
    all_roles: User
    client: Client
    world: World

    @property
    def ids(self) -> dict[str, int]:
        return self.world.ids


# The manager role is included for its own pages (goals, partner agreements); the
# administrator works only in /admin/.
WORKING_ROLES = [role for role in Role if role != Role.ADMINISTRATOR]


@pytest.fixture
def site(live_server: object, django_db_serialized_rollback: None) -> Site:
    """Data migrations' rows (the default share-list profile) are restored after the
    flush that ends each live-server test, hence the serialized rollback."""
    organisation = OrganisationFactory.create(slug="esimerkkila", name="Esimerkkilän kunta")
    coach = UserFactory.create(
        username="valmentaja",
        first_name="Ville",
        last_name="Valmentaja",
        memberships=[(organisation, Role.PERSONAL_COACH)],
    )
    lead = UserFactory.create(
        username="vastaava",
        first_name="Vilma",
        last_name="Vastaava",
        memberships=[(organisation, Role.LEAD_COACH)],
    )
    all_roles = UserFactory.create(
        username="kaikki",
        first_name="Kaija",
        last_name="Kaikkityö",
        memberships=[(organisation, role) for role in WORKING_ROLES],
    )
    for user in (coach, lead, all_roles):
        prepare_sign_in(user)
    client = ClientFactory.create(
        organisation=organisation,
        responsible_worker=coach,
        first_names="Aino",
        last_name="Esimerkki",
        phone="040 123 4567",
    )
    ConsentFactory.create(client=client)
    ClientFactory.create_batch(5, organisation=organisation, responsible_worker=coach)
    CareAssignment.objects.create(
        client=client,
        worker=all_roles,
        basis=CareAssignment.Basis.LIST,
        started_on=timezone.localdate(),
    )
    world = World(organisation=organisation, client=client, worker=coach).build(OBJECT_BUILDERS)
    return Site(
        url=str(live_server),
        organisation=organisation,
        coach=coach,
        lead=lead,
        all_roles=all_roles,
        client=client,
        world=world,
    )


def new_context(
    browser: Browser, site: Site, language: str = "fi", **options: Any
) -> BrowserContext:
    context = browser.new_context(base_url=site.url, locale=language, **options)
    context.add_cookies([{"name": "django_language", "value": language, "url": site.url}])
    return context


def prepare_sign_in(user: User) -> None:
    """Give a test user the password and an authenticator app."""
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name="puhelin", confirmed=True)


def one_time_code(user: User) -> str:
    """The code the user's authenticator app shows now.

    Tests sign the same user in several times within one 30-second step; a real app
    could not, so the device forgets the last code it accepted.
    """
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    device.last_t = -1
    device.save(update_fields=["last_t"])
    totp = TOTP(device.bin_key, step=30, digits=6)
    totp.time = timezone.now().timestamp()
    return f"{totp.token():06d}"


def log_in(page: Page, user: User) -> None:
    """Password, then the code from the authenticator app, as a person does it."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/second-factor/**")
    page.locator("input[name=token]").fill(one_time_code(user))
    page.locator("input[name=token]").press("Enter")
    page.wait_for_load_state()
    assert "/accounts/" not in page.url, "sign-in failed"


@pytest.fixture
def coach_page(browser: Browser, site: Site) -> Iterator[Page]:
    context = new_context(browser, site)
    page = context.new_page()
    log_in(page, site.coach)
    yield page
    context.close()
