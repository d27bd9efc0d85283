from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from polku.accounts.models import DataSharingAgreement, Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.tests.factories import OrganisationFactory, UserFactory, actor_of
from polku.clients.models import CareAssignment, Client
from polku.ktt.models import KttProvider
from polku.ktt.tests.factories import KttProviderFactory
from polku.service_episodes.models import KttContract, Placement
from polku.service_episodes.tests.factories import (
    EpisodeFactory,
    KttContractFactory,
    PlacementFactory,
)

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@pytest.fixture
def own_production(organisation: Organisation) -> KttProvider:
    return KttProviderFactory.create(organisation=organisation, reimbursement_share=100)


@pytest.fixture
def workshop(organisation: Organisation, own_production: KttProvider) -> Placement:
    return PlacementFactory.create(
        organisation=organisation, name="TyöVarikko", provider=own_production
    )


@pytest.fixture
def contract(coach_client: Client, workshop: Placement, coach: User) -> KttContract:
    """A signed contract 1.9.2026–28.2.2027 at the workshop."""
    episode = EpisodeFactory.create(client=coach_client, placement=workshop, created_by=coach)
    return KttContractFactory.create(episode=episode, placement=workshop, signed=True)


@pytest.fixture
def work_coach(organisation: Organisation, coach_client: Client) -> User:
    user = UserFactory.create(
        username="tyovalmentaja", memberships=[(organisation, Role.WORK_COACH)]
    )
    CareAssignment.objects.create(
        client=coach_client,
        worker=user,
        basis=CareAssignment.Basis.SERVICE,
        started_on=timezone.localdate(),
    )
    return user


@pytest.fixture
def work_coach_actor(work_coach: User, organisation: Organisation) -> Actor:
    return actor_of(work_coach, organisation)


@pytest.fixture
def manager_actor(organisation: Organisation) -> Actor:
    user = UserFactory.create(username="esihenkilo", memberships=[(organisation, Role.MANAGER)])
    return actor_of(user, organisation)


@pytest.fixture
def lead_actor(organisation: Organisation) -> Actor:
    user = UserFactory.create(username="vastaava", memberships=[(organisation, Role.LEAD_COACH)])
    return actor_of(user, organisation)


@pytest.fixture
def county(organisation: Organisation) -> Organisation:
    """The wellbeing county whose doctor assesses work ability, with a sharing agreement."""
    county = OrganisationFactory.create(
        slug="hva", name="Esimerkkimaan hyvinvointialue", kind=Organisation.Kind.WELLBEING_COUNTY
    )
    DataSharingAgreement.objects.create(
        provider=organisation, recipient=county, purpose="Työkyky", valid_from=date(2026, 1, 1)
    )
    return county
