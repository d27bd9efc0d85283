from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.http import Http404

from polku.access import policy
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.audit.models import ChangeLogEntry
from polku.clients.models import CareAssignment, Client
from polku.clients.tests.factories import ClientFactory
from polku.referrals.models import Meeting
from polku.service_episodes import services
from polku.service_episodes.models import (
    Attendance,
    AttendanceStatus,
    InterruptionNotice,
    KttContract,
    Placement,
    ServiceType,
)
from polku.service_episodes.tests.conftest import contract_data, role_actor
from polku.service_episodes.tests.factories import EpisodeFactory, PlacementFactory

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def _signed(
    coach_actor: Actor,
    counsellor_actor: Actor,
    client: Client,
    placement: Placement,
    **changes: object,
) -> KttContract:
    contract = services.ktt_contract_create(
        actor=coach_actor, client_id=client.pk, data=contract_data(placement, **changes), now=NOW
    )
    services.ktt_contract_decide(
        actor=counsellor_actor,
        client_id=client.pk,
        contract_id=contract.pk,
        decision_text="Myönnetään",
        now=NOW,
    )
    return services.ktt_contract_sign(
        actor=coach_actor,
        client_id=client.pk,
        contract_id=contract.pk,
        signed_on=date(2026, 11, 30),
        now=NOW,
    )


def test_ktt_contract_create__routes_the_decision_to_the_chosen_counsellor_until_it_is_made(
    coach_actor: Actor, coach_client: Client, ktt_service: ServiceType, workshop: Placement
) -> None:
    counsellor = role_actor(coach_actor.organisation, Role.SOCIAL_COUNSELLOR, "sosiaali")

    contract = services.ktt_contract_create(
        actor=coach_actor,
        client_id=coach_client.pk,
        data=contract_data(workshop, decider_id=counsellor.user.pk),
        now=NOW,
    )
    while_pending = policy.clients_visible_to(counsellor, NOW).filter(pk=coach_client.pk).exists()
    services.ktt_contract_decide(
        actor=counsellor,
        client_id=coach_client.pk,
        contract_id=contract.pk,
        decision_text="Myönnetään",
        now=NOW,
    )

    assert contract.decider == counsellor.user
    assert while_pending
    routed = CareAssignment.objects.get(worker=counsellor.user)
    assert (routed.basis, routed.ended_on) == (CareAssignment.Basis.TASK, NOW.date())
    assert not policy.clients_visible_to(counsellor, NOW).filter(pk=coach_client.pk).exists()


def test_ktt_contract_create__refuses_a_decider_who_is_not_a_social_counsellor(
    coach_actor: Actor,
    colleague: User,
    coach_client: Client,
    ktt_service: ServiceType,
    workshop: Placement,
) -> None:
    with pytest.raises(ValueError, match="sosiaaliohjaaja"):
        services.ktt_contract_create(
            actor=coach_actor,
            client_id=coach_client.pk,
            data=contract_data(workshop, decider_id=colleague.pk),
            now=NOW,
        )

    assert not KttContract.objects.exists()
    assert not CareAssignment.objects.filter(worker=colleague).exists()


def test_episode_end__ends_a_pending_decisions_relationship(
    coach_actor: Actor, coach_client: Client, ktt_service: ServiceType, workshop: Placement
) -> None:
    counsellor = role_actor(coach_actor.organisation, Role.SOCIAL_COUNSELLOR, "sosiaali")
    contract = services.ktt_contract_create(
        actor=coach_actor,
        client_id=coach_client.pk,
        data=contract_data(workshop, decider_id=counsellor.user.pk),
        now=NOW,
    )

    services.episode_end(
        actor=coach_actor,
        client_id=coach_client.pk,
        episode_id=contract.episode_id,
        ended_on=date(2026, 12, 1),
        outcome="no_information",
        now=NOW,
    )

    assert not policy.clients_visible_to(counsellor, NOW).filter(pk=coach_client.pk).exists()


