from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from polku.access import policy
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor
from polku.clients.tests.factories import ClientFactory
from polku.ktt import selectors
from polku.ktt.models import KttProvider
from polku.ktt.tests.conftest import TODAY
from polku.ktt.tests.factories import KttProviderFactory
from polku.service_episodes.claim_computation import claim_attendance, claim_compute
from polku.service_episodes.models import AttendanceStatus, Placement
from polku.service_episodes.tests.factories import (
    AttendanceFactory,
    EpisodeFactory,
    GroupFactory,
    KttContractFactory,
    PlacementFactory,
)

OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))
WEEK = [date(2026, 10, 5) + timedelta(days=offset) for offset in range(5)]  # Mon–Fri


def _participant(
    organisation: Organisation, coach: User, placement: Placement, days: list[date], **kwargs: Any
) -> None:
    client = ClientFactory.create(organisation=organisation, responsible_worker=coach)
    episode = EpisodeFactory.create(client=client, placement=placement, created_by=coach)
    KttContractFactory.create(episode=episode, placement=placement, signed=True)
    for day in days:
        AttendanceFactory.create(
            client=client,
            day=day,
            status=AttendanceStatus.PRESENT,
            placement=kwargs.get("at", placement),
            group=kwargs.get("group"),
        )


@pytest.fixture
def units(organisation: Organisation, own_production: KttProvider) -> dict[str, Placement]:
    purchased = KttProviderFactory.create(organisation=organisation, purchased=True)
    cooperation = KttProviderFactory.create(organisation=organisation, cooperation=True)
    return {
        "park": PlacementFactory.create(
            organisation=organisation, name="Puistoyksikkö", provider=own_production
        ),
        "recycling": PlacementFactory.create(
            organisation=organisation, name="Kierrätys", kind="association", provider=purchased
        ),
        "kitchen": PlacementFactory.create(
            organisation=organisation, name="Keittiö", kind="municipal_unit", provider=cooperation
        ),
    }


def _lines(report: selectors.AllocationReport) -> dict[str, tuple[int, Decimal, Decimal]]:
    return {
        row.placement.name if row.placement else "-": (
            row.line.reimbursable_days,
            row.line.reimbursement,
            row.line.allocated,
        )
        for row in report.rows
    }


def test_allocation_report__divides_the_claims_euros_among_the_hosting_units(
    lead_actor: Actor, organisation: Organisation, coach: User, units: dict[str, Placement]
) -> None:
    _participant(organisation, coach, units["park"], WEEK)  # 5 days, 4 reimbursed
    _participant(organisation, coach, units["recycling"], WEEK[:3])
    _participant(organisation, coach, units["kitchen"], WEEK[:2])

    report = selectors.allocation_report(
        actor=lead_actor, start=OCTOBER[0], end=OCTOBER[1], today=TODAY
    )

    assert _lines(report) == {
        "Puistoyksikkö": (4, Decimal("40.36"), Decimal("40.36")),
        "Kierrätys": (3, Decimal("30.27"), Decimal("0.00")),
        "Keittiö": (2, Decimal("20.18"), Decimal("0.00")),  # cooperation: no money moves
    }
    claim = claim_compute(
        claim_attendance(organisation_id=organisation.pk, start=OCTOBER[0], end=OCTOBER[1]),
        OCTOBER[1],
    )
    assert report.reimbursement == claim.amount == Decimal("90.81")
    assert (report.allocated, report.retained) == (Decimal("40.36"), Decimal("50.45"))
    assert report.participants == 3


def test_allocation_report__a_group_day_belongs_to_the_groups_placement(
    lead_actor: Actor, organisation: Organisation, coach: User, units: dict[str, Placement]
) -> None:
    group = GroupFactory.create(organisation=organisation, placement=units["park"])
    _participant(organisation, coach, units["recycling"], WEEK[:2], at=None, group=group)

    report = selectors.allocation_report(
        actor=lead_actor, start=OCTOBER[0], end=OCTOBER[1], today=TODAY
    )

    assert _lines(report) == {"Puistoyksikkö": (2, Decimal("20.18"), Decimal("20.18"))}


def test_allocation_report__days_without_a_unit_stay_with_the_organiser(
    lead_actor: Actor, organisation: Organisation, coach: User, units: dict[str, Placement]
) -> None:
    _participant(organisation, coach, units["park"], WEEK[:1], at=None)

    report = selectors.allocation_report(
        actor=lead_actor, start=OCTOBER[0], end=OCTOBER[1], today=TODAY
    )

    assert _lines(report) == {"-": (1, Decimal("10.09"), Decimal("0.00"))}


def test_allocation_report__counts_only_the_own_organisations_participants(
    lead_actor: Actor,
    organisation: Organisation,
    other_organisation: Organisation,
    coach: User,
    stranger: User,
    units: dict[str, Placement],
) -> None:
    foreign_place = PlacementFactory.create(organisation=other_organisation)
    _participant(other_organisation, stranger, foreign_place, WEEK)

    report = selectors.allocation_report(
        actor=lead_actor, start=OCTOBER[0], end=OCTOBER[1], today=TODAY
    )

    assert report.rows == []


def test_allocation_report__is_for_those_who_follow_costs(coach_actor: Actor) -> None:
    with pytest.raises(policy.CapabilityMissing):
        selectors.allocation_report(
            actor=coach_actor, start=OCTOBER[0], end=OCTOBER[1], today=TODAY
        )


def test_allocation_report__reads_in_a_fixed_number_of_queries(
    lead_actor: Actor,
    organisation: Organisation,
    coach: User,
    units: dict[str, Placement],
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(12):
        _participant(organisation, coach, units["park"], WEEK[:2])
        _participant(organisation, coach, units["recycling"], WEEK[2:4])

    with django_assert_max_num_queries(4):
        report = selectors.allocation_report(
            actor=lead_actor, start=OCTOBER[0], end=OCTOBER[1], today=TODAY
        )
        assert [row.placement.name for row in report.rows if row.placement] == [
            "Kierrätys",
            "Puistoyksikkö",
        ]
