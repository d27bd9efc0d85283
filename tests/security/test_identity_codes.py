"""Identity codes (henkilötunnus) stay out of addresses, application logs and error pages.

Addresses end up in browser history, proxy logs and Referer headers, so no URL of the
access matrix, no link or form target on its pages and no redirect may carry one.
"""

import logging
import re

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django.fixtures import Settings

from conftest import logged_in
from polku.accounts.models import User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from tests.matrix import World
from tests.security.conftest import HETU, page_url
from tests.security.error_urls import FAILING_PATH
from tests.test_access_matrix import API_OPERATIONS, PAGES, _api_call, _api_client

# Every address-like attribute of a rendered page: links, forms, HTMX requests, images.
ADDRESS = re.compile(r'(?:href|action|src|hx-get|hx-post|hx-put|hx-patch|hx-delete)="([^"]*)"')
ADDRESS_HEADERS = ("Location", "HX-Redirect", "HX-Push-Url", "HX-Location", "Content-Location")


def _identifying(world: World) -> tuple[str, ...]:
    return (world.client.hetu, world.client.last_name)


def test_no_matrix_url_carries_an_identity_code(world: World, every_role: HttpClient) -> None:
    urls = [page_url(name, page, world) for name, page in PAGES.items()]
    urls += [
        path.format(**{**world.ids, **page.url_kwargs(world), "client_id": world.client.pk})
        for (_method, path), page in API_OPERATIONS.items()
    ]
    for name, page in PAGES.items():
        response = getattr(every_role, page.method)(page_url(name, page, world), page.data(world))
        urls += [response.get(header, "") for header in ADDRESS_HEADERS]
        if response.get("Content-Type", "").startswith("text/html"):
            urls += ADDRESS.findall(response.content.decode())

    assert len(urls) > 500
    assert [url for url in urls if HETU.search(url)] == []


def test_searching_by_identity_code_keeps_it_out_of_the_address(
    world: World, every_role: HttpClient
) -> None:
    for headers in ({}, {"HX-Request": "true"}):
        response = every_role.post(
            reverse("clients:list"), {"q": world.client.hetu}, headers=headers
        )

        assert response.status_code == 200
        assert all(world.client.hetu not in response.get(h, "") for h in ADDRESS_HEADERS)


def test_no_request_to_any_page_or_api_operation_logs_identity_codes_or_names(
    world: World, every_role: HttpClient, coach: User, caplog: pytest.LogCaptureFixture
) -> None:
    api = _api_client(coach, world.organisation)
    caplog.set_level(logging.DEBUG)

    for name, page in PAGES.items():
        getattr(every_role, page.method)(page_url(name, page, world), page.data(world))
    for (method, path), page in API_OPERATIONS.items():
        _api_call(api, method, path, page, world)

    assert caplog.records  # the requests did log (e.g. 4xx warnings)
    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    assert [text for text in _identifying(world) if text in logged] == []
    assert HETU.search(logged) is None


def test_error_pages_show_no_identity_code(
    world: World, stranger: User, settings: Settings
) -> None:
    colleague = UserFactory.create(
        username="ei-asiakassuhdetta", memberships=[(world.organisation, Role.PERSONAL_COACH)]
    )
    detail = reverse("clients:detail", kwargs={"client_id": world.client.pk})
    settings.ROOT_URLCONF = "tests.security.error_urls"
    failing = logged_in(colleague)
    failing.raise_request_exception = False

    pages = {
        403: logged_in(colleague).get(detail),
        404: logged_in(stranger).get(detail),
        500: failing.get(FAILING_PATH, {"hetu": world.client.hetu}),
    }

    for status, response in pages.items():
        assert response.status_code == status
        page = response.content.decode()
        assert [text for text in _identifying(world) if text in page] == [], status
        assert HETU.search(page) is None, status
