"""The access matrix's world, reused by the security suites.

The pages, API operations and object builders come from ``tests/test_access_matrix.py``
(which merges every app's ``tests/access_matrix.py``), so a new URL is covered here too.
"""

import re

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.clients.models import CareAssignment
from polku.clients.tests.factories import ClientFactory
from tests.matrix import Page, World
from tests.test_access_matrix import OBJECT_BUILDERS

# A Finnish personal identity code: birth date, century sign, individual number, check.
HETU = re.compile(r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]")


def build_world(organisation: Organisation, worker: User) -> World:
    client = ClientFactory.create(organisation=organisation, responsible_worker=worker)
    return World(organisation=organisation, client=client, worker=worker).build(OBJECT_BUILDERS)


@pytest.fixture
def world(organisation: Organisation, coach: User) -> World:
    return build_world(organisation, coach)


def every_role_user(world: World, username: str = "kaikki-roolit") -> User:
    """A user holding every role with a care relationship to the client: may use every page."""
    user = UserFactory.create(
        username=username, memberships=[(world.organisation, role) for role in Role]
    )
    CareAssignment.objects.create(
        client=world.client,
        worker=user,
        basis=CareAssignment.Basis.LIST,
        started_on=timezone.localdate(),
    )
    return user


@pytest.fixture
def every_role_account(world: World) -> User:
    return every_role_user(world)


@pytest.fixture
def every_role(every_role_account: User) -> HttpClient:
    return logged_in(every_role_account)


def page_url(name: str, page: Page, world: World, user: User | None = None) -> str:
    return reverse(name, kwargs=page.url_kwargs(world, user))
