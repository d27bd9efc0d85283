"""Every URL and API operation × every role: allowed, denied, other organisation denied.

A URL or API operation without an entry here fails ``test_every_url_has_a_matrix_entry``:
adding a page means deciding who may use it.
"""

import importlib
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import UserFactory
from polku.api.urls import api
from polku.audit.models import AccessLogEntry
from polku.clients.models import CareAssignment, Client
from polku.clients.tests.factories import ClientFactory, ConsentFactory
from tests.matrix import ANYONE, Page, World


def _consent(world: World) -> dict[str, int]:
    return {"consent_id": ConsentFactory.create(client=world.client).pk}


PAGES: dict[str, Page] = {
    "home": Page(ANYONE),
    "accessibility": Page(ANYONE),  # public by law, also without signing in
    "health": Page(ANYONE),  # load balancers ask without signing in; shows no client data
    "accounts:login": Page(ANYONE),
    "accounts:logout": Page(ANYONE, method="post", leads_to_login=True),
    "accounts:second_factor": Page(ANYONE),
    "accounts:second_factor_setup": Page(ANYONE),
    "accounts:organisation_switch": Page(
        ANYONE, method="post", data=lambda world: {"organisation": world.organisation.pk}
    ),
    "set_language": Page(ANYONE, method="post", data=lambda world: {"language": "sv"}),
    "clients:list": Page(Capability.VIEW_CLIENTS),
    "clients:create": Page(Capability.CREATE_CLIENTS),
    "clients:detail": Page(Capability.VIEW_CLIENTS, client_specific=True),
    "clients:edit": Page(Capability.EDIT_CLIENTS, client_specific=True),
    "clients:break_glass": Page(
        Capability.BREAK_GLASS,
        method="post",
        data=lambda world: {"reason": "Matriisitesti: perusteltu avaus"},
        client_specific=True,
    ),
    "clients:assign_worker": Page(
        Capability.ASSIGN_RESPONSIBLE_WORKER,
        method="post",
        data=lambda world: {"worker": world.worker.pk},
        client_specific=True,
    ),
    "clients:consent_add": Page(Capability.MANAGE_CONSENTS, client_specific=True),
    "clients:access_report": Page(Capability.HANDLE_DATA_REQUESTS, client_specific=True),
    "clients:data_export": Page(Capability.HANDLE_DATA_REQUESTS, client_specific=True),
    "clients:restriction": Page(Capability.HANDLE_DATA_REQUESTS, client_specific=True),
    "clients:consent_withdraw": Page(
        Capability.MANAGE_CONSENTS, client_specific=True, kwargs=("consent_id",)
    ),
}

API_OPERATIONS: dict[tuple[str, str], Page] = {
    ("get", "/api/v1/clients/"): Page(Capability.VIEW_CLIENTS),
    ("post", "/api/v1/clients/"): Page(
        Capability.CREATE_CLIENTS,
        data=lambda world: {"hetu": "010190Y999W", "first_names": "Aino", "last_name": "Uusi"},
    ),
    ("post", "/api/v1/clients/search"): Page(
        Capability.VIEW_CLIENTS, data=lambda world: {"q": world.client.hetu}
    ),
    ("get", "/api/v1/clients/{client_id}"): Page(Capability.VIEW_CLIENTS, client_specific=True),
    ("patch", "/api/v1/clients/{client_id}"): Page(
        Capability.EDIT_CLIENTS,
        data=lambda world: {
            "version": world.client.version,
            "first_names": "Aino",
            "last_name": "Muutettu",
        },
        client_specific=True,
    ),
    ("put", "/api/v1/clients/{client_id}/restriction"): Page(
        Capability.HANDLE_DATA_REQUESTS,
        data=lambda world: {"restricted": True, "reason": "Asiakas kiistää tiedot"},
        client_specific=True,
    ),
    ("get", "/api/v1/consents/"): Page(Capability.VIEW_CLIENTS, client_specific=True),
    ("post", "/api/v1/consents/"): Page(
        Capability.MANAGE_CONSENTS,
        data=lambda world: {
            "client_id": world.client.pk,
            "party": "kela",
            "purpose": "Kuntoutus",
            "given_on": "2026-01-01",
        },
        client_specific=True,
    ),
    ("post", "/api/v1/consents/{consent_id}/withdraw"): Page(
        Capability.MANAGE_CONSENTS,
        kwargs=("consent_id",),
        data=lambda world: {"withdrawn_on": "2026-02-01"},
        client_specific=True,
    ),
    # Law, not client data: every signed-in role may ask the engine.
    ("post", "/api/v1/rules/evaluate"): Page(
        ANYONE,
        data=lambda world: [
            {
                "question": "plan_review_due",
                "as_of": "2026-11-24",
                "facts": {
                    "plan_type": "activation",
                    "made_on": "2026-01-05",
                    "last_review_on": None,
                },
            }
        ],
    ),
}
PUBLIC_API_PATHS = {"/api/v1/openapi.json", "/api/v1/docs"}
OBJECT_BUILDERS: list[Callable[[World], dict[str, int]]] = [_consent]