def test_ktt_contract_create__allows_five_days_a_week_for_a_contract_starting_before_july_2015(
    coach_actor: Actor, coach_client: Client, ktt_service: ServiceType, workshop: Placement
) -> None:
    contract = services.ktt_contract_create(
        actor=coach_actor,
        client_id=coach_client.pk,
        data=contract_data(
            workshop, start=date(2015, 6, 1), end=date(2015, 11, 30), days_per_week=5
        ),
        now=NOW,
    )

    assert contract.days_per_week == 5
    assert contract.episode.placement == workshop


def test_ktt_contract_create__refuses_five_days_a_week_from_july_2015(
    coach_actor: Actor, coach_client: Client, ktt_service: ServiceType, workshop: Placement
) -> None:
    with pytest.raises(services.ContractInvalid) as refused:
        services.ktt_contract_create(
            actor=coach_actor,
            client_id=coach_client.pk,
            data=contract_data(
                workshop, start=date(2015, 7, 1), end=date(2015, 12, 31), days_per_week=5
            ),
            now=NOW,
        )

    assert [error.code for error in refused.value.errors] == ["days_per_week_out_of_range"]
    assert not KttContract.objects.exists()


def test_ktt_contract_create__refuses_a_company_as_the_placement_with_the_reason(
    coach_actor: Actor, coach_client: Client, ktt_service: ServiceType, organisation: Organisation
) -> None:
    company = PlacementFactory.create(organisation=organisation, company=True)

    with pytest.raises(services.ContractInvalid) as refused:
        services.ktt_contract_create(
            actor=coach_actor, client_id=coach_client.pk, data=contract_data(company), now=NOW
        )

    assert refused.value.errors[0].code == "company_provider_not_allowed"
    assert "yritykseltä" in refused.value.errors[0].message


def test_ktt_contract_create__refuses_periods_shorter_than_three_months(
    coach_actor: Actor, coach_client: Client, ktt_service: ServiceType, workshop: Placement
) -> None:
    with pytest.raises(services.ContractInvalid) as refused:
        services.ktt_contract_create(
            actor=coach_actor,
            client_id=coach_client.pk,
            data=contract_data(workshop, end=date(2027, 2, 27)),
            now=NOW,
        )

    assert refused.value.errors[0].code == "period_too_short"


def test_ktt_contract_decide__is_refused_for_a_personal_coach(
    coach_actor: Actor, coach_client: Client, ktt_service: ServiceType, workshop: Placement
) -> None:
    contract = services.ktt_contract_create(
        actor=coach_actor, client_id=coach_client.pk, data=contract_data(workshop), now=NOW
    )

    with pytest.raises(policy.CapabilityMissing):
        services.ktt_contract_decide(
            actor=coach_actor,
            client_id=coach_client.pk,
            contract_id=contract.pk,
            decision_text="x",
            now=NOW,
        )


def test_ktt_contract_decide__records_the_social_counsellors_decision(
    coach_actor: Actor,
    counsellor_actor: Actor,
    coach_client: Client,
    ktt_service: ServiceType,
    workshop: Placement,
) -> None:
    contract = services.ktt_contract_create(
        actor=coach_actor, client_id=coach_client.pk, data=contract_data(workshop), now=NOW
    )

    decided = services.ktt_contract_decide(
        actor=counsellor_actor,
        client_id=coach_client.pk,
        contract_id=contract.pk,
        decision_text="Myönnetään",
        now=NOW,
    )

    assert decided.status == KttContract.Status.DECIDED
    assert decided.decided_by == counsellor_actor.user
    assert ChangeLogEntry.objects.filter(event="services.ktt.decided", client=coach_client).exists()


def test_ktt_contract_sign__needs_the_decision_first(
    coach_actor: Actor, coach_client: Client, ktt_service: ServiceType, workshop: Placement
) -> None:
    contract = services.ktt_contract_create(
        actor=coach_actor, client_id=coach_client.pk, data=contract_data(workshop), now=NOW
    )

    with pytest.raises(services.WrongState):
        services.ktt_contract_sign(
            actor=coach_actor,
            client_id=coach_client.pk,
            contract_id=contract.pk,
            signed_on=date(2026, 12, 1),
            now=NOW,
        )


