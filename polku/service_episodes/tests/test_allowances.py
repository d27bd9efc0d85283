"""The office clerk's expense allowances (kulukorvaus / toimintaraha) under the allowance task."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse

from conftest import logged_in
from polku.access import policy
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.audit.models import AccessLogEntry
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.service_episodes import selectors, services
from polku.service_episodes.models import (
    AllowanceStatement,
    AttendanceStatus,
    KttContract,
    Placement,
)
from polku.service_episodes.tests.factories import (
    AttendanceFactory,
    EpisodeFactory,
    KttContractFactory,
    PlacementFactory,
)

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
OCTOBER = {"period_start": date(2026, 10, 1), "period_end": date(2026, 10, 31)}


@pytest.fixture
def clerk(organisation: Organisation) -> User:
    return UserFactory.create(username="toimisto", memberships=[(organisation, Role.OFFICE_CLERK)])


@pytest.fixture
def clerk_actor(clerk: User, organisation: Organisation) -> Actor:
    return actor_of(clerk, organisation)


@pytest.fixture
def park(organisation: Organisation) -> Placement:
    return PlacementFactory.create(organisation=organisation, name="Puisto- ja viheralueyksikkö")


def _participant(
    client: Client, placement: Placement, *, status: str = KttContract.Status.SIGNED
) -> KttContract:
    episode = EpisodeFactory.create(client=client, placement=placement, started_on=date(2026, 9, 1))
    return KttContractFactory.create(
        episode=episode, placement=placement, signed=True, status=status
    )


def _attended(client: Client, *days: date, status: str = AttendanceStatus.PRESENT) -> None:
    for day in days:
        AttendanceFactory.create(client=client, day=day, status=status)


def test_allowance_record__the_clerk_pays_kulukorvaus_without_a_care_relationship(
    clerk_actor: Actor, coach_client: Client, park: Placement
) -> None:
    Client.objects.filter(pk=coach_client.pk).update(main_income="labour_market_subsidy")
    _participant(coach_client, park)
    _attended(coach_client, date(2026, 10, 5), date(2026, 10, 6), date(2026, 10, 7))
    _attended(coach_client, date(2026, 10, 8), status=AttendanceStatus.SICK)

    statement = services.allowance_record(
        actor=clerk_actor,
        client_id=coach_client.pk,
        travel_costs=Decimal("12.40"),
        now=NOW,
        **OCTOBER,
    )

    assert (statement.kind, statement.days, statement.amount, statement.total) == (
        "expense_allowance",
        3,
        Decimal("27.00"),
        Decimal("39.40"),
    )
    read = AccessLogEntry.objects.get(client=coach_client, user=clerk_actor.user)
    assert (read.kind, read.reason, read.break_glass) == (
        AccessLogEntry.Kind.RECORD,
        policy.KTT_ALLOWANCE.basis,
        False,
    )


def test_allowance_record__counts_only_days_within_a_signed_contract(
    clerk_actor: Actor, coach_client: Client, park: Placement
) -> None:
    _participant(coach_client, park)  # from 1.9.2026
    _attended(coach_client, date(2026, 8, 31), date(2026, 9, 1))

    statement = services.allowance_record(
        actor=clerk_actor,
        client_id=coach_client.pk,
        period_start=date(2026, 8, 1),
        period_end=date(2026, 9, 30),
        travel_costs=Decimal(0),
        now=NOW,
    )

    assert (statement.kind, statement.days) == ("activity_allowance", 1)


def test_allowance_record__refuses_a_client_who_is_not_a_ktt_participant(
    clerk_actor: Actor, coach_client: Client, park: Placement
) -> None:
    _participant(coach_client, park, status=KttContract.Status.DRAFT)

    with pytest.raises(policy.OutsideTask, match="kuntouttavan työtoiminnan osallistuja"):
        services.allowance_record(
            actor=clerk_actor,
            client_id=coach_client.pk,
            travel_costs=Decimal(0),
            now=NOW,
            **OCTOBER,
        )
    assert not AccessLogEntry.objects.filter(client=coach_client).exists()


def test_allowance_record__another_organisations_participant_does_not_exist(
    clerk_actor: Actor, foreign_client: Client
) -> None:
    _participant(foreign_client, PlacementFactory.create(organisation=foreign_client.organisation))

    with pytest.raises(Http404):
        services.allowance_record(
            actor=clerk_actor,
            client_id=foreign_client.pk,
            travel_costs=Decimal(0),
            now=NOW,
            **OCTOBER,
        )


def test_allowance_record__refuses_a_period_that_was_computed_already(
    clerk_actor: Actor, coach_client: Client, park: Placement
) -> None:
    _participant(coach_client, park)
    _attended(coach_client, date(2026, 10, 5))
    services.allowance_record(
        actor=clerk_actor,
        client_id=coach_client.pk,
        travel_costs=Decimal(0),
        now=NOW,
        **OCTOBER,
    )

    with pytest.raises(ValueError, match=r"jaksolle 1\.10\.2026–31\.10\.2026"):
        services.allowance_record(
            actor=clerk_actor,
            client_id=coach_client.pk,
            period_start=date(2026, 10, 15),
            period_end=date(2026, 11, 15),
            travel_costs=Decimal(0),
            now=NOW,
        )
    assert AllowanceStatement.objects.count() == 1


def test_allowance_participants__lists_the_periods_participants_and_logs_them_under_the_task(
    clerk_actor: Actor, organisation: Organisation, park: Placement
) -> None:
    attending = ClientFactory.create(organisation=organisation, last_name="Aaltonen")
    absent = ClientFactory.create(organisation=organisation, last_name="Bäckman")
    drafted = ClientFactory.create(organisation=organisation, last_name="Cederberg")
    _participant(attending, park)
    _participant(absent, park)
    _participant(drafted, park, status=KttContract.Status.DRAFT)
    _attended(attending, date(2026, 10, 5), date(2026, 10, 6))

    rows = selectors.allowance_participants(
        actor=clerk_actor, start=date(2026, 10, 1), end=date(2026, 10, 31), now=NOW
    )

    assert [(row.client.last_name, row.present_days) for row in rows] == [
        ("Aaltonen", 2),
        ("Bäckman", 0),
    ]
    logged = AccessLogEntry.objects.filter(user=clerk_actor.user)
    assert {entry.client_id for entry in logged} == {attending.pk, absent.pk}
    assert {entry.reason for entry in logged} == {policy.KTT_ALLOWANCE.basis}


def test_allowance_list__clerk_computes_a_months_allowance_from_the_list(
    clerk: User, organisation: Organisation, park: Placement
) -> None:
    participant = ClientFactory.create(organisation=organisation, last_name="Aaltonen")
    _participant(participant, park)
    _attended(participant, date(2026, 10, 5), date(2026, 10, 6))
    http = logged_in(clerk)
    period = {"period_start": "1.10.2026", "period_end": "31.10.2026"}

    listed = http.get(reverse("services:allowance_list"), period)
    form = http.get(reverse("services:allowance_create", args=[participant.pk]), period)
    saved = http.post(
        reverse("services:allowance_create", args=[participant.pk]),
        {**period, "travel_costs": "6,40"},
    )
    after = http.get(saved["Location"])

    assert listed.status_code == form.status_code == 200
    assert "Aaltonen, Aino" in listed.text
    assert reverse("services:allowance_create", args=[participant.pk]) in listed.text
    assert "5.10.2026, 6.10.2026" in form.text
    assert saved.status_code == 302
    assert "period_start=1.10.2026" in saved["Location"]
    assert "Toimintaraha 1.10.2026–31.10.2026: 24,40 €" in after.text


def test_allowance_list__runs_a_fixed_number_of_queries_for_any_number_of_participants(
    clerk: User, organisation: Organisation, park: Placement, django_assert_max_num_queries: object
) -> None:
    for index in range(12):
        client = ClientFactory.create(organisation=organisation)
        _participant(client, park)
        _attended(client, date(2026, 10, 5 + index % 5))
        if index % 3 == 0:
            AllowanceStatement.objects.create(
                client=client,
                period_start=date(2026, 10, 1),
                period_end=date(2026, 10, 31),
                kind="expense_allowance",
                days=1,
                amount=Decimal(9),
                created_by=clerk,
                created_at=NOW,
            )
    http = logged_in(clerk)

    with django_assert_max_num_queries(13):  # type: ignore[operator]
        response = http.get(
            reverse("services:allowance_list"),
            {"period_start": "1.10.2026", "period_end": "31.10.2026"},
        )

    assert response.text.count("Kulukorvaus 1.10.2026–31.10.2026") == 4


def test_allowance_list__a_coach_may_not_use_it(coach: User) -> None:
    assert logged_in(coach).get(reverse("services:allowance_list")).status_code == 403
