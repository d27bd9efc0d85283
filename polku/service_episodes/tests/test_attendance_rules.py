"""Attendance is marked afterwards and within the contract's days a week; the unit's
supervisor sees every client placed there (#17.6)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.tests.factories import actor_of
from polku.clients.models import CareAssignment, Client
from polku.clients.tests.factories import ClientFactory
from polku.service_episodes import selectors, services
from polku.service_episodes.models import Attendance, Placement, ServiceType
from polku.service_episodes.tests.conftest import contract_data, role_actor
from polku.service_episodes.tests.factories import (
    AttendanceFactory,
    EpisodeFactory,
    KttContractFactory,
    PlacementFactory,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # Thursday of the week starting 23.11.
MONDAY = date(2026, 11, 23)


def _week(offsets: range) -> list[date]:
    return [MONDAY + timedelta(days=offset) for offset in offsets]


@pytest.fixture
def park(organisation: Organisation) -> Placement:
    return PlacementFactory.create(organisation=organisation, name="Puisto")


@pytest.fixture
def instructor(organisation: Organisation, coach_client: Client, park: Placement) -> Actor:
    KttContractFactory.create(
        episode=EpisodeFactory.create(client=coach_client, placement=park),
        placement=park,
        signed=True,
        days_per_week=3,
    )
    return role_actor(organisation, Role.WORK_COACH, "tyovalmentaja", coach_client)


def _present(client: Client, *days: date) -> list[services.Cell]:
    return [services.Cell(client.pk, day, "present") for day in days]


def test_attendance_record__refuses_a_day_that_has_not_come_and_saves_nothing(
    instructor: Actor, coach_client: Client
) -> None:
    friday = MONDAY + timedelta(days=4)

    with pytest.raises(services.AttendanceRefused) as refused:
        services.attendance_record(
            actor=instructor,
            cells=[
                services.Cell(coach_client.pk, MONDAY, "present"),
                services.Cell(coach_client.pk, friday, "excused", "Lääkäri"),
            ],
            now=NOW,
        )

    assert [cell.day for cell in refused.value.future] == [friday]
    assert not Attendance.objects.exists()


def test_attendance_record__refuses_more_present_days_than_the_contract_allows(
    instructor: Actor, coach_client: Client
) -> None:
    AttendanceFactory.create(client=coach_client, day=MONDAY)
    AttendanceFactory.create(client=coach_client, day=MONDAY + timedelta(days=1))

    with pytest.raises(services.AttendanceRefused) as refused:
        services.attendance_record(
            actor=instructor, cells=_present(coach_client, *_week(range(2, 4))), now=NOW
        )

    assert [(w.client_id, w.week_start, w.allowed, w.marked) for w in refused.value.over_limit] == [
        (coach_client.pk, MONDAY, 3, 4)
    ]
    assert Attendance.objects.count() == 2


def test_attendance_record__allows_the_contracts_days_and_absences_beyond_them(
    instructor: Actor, coach_client: Client
) -> None:
    changed = services.attendance_record(
        actor=instructor,
        cells=[
            *_present(coach_client, *_week(range(3))),
            services.Cell(coach_client.pk, MONDAY + timedelta(days=3), "sick", "Flunssa"),
        ],
        now=NOW,
    )

    assert changed == 4


def test_attendance_record__corrects_a_week_already_over_the_limit(
    instructor: Actor, coach_client: Client
) -> None:
    for day in _week(range(4)):  # entered before the limit was checked
        AttendanceFactory.create(client=coach_client, day=day)

    services.attendance_record(
        actor=instructor,
        cells=[services.Cell(coach_client.pk, MONDAY, "sick", "Flunssa", version=1)],
        now=NOW,
    )

    assert Attendance.objects.get(day=MONDAY).status == "sick"


def test_weekly_day_limits__take_each_weeks_contract(
    organisation: Organisation, coach_client: Client, park: Placement
) -> None:
    KttContractFactory.create(
        episode=EpisodeFactory.create(client=coach_client, placement=park),
        placement=park,
        start=date(2026, 9, 1),
        end=date(2026, 11, 24),
        days_per_week=2,
    )

    limits = selectors.weekly_day_limits(
        client_ids=[coach_client.pk], start=date(2026, 11, 16), end=date(2026, 12, 4)
    )

    assert limits == {(coach_client.pk, date(2026, 11, 16)): 2, (coach_client.pk, MONDAY): 2}


def _grid_post(client: Client, days: list[date], **extra: str) -> dict[str, str]:
    data = {"week": "23.11.2026", **extra}
    for day in days:
        data[f"s_{client.pk}_{day:%Y%m%d}"] = "present"
        data[f"v_{client.pk}_{day:%Y%m%d}"] = "0"
    return data


def test_attendance_page__names_the_client_over_the_limit_and_keeps_the_marks(
    organisation: Organisation, coach_client: Client, park: Placement, instructor: Actor
) -> None:
    url = reverse("services:attendance_placement", args=[park.pk])

    response = logged_in(instructor.user).post(
        url, {"week": "23.11.2026"} | _grid_post(coach_client, _week(range(4)))
    )

    assert response.status_code == 422
    name = selectors.short_name(coach_client)
    assert f"{name}: sopimuksen mukaan 3 päivää viikossa" in response.text
    assert "olisi 4 viikolla 23.11.–27.11.2026" in response.text
    assert response.text.count('value="present" selected') == 4
    assert not Attendance.objects.exists()


def test_attendance_page__mark_all_present_skips_clients_whose_days_are_used(
    organisation: Organisation, coach_client: Client, park: Placement, instructor: Actor
) -> None:
    other = ClientFactory.create(organisation=organisation, first_names="Bertta")
    KttContractFactory.create(
        episode=EpisodeFactory.create(client=other, placement=park),
        placement=park,
        signed=True,
        days_per_week=4,
    )
    CareAssignment.objects.create(
        client=other, worker=instructor.user, basis="service", started_on=date(2026, 9, 1)
    )
    url = reverse("services:attendance_placement", args=[park.pk])
    data = _grid_post(coach_client, _week(range(3))) | _grid_post(other, _week(range(3)))

    response = logged_in(instructor.user).post(
        url, data | {"mark_all_present": (MONDAY + timedelta(days=3)).isoformat()}, follow=True
    )

    thursday = MONDAY + timedelta(days=3)
    assert set(Attendance.objects.filter(day=thursday).values_list("client_id", flat=True)) == {
        other.pk
    }
    assert Attendance.objects.filter(client=coach_client).count() == 3
    assert "jätti merkitsemättä nämä" in response.text
    assert f"jo merkitty: {selectors.short_name(coach_client)}" in response.text


def test_attendance_page__offers_no_cells_or_buttons_for_days_to_come(
    organisation: Organisation, coach_client: Client, park: Placement, instructor: Actor
) -> None:
    next_week = reverse("services:attendance_placement", args=[park.pk])

    response = logged_in(instructor.user).get(next_week, {"week": "2099-01-05"})

    assert response.status_code == 200
    assert 'name="s_' not in response.text
    assert 'name="mark_all_present"' not in response.text
    assert "ei vielä merkittävissä" in response.text


def test_attendance_placement__a_new_participant_appears_for_the_units_supervisor(
    organisation: Organisation,
    coach_actor: Actor,
    coach_client: Client,
    ktt_service: ServiceType,
    park: Placement,
) -> None:
    supervisor = role_actor(organisation, Role.PLACEMENT_SUPERVISOR, "ohjaaja")
    park.supervisors.add(supervisor.user)
    services.ktt_contract_create(
        actor=coach_actor,
        client_id=coach_client.pk,
        data=contract_data(park, start=date(2026, 11, 2)),
        now=NOW,
    )

    grid = selectors.attendance_grid(
        actor=actor_of(supervisor.user, organisation), week=MONDAY, now=NOW, placement=park
    )

    assert [(row.client.pk, row.days_allowed) for row in grid.rows] == [(coach_client.pk, 3)]
    assert [cell.future for cell in grid.rows[0].cells] == [False, False, False, False, True]


def test_attendance_grid__is_one_query_longer_for_the_contract_limits(
    organisation: Organisation, park: Placement, django_assert_max_num_queries: object
) -> None:
    supervisor: User = role_actor(organisation, Role.PLACEMENT_SUPERVISOR, "ohjaaja").user
    for _ in range(10):
        client = ClientFactory.create(organisation=organisation)
        KttContractFactory.create(
            episode=EpisodeFactory.create(client=client, placement=park),
            placement=park,
            signed=True,
        )
        CareAssignment.objects.create(
            client=client, worker=supervisor, basis="service", started_on=date(2026, 9, 1)
        )

    with django_assert_max_num_queries(6):  # type: ignore[operator]
        grid = selectors.attendance_grid(
            actor=actor_of(supervisor, organisation), week=MONDAY, now=NOW, placement=park
        )

    assert len(grid.rows) == 10