def test_ktt_contract_sign__schedules_the_final_evaluation_two_weeks_before_the_end(
    coach_actor: Actor,
    counsellor_actor: Actor,
    coach_client: Client,
    ktt_service: ServiceType,
    workshop: Placement,
) -> None:
    contract = _signed(coach_actor, counsellor_actor, coach_client, workshop)

    assert contract.final_evaluation_on == date(2027, 5, 17)
    assert contract.follow_up_dates == [
        "2026-12-29",
        "2027-01-26",
        "2027-02-23",
        "2027-03-23",
        "2027-04-20",
    ]
    booked = Meeting.objects.filter(kind="ktt_follow_up").order_by("starts_at")
    assert [m.starts_at.date().isoformat() for m in booked] == [
        *contract.follow_up_dates,
        "2027-05-17",
    ]
    assert {m.worker_id for m in booked} == {coach_client.responsible_worker_id}


def test_ktt_contract_extend__recomputes_the_final_evaluation_and_refuses_over_24_months(
    coach_actor: Actor,
    counsellor_actor: Actor,
    coach_client: Client,
    ktt_service: ServiceType,
    workshop: Placement,
) -> None:
    contract = _signed(coach_actor, counsellor_actor, coach_client, workshop)

    extended = services.ktt_contract_extend(
        actor=coach_actor,
        client_id=coach_client.pk,
        contract_id=contract.pk,
        version=contract.version,
        new_end=date(2027, 11, 30),
        now=NOW,
    )
    with pytest.raises(services.ContractInvalid):
        services.ktt_contract_extend(
            actor=coach_actor,
            client_id=coach_client.pk,
            contract_id=contract.pk,
            version=extended.version,
            new_end=date(2028, 12, 1),
            now=NOW,
        )
    with pytest.raises(services.EditConflict):
        services.ktt_contract_extend(
            actor=coach_actor,
            client_id=coach_client.pk,
            contract_id=contract.pk,
            version=contract.version,
            new_end=date(2028, 1, 31),
            now=NOW,
        )

    assert extended.final_evaluation_on == date(2027, 11, 16)


def test_ktt_contract_interrupt__ends_the_episode_and_notifies_the_social_worker(
    coach_actor: Actor,
    counsellor_actor: Actor,
    coach_client: Client,
    ktt_service: ServiceType,
    workshop: Placement,
) -> None:
    contract = _signed(coach_actor, counsellor_actor, coach_client, workshop)

    services.ktt_contract_interrupt(
        actor=coach_actor,
        client_id=coach_client.pk,
        contract_id=contract.pk,
        version=contract.version,
        data=services.InterruptionData(
            interrupted_on=date(2026, 12, 15),
            reason="Sairausloma",
            summary="Kaksi viikkoa työtoimintaa, keskeytyy terveyssyistä.",
            recipient_id=counsellor_actor.user.pk,
            outcome="social_health",
        ),
        now=NOW,
    )

    contract.refresh_from_db()
    notice = InterruptionNotice.objects.get()
    assert contract.status == KttContract.Status.INTERRUPTED
    assert contract.episode.ended_on == date(2026, 12, 15)
    assert contract.episode.outcome == "social_health"
    assert (notice.recipient, notice.summary) == (
        counsellor_actor.user,
        "Kaksi viikkoa työtoimintaa, keskeytyy terveyssyistä.",
    )


def test_episode_start__gives_the_placement_supervisor_access_until_the_episode_ends(
    coach_actor: Actor, coach_client: Client, organisation: Organisation, ktt_service: ServiceType
) -> None:
    supervisor = role_actor(organisation, Role.PLACEMENT_SUPERVISOR, "ohjaaja")
    park = PlacementFactory.create(organisation=organisation, name="Puisto")
    park.supervisors.add(supervisor.user)
    other_client = ClientFactory.create(
        organisation=organisation, responsible_worker=coach_actor.user
    )

    episode = services.episode_start(
        actor=coach_actor,
        client_id=coach_client.pk,
        data=services.EpisodeData(ktt_service.pk, "self", date(2026, 11, 2), placement_id=park.pk),
        now=NOW,
    )
    visible_while_placed = set(policy.clients_visible_to(supervisor, NOW))
    services.episode_end(
        actor=coach_actor,
        client_id=coach_client.pk,
        episode_id=episode.pk,
        ended_on=date(2026, 11, 20),
        outcome="work",
        now=NOW,
    )

    assert visible_while_placed == {coach_client}
    assert other_client not in visible_while_placed
    assert not policy.clients_visible_to(supervisor, NOW).exists()


