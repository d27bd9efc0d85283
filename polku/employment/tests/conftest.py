from datetime import date

import pytest

from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.employment.models import Employer
from polku.employment.tests.factories import EmployerFactory


@pytest.fixture
def older_client(organisation: Organisation, coach: User) -> Client:
    """Born 15.3.1966: 58 years old on 28.6.2024, before obligated employment ended."""
    return ClientFactory.create(
        organisation=organisation, responsible_worker=coach, birth_date=date(1966, 3, 15)
    )


@pytest.fixture
def municipal_unit(organisation: Organisation) -> Employer:
    return EmployerFactory.create(
        organisation=organisation, name="Kunnan tekninen toimi", employer_type="municipality"
    )


@pytest.fixture
def company(organisation: Organisation) -> Employer:
    return EmployerFactory.create(organisation=organisation, name="Rakennus Oy")


@pytest.fixture
def clerk(organisation: Organisation) -> User:
    return UserFactory.create(username="toimisto", memberships=[(organisation, Role.OFFICE_CLERK)])


@pytest.fixture
def clerk_actor(clerk: User, organisation: Organisation) -> Actor:
    return actor_of(clerk, organisation)


@pytest.fixture
def coordinator_actor(organisation: Organisation) -> Actor:
    user = UserFactory.create(
        username="elinkeino", memberships=[(organisation, Role.BUSINESS_COORDINATOR)]
    )
    return actor_of(user, organisation)
