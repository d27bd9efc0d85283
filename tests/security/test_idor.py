"""IDOR: object ids in URLs and API paths reach only the caller's own organisation's data.

``tests/test_access_matrix.py`` already requests every client-specific page and API
operation of one organisation as a worker of another (404). This suite adds what it
does not cover:

- pages whose object is not under a client (employers, placements, groups, claims,
  import jobs, referrals in the inbox), requested by another organisation;
- URLs that mix the caller's own client with another organisation's object id (the
  classic "change the second number in the address" attack);
- the same organisation without a care relationship (policy: 403, not the record), and
  pages reached under a task (``access.policy.Task``) for a client the task does not cover;
- the API's 404 being the JSON error document, never 200 or 500.
"""

import json
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import UserFactory
from polku.clients.tests.factories import ClientFactory
from polku.reports.models import OneTimeLink
from tests.matrix import ANYONE, Page, World
from tests.security.conftest import build_world, every_role_user
from tests.test_access_matrix import API_OPERATIONS, PAGES


@pytest.fixture
def foreign_world(world: World, other_organisation: Organisation, stranger: User) -> World:
    # The matrix gives every world the same questionnaire-link token; token URLs are not
    # tested here, so the first world's link simply gets another one.
    OneTimeLink.objects.update(token_hash="0" * 64)
    return build_world(other_organisation, stranger)


def _has_object_ids(page: Page) -> bool:
    # Token URLs (calendar feed, questionnaire link) are capabilities by design.
    return bool(page.kwargs) and page.capability is not ANYONE


def _mixed_kwargs(page: Page, own: World, foreign: World) -> dict[str, int]:
    """Our own client in the address, the other organisation's object after it."""
    return {
        **page.url_kwargs(foreign),
        **({"client_id": own.client.pk} if page.client_specific else {}),
    }


def _status_codes(
    http: HttpClient, urls: dict[str, tuple[Page, str]], world: World
) -> dict[str, int]:
    """Where each request ends; a form post refused for its input redirects back to the
    object's page, which must then be the one that is not found."""
    return {
        name: getattr(http, page.method)(url, page.data(world), follow=True).status_code
        for name, (page, url) in urls.items()
    }


# Pages that answer before reading the object, with why that discloses nothing. None
# now: the consent-withdrawal form was one, and is 404 at GET too (issue 16, finding 10d).
ANSWER_WITHOUT_THE_OBJECT: dict[str, int] = {}


def test_pages_with_object_ids_of_another_organisation_are_not_found(
    world: World, foreign_world: World
) -> None:
    http = logged_in(every_role_user(world))
    urls = {
        name: (page, reverse(name, kwargs=_mixed_kwargs(page, world, foreign_world)))
        for name, page in PAGES.items()
        if _has_object_ids(page)
    }

    codes = _status_codes(http, urls, world)

    assert len(codes) >= 30
    assert {name: code for name, code in codes.items() if code != 404} == (
        ANSWER_WITHOUT_THE_OBJECT
    )


def test_client_pages_of_the_own_organisation_need_a_care_relationship(world: World) -> None:
    colleague = UserFactory.create(
        username="ei-asiakassuhdetta", memberships=[(world.organisation, role) for role in Role]
    )
    http = logged_in(colleague)
    urls = {
        name: (page, reverse(name, kwargs=page.url_kwargs(world)))
        for name, page in PAGES.items()
        if page.client_specific
        and name != "clients:break_glass"  # the lawful way in
        and not page.under_task
    }

    codes = _status_codes(http, urls, world)

    assert {name: code for name, code in codes.items() if code != 403} == {}


def test_pages_under_a_task_refuse_a_client_the_task_does_not_cover(world: World) -> None:
    colleague = UserFactory.create(
        username="ei-tehtavaa", memberships=[(world.organisation, role) for role in Role]
    )
    outside = ClientFactory.create(organisation=world.organisation)
    http = logged_in(colleague)
    urls = {
        name: (page, reverse(name, kwargs={**page.url_kwargs(world), "client_id": outside.pk}))
        for name, page in PAGES.items()
        if page.under_task
    }

    codes = _status_codes(http, urls, world)

    assert urls
    assert {name: code for name, code in codes.items() if code != 403} == {}


def _api_call(http: HttpClient, method: str, path: str, data: Any) -> Any:
    if method == "get":
        return http.get(path)
    return getattr(http, method)(path, json.dumps(data), content_type="application/json")


def test_api_object_ids_of_another_organisation_are_a_json_not_found(
    world: World, foreign_world: World
) -> None:
    user = every_role_user(world)
    token = api_token_create(user=user, organisation=world.organisation, now=timezone.now())
    http = HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    wrong = {}
    checked = 0

    for (method, path), page in sorted(API_OPERATIONS.items()):
        if "{" not in path:
            continue
        url = path.format(**{**foreign_world.ids, "client_id": foreign_world.client.pk})
        if page.client_specific and "{client_id}" not in path:
            url += f"?client_id={world.client.pk}"  # our own client, their object
        response = _api_call(http, method, url, page.data(foreign_world))
        checked += 1
        body = response.json() if response["Content-Type"].startswith("application/json") else {}
        if response.status_code != 404 or "code" not in body:
            wrong[(method, path)] = (response.status_code, body)

    assert checked >= 8
    assert wrong == {}