def test_episode_start__refuses_a_full_placement(
    coach_actor: Actor, coach_client: Client, organisation: Organisation, ktt_service: ServiceType
) -> None:
    tiny = PlacementFactory.create(organisation=organisation, capacity=1)
    EpisodeFactory.create(client=ClientFactory.create(organisation=organisation), placement=tiny)

    with pytest.raises(services.PlacementFull):
        services.episode_start(
            actor=coach_actor,
            client_id=coach_client.pk,
            data=services.EpisodeData(
                ktt_service.pk, "self", date(2026, 11, 2), placement_id=tiny.pk
            ),
            now=NOW,
        )


def _grid_actor(organisation: Organisation, username: str, *clients: Client) -> Actor:
    return role_actor(organisation, Role.WORK_COACH, username, *clients)


def test_attendance_record__keeps_the_old_value_in_the_history_when_corrected(
    organisation: Organisation, coach_client: Client
) -> None:
    instructor = _grid_actor(organisation, "ohjaaja1", coach_client)
    day = date(2026, 11, 23)
    services.attendance_record(
        actor=instructor, cells=[services.Cell(coach_client.pk, day, "present")], now=NOW
    )

    services.attendance_record(
        actor=instructor,
        cells=[services.Cell(coach_client.pk, day, "sick", "Flunssa", version=1)],
        now=NOW + timedelta(hours=1),
    )

    mark = Attendance.objects.get()
    assert (mark.status, mark.reason, mark.version) == ("sick", "Flunssa", 2)
    assert [(c.old_status, c.new_status) for c in mark.changes.all()] == [
        ("", "present"),
        ("present", "sick"),
    ]
    assert (
        ChangeLogEntry.objects.filter(
            event="services.attendance.recorded", client=coach_client
        ).count()
        == 2
    )


def test_attendance_record__reports_cells_another_instructor_saved_meanwhile_and_saves_nothing(
    organisation: Organisation, coach_client: Client
) -> None:
    second = ClientFactory.create(organisation=organisation)
    first_instructor = _grid_actor(organisation, "ohjaaja1", coach_client, second)
    other_instructor = _grid_actor(organisation, "ohjaaja2", coach_client, second)
    day = date(2026, 11, 23)
    services.attendance_record(
        actor=first_instructor, cells=[services.Cell(coach_client.pk, day, "present")], now=NOW
    )

    with pytest.raises(services.AttendanceConflict) as clash:
        services.attendance_record(
            actor=other_instructor,
            cells=[
                services.Cell(coach_client.pk, day, "sick", version=0),
                services.Cell(second.pk, day, "present"),
            ],
            now=NOW,
        )

    assert [(c.client_id, c.saved_status, c.attempted_status) for c in clash.value.conflicts] == [
        (coach_client.pk, "present", "sick")
    ]
    assert list(Attendance.objects.values_list("client_id", "status")) == [
        (coach_client.pk, "present")
    ]


def test_attendance_record__same_value_saved_by_both_instructors_is_not_a_conflict(
    organisation: Organisation, coach_client: Client
) -> None:
    instructor = _grid_actor(organisation, "ohjaaja1", coach_client)
    day = date(2026, 11, 23)
    services.attendance_record(
        actor=instructor, cells=[services.Cell(coach_client.pk, day, "present")], now=NOW
    )

    changed = services.attendance_record(
        actor=instructor, cells=[services.Cell(coach_client.pk, day, "present", version=0)], now=NOW
    )

    assert changed == 0