def _discover_app_matrices() -> None:
    """Merge every app's ``tests/access_matrix.py`` into the tables above."""
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tests.access_matrix")
        except ModuleNotFoundError as missing:
            if missing.name not in {f"{config.name}.tests", f"{config.name}.tests.access_matrix"}:
                raise
            continue
        PAGES.update(module.PAGES)
        API_OPERATIONS.update(getattr(module, "API_OPERATIONS", {}))
        if hasattr(module, "objects"):
            OBJECT_BUILDERS.append(module.objects)


_discover_app_matrices()


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in {"admin", "api"}:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def _api_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(method, path) for path, operations in schema["paths"].items() for method in operations}


def test_every_url_has_a_matrix_entry() -> None:
    assert _url_names(get_resolver()) == set(PAGES)


def test_every_api_operation_has_a_matrix_entry() -> None:
    assert _api_operations() == set(API_OPERATIONS)


def _allowed(role: Role, page: Page) -> bool:
    return page.capability is ANYONE or page.capability in ROLE_CAPABILITIES[role]


@pytest.fixture
def world(organisation: Organisation, coach: User) -> World:
    client = ClientFactory.create(organisation=organisation, responsible_worker=coach)
    world = World(organisation=organisation, client=client, worker=coach)
    return world.build(OBJECT_BUILDERS)


def _role_user(organisation: Organisation, client: Client, role: Role) -> User:
    """A user in ``role`` with a care relationship to the client, so only the role decides."""
    user = UserFactory.create(username=f"matrix-{role.value}", memberships=[(organisation, role)])
    CareAssignment.objects.create(
        client=client, worker=user, basis=CareAssignment.Basis.LIST, started_on=timezone.localdate()
    )
    return user


def _page_url(name: str, page: Page, world: World, user: User | None = None) -> str:
    return reverse(name, kwargs=page.url_kwargs(world, user))


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access_by_role(world: World, role: Role, name: str) -> None:
    page = PAGES[name]
    user = _role_user(world.organisation, world.client, role)
    http = logged_in(user)

    response = getattr(http, page.method)(_page_url(name, page, world, user), page.data(world))

    if _allowed(role, page):
        assert response.status_code in {200, 302}, response.status_code
        assert page.leads_to_login or "/accounts/login/" not in response.get("Location", "")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", sorted(n for n, page in PAGES.items() if page.client_specific))
def test_page_of_another_organisations_client_is_not_found(
    world: World, stranger: User, name: str
) -> None:
    page = PAGES[name]

    response = getattr(logged_in(stranger), page.method)(
        _page_url(name, page, world), page.data(world)
    )

    assert response.status_code == 404


def test_anonymous_users_are_sent_to_login(world: World) -> None:
    for name, page in PAGES.items():
        if page.capability is ANYONE:
            continue
        response = getattr(HttpClient(), page.method)(_page_url(name, page, world))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("role", list(Role))
