"""Pages work under Polku's content security policy (no inline scripts or styles, nothing
from elsewhere): the interactive API docs, whose Swagger UI comes from our own static
files, and the pages built on base.html, which load htmx.

Both keep the database's serialized contents, like every browser test (``site``): a
transactional test without it lets the flush after it re-create the content types, and
the next test that restores the serialized contents collides with them."""

from typing import Any

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

WATCH_VIOLATIONS = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " event => window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));"
)


def _watched_page(browser: Browser, url: str, problems: list[str]) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=url)
    page = context.new_page()
    page.add_init_script(WATCH_VIOLATIONS)
    page.on("console", lambda message: _note_error(message, problems))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return context, page


def test_api_docs__render_every_operation_with_no_csp_violation_or_outside_request(
    browser: Browser, live_server: Any, django_db_serialized_rollback: None
) -> None:
    problems: list[str] = []
    requested: list[str] = []
    context, page = _watched_page(browser, live_server.url, problems)
    page.on("request", lambda request: requested.append(request.url))

    response = page.goto("/api/v1/docs")
    page.locator(".swagger-ui .info .title", has_text="Polku API").wait_for()
    page.locator(".opblock").first.wait_for()

    assert response is not None
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert page.locator(".opblock").count() > 30  # every operation of openapi.json
    assert page.evaluate("window.__violations") == []
    assert problems == []
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    context.close()


def test_a_page_with_htmx__loads_it_without_an_inline_style(
    browser: Browser, live_server: Any, django_db_serialized_rollback: None
) -> None:
    problems: list[str] = []
    context, page = _watched_page(browser, live_server.url, problems)

    page.goto("/accounts/login/")
    page.wait_for_function("typeof htmx !== 'undefined' && htmx.version.startsWith('2.')")
    page.wait_for_load_state("networkidle")

    assert page.evaluate("window.__violations") == []
    assert [problem for problem in problems if "Content Security Policy" in problem] == []
    context.close()


def _note_error(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type == "error":
        problems.append(message.text)
