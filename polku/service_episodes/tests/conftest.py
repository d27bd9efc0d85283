from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.clients.models import CareAssignment, Client
from polku.service_episodes import services
from polku.service_episodes.models import Placement, ServiceKind, ServiceType
from polku.service_episodes.tests.factories import PlacementFactory, ServiceTypeFactory


@pytest.fixture
def ktt_service(organisation: Organisation) -> ServiceType:
    return ServiceTypeFactory.create(organisation=organisation, kind=ServiceKind.KTT)


@pytest.fixture
def workshop(organisation: Organisation) -> Placement:
    return PlacementFactory.create(organisation=organisation, name="TyöVarikko")


def role_actor(organisation: Organisation, role: Role, username: str, *clients: Client) -> Actor:
    user = UserFactory.create(username=username, memberships=[(organisation, role)])
    for client in clients:
        CareAssignment.objects.create(
            client=client,
            worker=user,
            basis=CareAssignment.Basis.SERVICE,
            started_on=timezone.localdate(),
        )
    return actor_of(user, organisation)


@pytest.fixture
def counsellor_actor(organisation: Organisation, coach_client: Client) -> Actor:
    return role_actor(organisation, Role.SOCIAL_COUNSELLOR, "sosiaali", coach_client)


@pytest.fixture
def instructor(organisation: Organisation) -> User:
    return UserFactory.create(
        username="tyovalmentaja", memberships=[(organisation, Role.WORK_COACH)]
    )


def contract_data(placement: Placement, **changes: object) -> services.KttContractData:
    values: dict[str, object] = {
        "start": date(2026, 12, 1),
        "end": date(2027, 5, 31),
        "days_per_week": 3,
        "hours_per_day": Decimal(4),
        "placement_id": placement.pk,
        "coaching_content": "Puutyöt ja työkyvyn arviointi",
        "referral_source": "share_list",
    }
    values.update(changes)
    return services.KttContractData(**values)  # type: ignore[arg-type]
