from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from polku.access.policy import NoCareRelationship
from polku.accounts.roles import Actor
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client
from polku.plans import services
from polku.plans.models import Party, Plan, PlanStatus, PlanType
from polku.plans.tests.factories import ParticipantFactory, PlanFactory

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


def _fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "status": PlanStatus.ACTIVE,
        "made_on": date(2026, 11, 2),
        "made_how": "in_person",
        "agreed_services": "Yksilövalmennus\nTyökokeilu",
        "client_tasks": "Hakee töitä",
        "applications_standard": None,
        "applications_per_month": None,
        "applications_reason": "",
        "assessment_period_ends_on": None,
        "requested_review_on": None,
    }
    return {**fields, **overrides}


def _create(actor: Actor, client: Client, plan_type: str = PlanType.ACTIVATION, **kw: Any) -> Plan:
    today = kw.pop("today", TODAY)
    return services.plan_create(
        actor=actor,
        client_id=client.pk,
        plan_type=plan_type,
        fields=_fields(**kw),
        today=today,
        now=NOW,
    )


def test_plan_create__review_date_comes_from_the_engine(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan = _create(coach_actor, coach_client)

    assert plan.statutory_review_on == date(2027, 2, 2)
    assert plan.next_review_on == date(2027, 2, 2)
    assert [p.party for p in plan.participants.all()] == [Party.CLIENT, Party.MUNICIPALITY]
    entry = ChangeLogEntry.objects.get(event="plans.plan.created")
    assert entry.client_id == coach_client.pk
    assert entry.changes["next_review_on"] == [None, "2027-02-02"]


def test_plan_create__activation_plan_before_2_5_2022_has_no_statutory_date(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan = _create(coach_actor, coach_client, made_on=date(2022, 1, 10), today=date(2022, 2, 1))

    assert plan.statutory_review_on is None
    assert plan.next_review_on is None


def test_plan_create__worker_may_set_an_earlier_review_date(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan = _create(coach_actor, coach_client, requested_review_on=date(2026, 12, 15))

    assert plan.statutory_review_on == date(2027, 2, 2)
    assert plan.next_review_on == date(2026, 12, 15)


def test_plan_create__later_review_date_than_the_law_allows_is_refused(
    coach_actor: Actor, coach_client: Client
) -> None:
    with pytest.raises(services.PlanInvalid) as refused:
        _create(coach_actor, coach_client, requested_review_on=date(2027, 3, 1))

    assert "viimeistään 2.2.2027" in refused.value.errors["requested_review_on"]
    assert not Plan.objects.exists()


def test_plan_create__plan_without_statutory_interval_takes_any_agreed_date(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan = _create(
        coach_actor, coach_client, PlanType.COACHING, requested_review_on=date(2027, 9, 1)
    )

    assert plan.statutory_review_on is None
    assert plan.next_review_on == date(2027, 9, 1)


def test_plan_create__assessment_period_needs_its_end_date(
    coach_actor: Actor, coach_client: Client
) -> None:
    with pytest.raises(services.PlanInvalid) as refused:
        _create(coach_actor, coach_client, PlanType.ASSESSMENT_PERIOD)

    assert "assessment_period_ends_on" in refused.value.errors


def test_plan_create__lowered_job_search_obligation_needs_a_reason(
    coach_actor: Actor, coach_client: Client
) -> None:
    with pytest.raises(services.PlanInvalid) as refused:
        _create(coach_actor, coach_client, applications_standard=4, applications_per_month=1)

    assert "applications_reason" in refused.value.errors


def test_plan_create__other_organisations_client_is_not_found(
    stranger_actor: Actor, coach_client: Client
) -> None:
    with pytest.raises(Http404):
        _create(stranger_actor, coach_client)


def test_plan_create__without_care_relationship_is_refused(
    colleague_actor: Actor, coach_client: Client
) -> None:
    with pytest.raises(NoCareRelationship):
        _create(colleague_actor, coach_client)


def test_plan_create__multisector_plan_replaces_the_active_activation_plan(
    coach_actor: Actor, coach_client: Client
) -> None:
    old = PlanFactory.create(client=coach_client, next_review_on=date(2026, 12, 1))

    new = _create(coach_actor, coach_client, PlanType.MULTISECTOR)

    old.refresh_from_db()
    assert old.status == PlanStatus.REPLACED
    assert old.replaced_by == new
    assert old.next_review_on is None
    assert list(new.replaces.all()) == [old]
    entry = ChangeLogEntry.objects.get(event="plans.plan.replaced")
    assert entry.changes["status"] == ["active", "replaced"]
    assert entry.changes["replaced_by"] == [None, new.pk]


def test_plan_create__draft_multisector_plan_replaces_nothing(
    coach_actor: Actor, coach_client: Client
) -> None:
    old = PlanFactory.create(client=coach_client)

    _create(coach_actor, coach_client, PlanType.MULTISECTOR, status=PlanStatus.DRAFT)

    old.refresh_from_db()
    assert old.status == PlanStatus.ACTIVE


def test_plan_update__concurrent_edit_is_a_conflict(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan = _create(coach_actor, coach_client)
    services.plan_update(
        actor=coach_actor,
        plan_id=plan.pk,
        version=1,
        fields={"client_tasks": "Ensimmäinen"},
        today=TODAY,
        now=NOW,
    )

    with pytest.raises(services.PlanEditConflict) as clash:
        services.plan_update(
            actor=coach_actor,
            plan_id=plan.pk,
            version=1,
            fields={"client_tasks": "Toinen"},
            today=TODAY,
            now=NOW,
        )

    assert clash.value.current.client_tasks == "Ensimmäinen"
    assert clash.value.current.version == 2


def test_plan_update__history_has_old_and_new_values(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan = _create(coach_actor, coach_client)

    services.plan_update(
        actor=coach_actor,
        plan_id=plan.pk,
        version=plan.version,
        fields={"client_tasks": "Uusi tehtävä", "requested_review_on": date(2026, 12, 1)},
        today=TODAY,
        now=NOW,
    )

    entry = ChangeLogEntry.objects.get(event="plans.plan.updated")
    assert entry.changes["client_tasks"] == ["Hakee töitä", "Uusi tehtävä"]
    assert entry.changes["next_review_on"] == ["2027-02-02", "2026-12-01"]


def test_plan_review_record__recomputes_the_next_review_from_the_review(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan = _create(coach_actor, coach_client, requested_review_on=date(2026, 11, 20))

    services.plan_review_record(
        actor=coach_actor,
        plan_id=plan.pk,
        data=services.ReviewData(
            reviewed_on=date(2026, 11, 20), held_how="phone", outcome="continues"
        ),
        today=TODAY,
        now=NOW,
    )

    plan.refresh_from_db()
    assert plan.last_reviewed_on == date(2026, 11, 20)
    assert plan.requested_review_on is None
    assert plan.next_review_on == date(2027, 2, 20)
    assert plan.reviews.count() == 1
    assert ChangeLogEntry.objects.filter(event="plans.plan.reviewed").count() == 1


def test_plan_review_record__later_next_date_than_the_law_allows_is_refused(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan = _create(coach_actor, coach_client)

    with pytest.raises(services.PlanInvalid) as refused:
        services.plan_review_record(
            actor=coach_actor,
            plan_id=plan.pk,
            data=services.ReviewData(
                reviewed_on=date(2026, 11, 20),
                held_how="phone",
                outcome="continues",
                next_review_requested=date(2027, 6, 1),
            ),
            today=TODAY,
            now=NOW,
        )

    assert "next_review_requested" in refused.value.errors
    assert not plan.reviews.exists()


def test_plan_sign__records_who_and_when_once(coach_actor: Actor, coach_client: Client) -> None:
    plan = _create(coach_actor, coach_client)
    participant = plan.participants.first()
    assert participant is not None

    services.plan_sign(
        actor=coach_actor, plan_id=plan.pk, participant_id=participant.pk, signed_on=TODAY, now=NOW
    )

    participant.refresh_from_db()
    assert participant.signed_on == TODAY
    assert participant.signature_recorded_by == coach_actor.user
    with pytest.raises(services.PlanInvalid):
        services.plan_sign(
            actor=coach_actor,
            plan_id=plan.pk,
            participant_id=participant.pk,
            signed_on=TODAY,
            now=NOW,
        )


def _interruption_setup(client: Client) -> tuple[Plan, int, int]:
    plan = PlanFactory.create(client=client, made_on=date(2026, 6, 1))
    authority = ParticipantFactory.create(plan=plan, party=Party.EMPLOYMENT_AUTHORITY)
    county = ParticipantFactory.create(plan=plan, party=Party.WELLBEING_COUNTY)
    return plan, authority.pk, county.pk


def _interrupt(actor: Actor, plan: Plan, authority: int, county: int, **kw: Any) -> None:
    data = {
        "event_type": "employment",
        "event_start": date(2026, 10, 1),
        "decided_on": date(2026, 11, 10),
        "employment_authority_decider_id": authority,
        "wellbeing_county_decider_id": county,
        "hearing_on": date(2026, 11, 5),
        "hearing_how": "phone",
        "hearing_statement": "Aloitti kokoaikatyön.",
        **kw,
    }
    services.plan_interrupt(
        actor=actor,
        plan_id=plan.pk,
        data=services.InterruptionData(**data),
        today=TODAY,
        now=NOW,
    )


def test_plan_interrupt__refused_without_a_hearing(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan, authority, county = _interruption_setup(coach_client)

    with pytest.raises(services.InterruptionRefused) as refused:
        _interrupt(coach_actor, plan, authority, county, hearing_on=None, hearing_statement="")

    assert "hearing_on" in refused.value.errors
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_plan_interrupt__refused_before_one_month_has_passed(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan, authority, county = _interruption_setup(coach_client)

    with pytest.raises(services.InterruptionRefused) as refused:
        _interrupt(
            coach_actor,
            plan,
            authority,
            county,
            event_start=date(2026, 10, 20),
            hearing_on=date(2026, 11, 1),
        )

    assert "20.11.2026" in refused.value.errors["decided_on"]


def test_plan_interrupt__refused_without_both_decision_makers(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan, authority, _county = _interruption_setup(coach_client)

    with pytest.raises(services.InterruptionRefused) as refused:
        _interrupt(coach_actor, plan, authority, authority)

    assert "wellbeing_county_decider" in refused.value.errors


def test_plan_interrupt__accepted_after_hearing_and_one_month(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan, authority, county = _interruption_setup(coach_client)

    _interrupt(coach_actor, plan, authority, county)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.INTERRUPTED
    assert plan.next_review_on is None
    assert plan.interruption.hearing_statement == "Aloitti kokoaikatyön."
    assert ChangeLogEntry.objects.filter(event="plans.plan.interrupted").count() == 1


def test_plan_interrupt__only_for_activation_plans(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan, authority, county = _interruption_setup(coach_client)
    Plan.objects.filter(pk=plan.pk).update(plan_type=PlanType.COACHING)

    with pytest.raises(services.InterruptionRefused):
        _interrupt(coach_actor, plan, authority, county)


def test_plan_update__needs_manage_plans(
    coach_client: Client, organisation: Any, coach_actor: Actor
) -> None:
    from polku.accounts.roles import Role
    from polku.accounts.tests.factories import UserFactory, actor_of

    clerk = UserFactory.create(memberships=[(organisation, Role.OFFICE_CLERK)])
    plan = PlanFactory.create(client=coach_client)

    with pytest.raises(PermissionDenied):
        services.plan_update(
            actor=actor_of(clerk, organisation),
            plan_id=plan.pk,
            version=1,
            fields={},
            today=TODAY,
            now=NOW,
        )
