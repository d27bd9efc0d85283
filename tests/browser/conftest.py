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
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import OrganisationFactory, UserFactory
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory, ConsentFactory

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
    """The live server with a small organisation: a coach, a lead coach and their clients."""

    url: str
    organisation: Organisation
    coach: User
    lead: User
    client: Client


@pytest.fixture
def site(live_server: object, transactional_db: None) -> Site:
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
    for user in (coach, lead):
        user.set_password(PASSWORD)
        user.save()
    client = ClientFactory.create(
        organisation=organisation,
        responsible_worker=coach,
        first_names="Aino",
        last_name="Esimerkki",
        phone="040 123 4567",
    )
    ConsentFactory.create(client=client)
    ClientFactory.create_batch(5, organisation=organisation, responsible_worker=coach)
    return Site(
        url=str(live_server), organisation=organisation, coach=coach, lead=lead, client=client
    )


def new_context(
    browser: Browser, site: Site, language: str = "fi", **options: Any
) -> BrowserContext:
    context = browser.new_context(base_url=site.url, locale=language, **options)
    context.add_cookies([{"name": "django_language", "value": language, "url": site.url}])
    return context


def log_in(page: Page, user: User) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "login failed"


@pytest.fixture
def coach_page(browser: Browser, site: Site) -> Iterator[Page]:
    context = new_context(browser, site)
    page = context.new_page()
    log_in(page, site.coach)
    yield page
    context.close()
