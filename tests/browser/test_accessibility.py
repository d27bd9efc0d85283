"""Every page in Finnish, Swedish and English: zero axe-core WCAG 2.1 A/AA violations,
no horizontal scrolling on a 768 px tablet or at 200 % zoom, keyboard focus visible.
"""

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Browser, Page

from tests.browser.conftest import LANGUAGES, SCREENSHOTS, Site, log_in, new_context

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# Page name -> the path to open for the site's data; the user is the coach unless
# the entry names the lead coach (team pages).
PAGES: dict[str, Callable[[Site], str]] = {
    "login": lambda site: reverse("accounts:login"),
    "client_list": lambda site: reverse("clients:list"),
    "client_search": lambda site: reverse("clients:list") + "?q=Esimerkki",
    "client_detail": lambda site: reverse("clients:detail", args=[site.client.pk]),
    "client_create": lambda site: reverse("clients:create"),
    "client_edit": lambda site: reverse("clients:edit", args=[site.client.pk]),
    "consent_add": lambda site: reverse("clients:consent_add", args=[site.client.pk]),
    "worklist": lambda site: reverse("reports:worklist"),
    "team_worklist": lambda site: reverse("reports:team_worklist"),
}
LEAD_PAGES = {"team_worklist"}
ANONYMOUS_PAGES = {"login"}


def _open(browser: Browser, site: Site, name: str, language: str, **options: Any) -> Page:
    page = new_context(browser, site, language, **options).new_page()
    if name not in ANONYMOUS_PAGES:
        log_in(page, site.lead if name in LEAD_PAGES else site.coach)
    response = page.goto(PAGES[name](site))
    assert response is not None
    assert response.status == 200, (name, response.status)
    return page


def _violations(page: Page) -> list[str]:
    result = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{violation['id']}: {node['target']}"
        for violation in result.response["violations"]
        for node in violation["nodes"]
    ]


def _scrolls_sideways(page: Page) -> bool:
    return bool(
        page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_has_no_wcag_violations(
    browser: Browser, site: Site, name: str, language: str
) -> None:
    page = _open(browser, site, name, language)

    assert page.locator("html").get_attribute("lang") == language
    assert _violations(page) == []
    if language == "fi":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_fits_a_tablet_and_200_percent_zoom(browser: Browser, site: Site, name: str) -> None:
    tablet = _open(browser, site, name, "fi", viewport={"width": 768, "height": 1024})
    # 200 % zoom of a 1280 px window lays the page out in 640 CSS pixels.
    zoomed = _open(
        browser, site, name, "fi", viewport={"width": 640, "height": 400}, device_scale_factor=2
    )

    assert not _scrolls_sideways(tablet), "horizontal scrolling at 768 px"
    assert not _scrolls_sideways(zoomed), "horizontal scrolling at 200 % zoom"
    tablet.context.close()
    zoomed.context.close()


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(
    coach_page: Page, site: Site
) -> None:
    coach_page.goto(reverse("clients:list"))

    coach_page.keyboard.press("Tab")

    focused = coach_page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = coach_page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in {"none", ""}
    coach_page.keyboard.press("Enter")
    assert coach_page.evaluate("document.activeElement.id") == "main"