def test_admin_is_for_administrators_only(world: World, role: Role) -> None:
    user = UserFactory.create(
        username=f"admin-{role.value}",
        memberships=[(world.organisation, role)],
        is_staff=role == Role.ADMINISTRATOR,
    )

    response = logged_in(user).get(reverse("admin:index"))

    assert response.status_code == (200 if role == Role.ADMINISTRATOR else 302)


def _api_path(path: str, page: Page, world: World) -> str:
    return path.format(**{**world.ids, **page.url_kwargs(world), "client_id": world.client.pk})


def _api_call(http: HttpClient, method: str, path: str, page: Page, world: World) -> Any:
    url = _api_path(path, page, world)
    if page.query is not None:
        url += "?" + urlencode(page.query(world))
    elif page.client_specific and "{client_id}" not in path and method in {"get", "post"}:
        url += f"?client_id={world.client.pk}"
    if method == "get":
        return http.get(url)
    if page.multipart:
        return getattr(http, method)(url, page.data(world))
    return getattr(http, method)(url, json.dumps(page.data(world)), content_type="application/json")


def _api_client(user: User, organisation: Organisation) -> HttpClient:
    token = api_token_create(user=user, organisation=organisation, now=timezone.now())
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("operation", sorted(API_OPERATIONS))
def test_api_access_by_role(world: World, role: Role, operation: tuple[str, str]) -> None:
    method, path = operation
    page = API_OPERATIONS[operation]
    http = _api_client(_role_user(world.organisation, world.client, role), world.organisation)

    response = _api_call(http, method, path, page, world)

    if _allowed(role, page):
        assert response.status_code in {200, 201}, response.content
    else:
        assert response.status_code == 403, response.content


@pytest.mark.parametrize(
    "operation", sorted(op for op, page in API_OPERATIONS.items() if page.client_specific)
)
def test_api_of_another_organisations_client_is_not_found(
    world: World, stranger: User, other_organisation: Organisation, operation: tuple[str, str]
) -> None:
    method, path = operation

    response = _api_call(
        _api_client(stranger, other_organisation), method, path, API_OPERATIONS[operation], world
    )

    assert response.status_code == 404


def test_api_operations_need_a_token(world: World) -> None:
    for (method, path), page in API_OPERATIONS.items():
        response = _api_call(HttpClient(), method, path, page, world)
        assert response.status_code == 401, (method, path)


def test_public_api_documents_are_reachable(db: None) -> None:
    for path in PUBLIC_API_PATHS:
        assert HttpClient().get(path).status_code == 200, path


def _reader_role(page: Page) -> Role:
    return next(role for role in Role if _allowed(role, page))


def _reads_of(client: Client) -> int:
    return AccessLogEntry.objects.filter(client=client).count()


@pytest.mark.parametrize(
    "name", sorted(n for n, page in PAGES.items() if page.client_specific and page.method == "get")
)
def test_every_page_showing_a_client_writes_the_access_log(world: World, name: str) -> None:
    page = PAGES[name]
    http = logged_in(_role_user(world.organisation, world.client, _reader_role(page)))
    before = _reads_of(world.client)

    response = http.get(_page_url(name, page, world))

    assert response.status_code == 200
    assert _reads_of(world.client) > before


@pytest.mark.parametrize(
    "operation",
    sorted(op for op, page in API_OPERATIONS.items() if page.client_specific and op[0] == "get"),
)
def test_every_api_read_of_a_client_writes_the_access_log(
    world: World, operation: tuple[str, str]
) -> None:
    method, path = operation
    page = API_OPERATIONS[operation]
    user = _role_user(world.organisation, world.client, _reader_role(page))
    before = _reads_of(world.client)

    response = _api_call(_api_client(user, world.organisation), method, path, page, world)

    assert response.status_code == 200
    assert _reads_of(world.client) > before