def test_attendance_record__refuses_clients_outside_the_actors_care(
    organisation: Organisation, coach_client: Client, foreign_client: Client
) -> None:
    instructor = _grid_actor(organisation, "ohjaaja1")

    with pytest.raises(policy.NoCareRelationship):
        services.attendance_record(
            actor=instructor,
            cells=[services.Cell(coach_client.pk, date(2026, 11, 23), "present")],
            now=NOW,
        )
    with pytest.raises(Http404):
        services.attendance_record(
            actor=instructor,
            cells=[services.Cell(foreign_client.pk, date(2026, 11, 23), "present")],
            now=NOW,
        )


def _present(
    client: Client, recorder: Actor, *days: date, status: str = AttendanceStatus.PRESENT
) -> None:
    Attendance.objects.bulk_create(
        Attendance(
            client=client, day=day, status=status, recorded_by=recorder.user, recorded_at=NOW
        )
        for day in days
    )


def test_claim_create__matches_hand_computed_reimbursement_to_the_cent(
    coach_actor: Actor,
    counsellor_actor: Actor,
    coach_client: Client,
    organisation: Organisation,
    ktt_service: ServiceType,
    workshop: Placement,
) -> None:
    """Hand computation (10,09 €/day, at most 4 days per ISO week since 1.7.2015):

    A: week 2026-W45 five days → 4 × 10,09 = 40,36; week W46 two days → 20,18; a sick
       day and a day after the contract ended are not counted. A = 60,54 € for 6 days.
    B: three days in W45 → 30,27 €.
    Total 90,81 € for 9 reimbursable days of 10 attended.
    """
    second = ClientFactory.create(organisation=organisation, responsible_worker=coach_actor.user)
    first_contract = _signed(
        coach_actor,
        counsellor_actor,
        coach_client,
        workshop,
        start=date(2026, 8, 10),
        end=date(2026, 11, 13),
    )
    CareAssignment.objects.create(
        client=second, worker=counsellor_actor.user, basis="service", started_on=NOW.date()
    )
    _signed(coach_actor, counsellor_actor, second, workshop, start=date(2026, 8, 17))
    week45 = [date(2026, 11, 2) + timedelta(days=offset) for offset in range(5)]
    _present(coach_client, coach_actor, *week45, date(2026, 11, 10), date(2026, 11, 11))
    _present(coach_client, coach_actor, date(2026, 11, 12), status=AttendanceStatus.SICK)
    _present(coach_client, coach_actor, date(2026, 11, 16))  # after the contract ended on 13.11.
    _present(second, coach_actor, *week45[:3])
    clerk = role_actor(organisation, Role.OFFICE_CLERK, "toimisto")

    claim = services.claim_create(
        actor=clerk, period_start=date(2026, 11, 1), period_end=date(2026, 11, 22), now=NOW
    )

    lines = {line.client_id: line for line in claim.lines.all()}
    assert (
        lines[coach_client.pk].attended_days,
        lines[coach_client.pk].reimbursable_days,
        lines[coach_client.pk].amount,
    ) == (7, 6, Decimal("60.54"))
    assert lines[second.pk].amount == Decimal("30.27")
    assert (claim.participants, claim.attended_days, claim.reimbursable_days, claim.amount) == (
        2,
        10,
        9,
        Decimal("90.81"),
    )
    assert claim.amount == sum(line.amount for line in lines.values())
    assert first_contract.pk


def test_claim_create__refuses_a_period_that_is_not_over(organisation: Organisation) -> None:
    clerk = role_actor(organisation, Role.OFFICE_CLERK, "toimisto")

    with pytest.raises(ValueError, match="toteutuneilta"):
        services.claim_create(
            actor=clerk, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30), now=NOW
        )


def test_episode_end__ends_the_ktt_contract_with_the_outcome(
    coach_actor: Actor,
    counsellor_actor: Actor,
    coach_client: Client,
    ktt_service: ServiceType,
    workshop: Placement,
) -> None:
    contract = _signed(coach_actor, counsellor_actor, coach_client, workshop)

    services.episode_end(
        actor=coach_actor,
        client_id=coach_client.pk,
        episode_id=contract.episode_id,
        ended_on=date(2027, 5, 31),
        outcome="studies",
        now=NOW,
    )

    contract.refresh_from_db()
    assert contract.status == KttContract.Status.ENDED
    assert contract.episode.outcome == "studies"
