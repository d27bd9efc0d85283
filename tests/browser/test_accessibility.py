"""Every page in Finnish, Swedish and English: zero axe-core WCAG 2.1 A/AA violations,
no horizontal scrolling on a 768 px tablet or at 200 % zoom, keyboard focus visible.

The pages are every GET URL of the access matrix (so a new page is checked as soon
as it is added there), opened as a worker who holds every caseworking role.
"""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Browser, Page

from tests.browser.conftest import LANGUAGES, SCREENSHOTS, Site, log_in, new_context
from tests.matrix import ANYONE
from tests.test_access_matrix import PAGES

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# Downloads (PDF, XLSX, iCalendar), JSON answers and redirects are not pages to check.
NOT_PAGES = {
    "home",
    "health",
    "monitoring:monthly_pdf",
    "monitoring:monthly_xlsx",
    "clients:access_report",
    "clients:data_export",
    "plans:print",
    "referrals:calendar_ics",
    "referrals:feed",
    "referrals:summary_pdf",
    "services:certificate",
    "services:claim_pdf",
    "services:claim_xlsx",
    "sharelist:import_report",
    "sharelist:import_progress",  # a fragment htmx polls; opened as a page it redirects
    "sharelist:letter",
    "employment:claim_pdf",
    "employment:claim_xlsx",
    "ktt:allocation_pdf",
    "ktt:allocation_xlsx",
    "ktt:evaluation_pdf",
    "exports:download",
    "exports:progress",  # a fragment htmx polls; opened as a page it redirects
}
ANONYMOUS = {"accounts:login", "accessibility"}
CHECKED = sorted(
    name for name, page in PAGES.items() if page.method == "get" and name not in NOT_PAGES
)


def _path(site: Site, name: str) -> str:
    return reverse(name, kwargs=PAGES[name].url_kwargs(site.world, site.all_roles))


def _open(browser: Browser, site: Site, name: str, language: str, **options: Any) -> Page:
    page = new_context(browser, site, language, **options).new_page()
    if name not in ANONYMOUS:
        log_in(page, site.all_roles)
    response = page.goto(_path(site, name))
    assert response is not None
    assert response.status == 200, (name, response.status)
    assert response.headers["content-type"].startswith("text/html"), name
    styled = "[...document.styleSheets].some(sheet => sheet.cssRules.length > 0)"
    assert page.evaluate(styled), "the stylesheet did not load"
    return page


def _violations(page: Page) -> list[str]:
    result = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{violation['id']}: {node['target']}"
        for violation in result.response["violations"]
        for node in violation["nodes"]
    ]


WIDER_THAN_THE_WINDOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.querySelectorAll("body *")]
    .filter((element) => element.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map((element) => `${element.tagName}.${element.className}`);
}"""


def _scrolls_sideways(page: Page) -> list[str]:
    """The first elements that reach past the window's right edge, if the page scrolls."""
    wider: list[str] = page.evaluate(WIDER_THAN_THE_WINDOW)
    return wider


def test_every_get_page_of_the_matrix_is_checked_or_named_a_download() -> None:
    assert PAGES["accounts:login"].capability is ANYONE
    assert set(PAGES) >= NOT_PAGES


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", CHECKED)
def test_page_has_no_wcag_violations(
    browser: Browser, site: Site, name: str, language: str
) -> None:
    page = _open(browser, site, name, language)

    assert page.locator("html").get_attribute("lang") == language
    assert _violations(page) == []
    if language == "fi":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name.replace(':', '-')}.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize("name", CHECKED)
def test_page_fits_a_tablet_and_200_percent_zoom(browser: Browser, site: Site, name: str) -> None:
    tablet = _open(browser, site, name, "fi", viewport={"width": 768, "height": 1024})
    # 200 % zoom of a 1280 px window lays the page out in 640 CSS pixels.
    zoomed = _open(
        browser, site, name, "fi", viewport={"width": 640, "height": 400}, device_scale_factor=2
    )

    assert _scrolls_sideways(tablet) == [], "horizontal scrolling at 768 px"
    assert _scrolls_sideways(zoomed) == [], "horizontal scrolling at 200 % zoom"
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
