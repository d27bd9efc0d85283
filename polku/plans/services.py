"""Writes to plans. Each change leaves a change-history row on the client's timeline."""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Capability
from polku.audit import services as audit
from polku.audit.events import (
    PLAN_CREATED,
    PLAN_INTERRUPTED,
    PLAN_PARTICIPANT_ADDED,
    PLAN_PARTICIPANT_REMOVED,
    PLAN_REPLACED,
    PLAN_REVIEWED,
    PLAN_SIGNED,
    PLAN_UPDATED,
    Event,
)
from polku.clients.models import CareAssignment
from polku.clients.services import care_assignment_end, care_assignment_start
from polku.plans import selectors
from polku.plans.models import (
    Interruption,
    Participant,
    Party,
    Plan,
    PlanStatus,
    PlanType,
    Review,
)
from polku.plans.review_dates import ReviewDateTooLate, review_schedule
from polku.rules.engine.plan_review import (
    InterruptionEvent,
    InterruptionFacts,
    decide_interruption_possible,
)

# Fields a worker edits on the plan form; the type and the client are set at creation.
EDITABLE_FIELDS = (
    "status",
    "made_on",
    "made_how",
    "agreed_services",
    "client_tasks",
    "applications_standard",
    "applications_per_month",
    "applications_reason",
    "assessment_period_ends_on",
    "requested_review_on",
)
# Statuses a worker sets on the form; interruption and replacement have their own rules.
FORM_STATUSES = (PlanStatus.DRAFT, PlanStatus.ACTIVE, PlanStatus.ENDED)
ORGANISATION_PARTY: dict[str, Party] = {
    Organisation.Kind.MUNICIPALITY: Party.MUNICIPALITY,
    Organisation.Kind.EMPLOYMENT_AREA: Party.EMPLOYMENT_AUTHORITY,
    Organisation.Kind.WELLBEING_COUNTY: Party.WELLBEING_COUNTY,
}


class PlanInvalid(ValueError):
    """The plan cannot be saved as given; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class InterruptionRefused(PlanInvalid):
    """The law does not (yet) allow deeming the plan interrupted."""


class PlanEditConflict(ValueError):
    """Someone else saved the plan after it was opened: nothing was overwritten."""

    def __init__(self, current: Plan, attempted: dict[str, Any]) -> None:
        super().__init__(_("Joku muu tallensi suunnitelman sillä välin."))
        self.current = current
        self.attempted = attempted


@dataclass(frozen=True)
class ParticipantData:
    """A worker of the organisation (``user_id``), or an outside person by name."""

    party: str = ""
    name: str = ""
    organisation_name: str = ""
    role: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class ReviewData:
    reviewed_on: date
    held_how: str
    outcome: str
    participants: str = ""
    notes: str = ""
    next_review_requested: date | None = None


@dataclass(frozen=True)
class InterruptionData:
    event_type: str
    event_start: date
    decided_on: date
    employment_authority_decider_id: int
    wellbeing_county_decider_id: int
    hearing_on: date | None = None
    hearing_how: str = ""
    hearing_statement: str = ""


def _day(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _values(plan: Plan) -> dict[str, Any]:
    return {
        field: getattr(plan, field)
        for field in (*EDITABLE_FIELDS, "next_review_on", "statutory_review_on")
    }


def _validate(fields: dict[str, Any], plan_type: str) -> None:
    errors: dict[str, str] = {}
    ends_on, made_on = fields.get("assessment_period_ends_on"), fields["made_on"]
    if plan_type == PlanType.ASSESSMENT_PERIOD and ends_on is None:
        errors["assessment_period_ends_on"] = _(
            "Kirjaa kartoitusjakson päättymispäivä: laki ei määrää jakson pituutta."
        )
    if ends_on is not None and ends_on < made_on:
        errors["assessment_period_ends_on"] = _("Jakso ei voi päättyä ennen alkamistaan.")
    standard, lowered = fields.get("applications_standard"), fields.get("applications_per_month")
    if (
        standard is not None
        and lowered is not None
        and lowered < standard
        and not fields.get("applications_reason", "").strip()
    ):
        errors["applications_reason"] = _("Kirjaa peruste työnhakuvelvoitteen alentamiselle.")
    requested = fields.get("requested_review_on")
    if requested is not None and requested < made_on:
        errors["requested_review_on"] = _("Tarkistus ei voi olla ennen suunnitelman laatimista.")
    if fields.get("status") not in FORM_STATUSES:
        errors["status"] = _("Valitse tila: luonnos, voimassa tai päättynyt.")
    if errors:
        raise PlanInvalid(errors)


def _schedule(
    plan: Plan, *, requested_on: date | None, today: date, field: str = "requested_review_on"
) -> None:
    """Set the statutory and next review dates from the engine (none for a closed plan)."""
    if not plan.is_open:
        plan.statutory_review_on = plan.next_review_on = None
        return
    try:
        schedule = review_schedule(
            plan_type=plan.plan_type,
            made_on=plan.made_on,
            last_review_on=plan.last_reviewed_on,
            requested_on=requested_on,
            as_of=today,
        )
    except ReviewDateTooLate as late:
        raise PlanInvalid({field: str(late)}) from late
    plan.statutory_review_on, plan.next_review_on = schedule.statutory, schedule.next


def _open_for_change(
    *, actor: Actor, plan_id: int, client_id: int | None, now: datetime, view: str
) -> Plan:
    policy.require(actor, Capability.MANAGE_PLANS)
    plans = Plan.objects.filter(pk=plan_id, organisation=actor.organisation)
    if client_id is not None:
        plans = plans.filter(client_id=client_id)
    owner = plans.values_list("client_id", flat=True).first()
    if owner is None:
        raise Http404(_("Suunnitelmaa ei löydy."))
    client = policy.client_open(actor=actor, client_id=owner, now=now, view=view)
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    plan.client = client
    return plan


def _participant_fields(actor: Actor, data: ParticipantData) -> dict[str, Any]:
    """The row's fields: a worker's from the user record, an outside person's as given."""
    if data.user_id is None:
        if not data.name.strip() or data.party not in Party.values:
            raise PlanInvalid(
                {"name": _("Valitse työntekijä tai kirjoita ulkopuolisen osallistujan nimi.")}
            )
        return {**asdict(data), "name": data.name.strip()}
    worker = selectors.participant_worker(actor=actor, user_id=data.user_id)
    if worker is None:
        raise PlanInvalid({"user": _("Valitse organisaation työntekijä luettelosta.")})
    return {
        "user": worker,
        "party": ORGANISATION_PARTY.get(actor.organisation.kind, Party.MUNICIPALITY),
        "name": worker.get_full_name() or worker.get_username(),
        "organisation_name": actor.organisation.name,
        "role": data.role or selectors.participant_role_label(actor=actor, user=worker),
    }


def _participant_add(
    *, actor: Actor, plan: Plan, data: ParticipantData, now: datetime
) -> Participant:
    fields = _participant_fields(actor, data)
    if fields.get("user") and plan.participants.filter(user=fields["user"]).exists():
        raise PlanInvalid({"user": _("Työntekijä on jo suunnitelman osallistuja.")})
    participant = Participant.objects.create(plan=plan, **fields)
    audit.record(
        event=PLAN_PARTICIPANT_ADDED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=participant,
        client_id=plan.client_id,
        changes=audit.changes_between(
            {}, {"plan": plan.pk, "party": participant.party, "user": participant.user_id}
        ),
    )
    if participant.user is not None and plan.is_open:
        _care_start(actor=actor, plan=plan, worker=participant.user, now=now)
    return participant


def _plan_note(plan: Plan) -> str:
    return f"plan:{plan.pk}"


def _care_start(*, actor: Actor, plan: Plan, worker: User, now: datetime) -> None:
    """A worker taking part in an open plan has a care relationship to the client."""
    care_assignment_start(
        actor=actor,
        client=plan.client,
        worker=worker,
        basis=CareAssignment.Basis.PLAN,
        note=_plan_note(plan),
        now=now,
    )


def _care_end(*, actor: Actor, plan: Plan, now: datetime, worker_id: int | None = None) -> None:
    """End the plan's care relationships (of one worker, or of all when the plan closes)."""
    assignments = CareAssignment.objects.filter(
        client_id=plan.client_id,
        basis=CareAssignment.Basis.PLAN,
        note=_plan_note(plan),
        ended_on__isnull=True,
    )
    if worker_id is not None:
        assignments = assignments.filter(worker_id=worker_id)
    for assignment in assignments:
        care_assignment_end(actor=actor, assignment=assignment, now=now)


def _replace_activation_plans(*, actor: Actor, plan: Plan, now: datetime) -> None:
    """A multi-sector plan replaces the client's active activation plan (LEGAL.md § 2.1)."""
    if plan.plan_type != PlanType.MULTISECTOR or plan.status != PlanStatus.ACTIVE:
        return
    replaced = Plan.objects.select_for_update().filter(
        client_id=plan.client_id, plan_type=PlanType.ACTIVATION, status=PlanStatus.ACTIVE
    )
    for old in replaced:
        old.replaced_by = plan
        _close(
            actor=actor,
            plan=old,
            status=PlanStatus.REPLACED,
            ended_on=plan.made_on,
            event=PLAN_REPLACED,
            now=now,
            extra={"replaced_by": [None, plan.pk]},
        )


def _close(
    *,
    actor: Actor,
    plan: Plan,
    status: str,
    ended_on: date,
    event: Event,
    now: datetime,
    extra: audit.Changes,
) -> None:
    """End a plan's cycle (replaced, interrupted): no further reviews fall due."""
    before = _values(plan)
    plan.status, plan.ended_on = status, ended_on
    plan.statutory_review_on = plan.next_review_on = None
    plan.updated_at, plan.version = now, plan.version + 1
    plan.save()
    _care_end(actor=actor, plan=plan, now=now)
    audit.record(
        event=event,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=plan,
        client_id=plan.client_id,
        changes={**audit.changes_between(before, _values(plan)), **extra},
    )


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    client_id: int,
    plan_type: str,
    fields: dict[str, Any],
    today: date,
    now: datetime,
) -> Plan:
    """Make a plan; the client and the worker become its first participants.

    The next review date comes from the rules engine; an active multi-sector plan
    replaces the client's active activation plan.

    Raises:
        PlanInvalid: a field breaks a rule (e.g. a review later than the law allows).
    """
    policy.require(actor, Capability.MANAGE_PLANS)
    client = policy.client_open(actor=actor, client_id=client_id, now=now, view="plans:create")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown or plan_type not in PlanType.values:
        raise ValueError(f"not editable: {sorted(unknown)} / {plan_type}")
    _validate(fields, plan_type)
    if fields["status"] == PlanStatus.ENDED:
        raise PlanInvalid({"status": _("Uusi suunnitelma on luonnos tai voimassa.")})
    plan = Plan(
        organisation=actor.organisation,
        client=client,
        plan_type=plan_type,
        created_by=actor.user,
        created_at=now,
        updated_at=now,
        **fields,
    )
    if plan_type != PlanType.ASSESSMENT_PERIOD:
        plan.assessment_period_ends_on = None
    _schedule(plan, requested_on=plan.requested_review_on, today=today)
    plan.save()
    audit.record(
        event=PLAN_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=plan,
        client_id=client.pk,
        changes=audit.changes_between({}, {"plan_type": plan_type, **_values(plan)}),
    )
    _participant_add(
        actor=actor,
        plan=plan,
        data=ParticipantData(party=Party.CLIENT, name=client.full_name, role=_("Asiakas")),
        now=now,
    )
    _participant_add(
        actor=actor,
        plan=plan,
        data=ParticipantData(user_id=actor.user.pk, role=_("Suunnitelman laatija")),
        now=now,
    )
    _replace_activation_plans(actor=actor, plan=plan, now=now)
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: Actor,
    plan_id: int,
    version: int,
    fields: dict[str, Any],
    today: date,
    now: datetime,
    client_id: int | None = None,
) -> Plan:
    """Change a plan if nobody else saved it since ``version`` was read.

    Raises:
        PlanEditConflict: the plan changed after it was opened; it carries both versions.
        PlanInvalid: a field breaks a rule.
    """
    plan = _open_for_change(
        actor=actor, plan_id=plan_id, client_id=client_id, now=now, view="plans:edit"
    )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if plan.version != version:
        raise PlanEditConflict(current=plan, attempted=fields)
    if not plan.is_open:
        raise PlanInvalid({"status": _("Keskeytynyttä, korvattua tai päättynyttä ei muuteta.")})
    _validate({**_values(plan), **fields}, plan.plan_type)
    before = _values(plan)
    for name, value in fields.items():
        setattr(plan, name, value)
    if plan.status == PlanStatus.ENDED and plan.ended_on is None:
        plan.ended_on = today
    _schedule(plan, requested_on=plan.requested_review_on, today=today)
    plan.updated_at, plan.version = now, version + 1
    plan.save()
    if not plan.is_open:
        _care_end(actor=actor, plan=plan, now=now)
    audit.record(
        event=PLAN_UPDATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=plan,
        client_id=plan.client_id,
        changes=audit.changes_between(before, _values(plan)),
    )
    _replace_activation_plans(actor=actor, plan=plan, now=now)
    return plan


@transaction.atomic
def plan_participant_add(
    *,
    actor: Actor,
    plan_id: int,
    data: ParticipantData,
    now: datetime,
    client_id: int | None = None,
) -> Participant:
    """Add a participant: a worker of the organisation, who then has a care relationship to
    the client while the plan is open, or an outside person (employment authority,
    wellbeing county, Kela, ...) by name.

    Raises:
        PlanInvalid: neither a worker nor a name, a user who is not a worker of the
            organisation, or a worker already taking part.
    """
    plan = _open_for_change(
        actor=actor, plan_id=plan_id, client_id=client_id, now=now, view="plans:participant_add"
    )
    return _participant_add(actor=actor, plan=plan, data=data, now=now)


@transaction.atomic
def plan_participant_remove(
    *,
    actor: Actor,
    plan_id: int,
    participant_id: int,
    now: datetime,
    client_id: int | None = None,
) -> None:
    """Remove a participant who has not signed; a worker's care relationship ends with it.

    Raises:
        PlanInvalid: the participant signed the plan or decided its interruption.
    """
    plan = _open_for_change(
        actor=actor,
        plan_id=plan_id,
        client_id=client_id,
        now=now,
        view="plans:participant_remove",
    )
    participant = plan.participants.filter(pk=participant_id).first()
    if participant is None:
        raise Http404(_("Osallistujaa ei löydy."))
    if participant.signed_on is not None or Interruption.objects.filter(plan=plan).exists():
        raise PlanInvalid(
            {
                "participant": _(
                    "Allekirjoittanutta tai päätöksen tehnyttä osallistujaa ei poisteta."
                )
            }
        )
    audit.record(
        event=PLAN_PARTICIPANT_REMOVED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=participant,
        client_id=plan.client_id,
        changes={
            "plan": [plan.pk, None],
            "party": [participant.party, None],
            "name": [participant.name, None],
            "user": [participant.user_id, None],
        },
    )
    participant.delete()
    if participant.user_id is not None:
        _care_end(actor=actor, plan=plan, now=now, worker_id=participant.user_id)


@transaction.atomic
def plan_sign(
    *,
    actor: Actor,
    plan_id: int,
    participant_id: int,
    signed_on: date,
    now: datetime,
    client_id: int | None = None,
) -> Participant:
    """Record that a participant signed the plan (who and when).

    Raises:
        PlanInvalid: the participant has already signed.
    """
    plan = _open_for_change(
        actor=actor, plan_id=plan_id, client_id=client_id, now=now, view="plans:sign"
    )
    participant = Participant.objects.filter(pk=participant_id, plan=plan).first()
    if participant is None:
        raise Http404(_("Osallistujaa ei löydy."))
    if participant.signed_on is not None:
        raise PlanInvalid(
            {"signed_on": _("Allekirjoitettu jo %(day)s.") % {"day": _day(participant.signed_on)}}
        )
    if signed_on < plan.made_on:
        raise PlanInvalid({"signed_on": _("Allekirjoitus ei voi olla ennen laatimista.")})
    participant.signed_on, participant.signature_recorded_by = signed_on, actor.user
    participant.save(update_fields=["signed_on", "signature_recorded_by"])
    audit.record(
        event=PLAN_SIGNED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=participant,
        client_id=plan.client_id,
        changes={"signed_on": [None, signed_on.isoformat()], "plan": [None, plan.pk]},
    )
    return participant


@transaction.atomic
def plan_review_record(
    *,
    actor: Actor,
    plan_id: int,
    data: ReviewData,
    today: date,
    now: datetime,
    client_id: int | None = None,
) -> Review:
    """Record a review; the next review date is recomputed by the rules engine.

    Raises:
        PlanInvalid: the plan is closed, the date is off, or the next date is too late.
    """
    plan = _open_for_change(
        actor=actor, plan_id=plan_id, client_id=client_id, now=now, view="plans:review"
    )
    if not plan.is_open:
        raise PlanInvalid({"reviewed_on": _("Suunnitelma ei ole voimassa.")})
    if data.reviewed_on > today or data.reviewed_on < plan.made_on:
        raise PlanInvalid(
            {"reviewed_on": _("Tarkistuspäivä on laatimispäivän ja tämän päivän välillä.")}
        )
    before, previous = _values(plan), plan.last_reviewed_on
    plan.last_reviewed_on = max(plan.last_reviewed_on or data.reviewed_on, data.reviewed_on)
    plan.requested_review_on = data.next_review_requested
    if data.outcome == Review.Outcome.ENDED:
        plan.status, plan.ended_on = PlanStatus.ENDED, data.reviewed_on
    _schedule(
        plan, requested_on=data.next_review_requested, today=today, field="next_review_requested"
    )
    plan.updated_at, plan.version = now, plan.version + 1
    plan.save()
    if not plan.is_open:
        _care_end(actor=actor, plan=plan, now=now)
    review = Review.objects.create(
        plan=plan,
        reviewed_on=data.reviewed_on,
        held_how=data.held_how,
        participants=data.participants,
        notes=data.notes,
        outcome=data.outcome,
        recorded_by=actor.user,
        recorded_at=now,
    )
    audit.record(
        event=PLAN_REVIEWED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=plan,
        client_id=plan.client_id,
        changes={
            **audit.changes_between(before, _values(plan)),
            "last_reviewed_on": [
                previous.isoformat() if previous else None,
                plan.last_reviewed_on.isoformat(),
            ],
            "review": [None, review.pk],
        },
    )
    return review


@transaction.atomic
def plan_interrupt(
    *,
    actor: Actor,
    plan_id: int,
    data: InterruptionData,
    today: date,
    now: datetime,
    client_id: int | None = None,
) -> Interruption:
    """Deem an activation plan interrupted (keskeytyminen, 189/2001 § 5).

    Possible once the rules engine says the wait after work, enterprise or full-time
    studies began has passed, after the person was heard; decided by the employment
    authority and the wellbeing county.

    Raises:
        InterruptionRefused: no hearing, too early, or a decision maker missing.
    """
    plan = _open_for_change(
        actor=actor, plan_id=plan_id, client_id=client_id, now=now, view="plans:interrupt"
    )
    if plan.plan_type != PlanType.ACTIVATION or plan.status != PlanStatus.ACTIVE:
        raise InterruptionRefused(
            {"__all__": _("Vain voimassa oleva aktivointisuunnitelma voi keskeytyä.")}
        )
    errors: dict[str, str] = {}
    if data.hearing_on is None or not data.hearing_statement.strip() or not data.hearing_how:
        errors["hearing_on"] = _(
            "Henkilöä on kuultava ennen päätöstä: kirjaa kuulemisen päivä, tapa ja lausuma."
        )
    elif data.hearing_on > data.decided_on:
        errors["hearing_on"] = _("Kuuleminen on tehtävä ennen päätöstä.")
    if data.decided_on > today:
        errors["decided_on"] = _("Päätöspäivä ei voi olla tulevaisuudessa.")
    deciders = {participant.pk: participant.party for participant in plan.participants.all()}
    if deciders.get(data.employment_authority_decider_id) != Party.EMPLOYMENT_AUTHORITY:
        errors["employment_authority_decider"] = _(
            "Valitse päättäjäksi suunnitelman osallistuja työvoimaviranomaisesta."
        )
    if deciders.get(data.wellbeing_county_decider_id) != Party.WELLBEING_COUNTY:
        errors["wellbeing_county_decider"] = _(
            "Valitse päättäjäksi suunnitelman osallistuja hyvinvointialueelta."
        )
    decision = decide_interruption_possible(
        InterruptionFacts(InterruptionEvent(data.event_type), data.event_start), data.decided_on
    )
    if not decision.result.possible:
        errors["decided_on"] = _(
            "Suunnitelma voidaan katsoa keskeytyneeksi aikaisintaan %(day)s."
        ) % {"day": _day(decision.result.possible_from)}
    if errors:
        raise InterruptionRefused(errors)
    assert data.hearing_on is not None  # checked above  # noqa: S101
    interruption = Interruption.objects.create(
        plan=plan,
        event_type=data.event_type,
        event_start=data.event_start,
        hearing_on=data.hearing_on,
        hearing_how=data.hearing_how,
        hearing_statement=data.hearing_statement,
        decided_on=data.decided_on,
        employment_authority_decider_id=data.employment_authority_decider_id,
        wellbeing_county_decider_id=data.wellbeing_county_decider_id,
        recorded_by=actor.user,
        recorded_at=now,
    )
    _close(
        actor=actor,
        plan=plan,
        status=PlanStatus.INTERRUPTED,
        ended_on=data.decided_on,
        event=PLAN_INTERRUPTED,
        now=now,
        extra={
            "interruption": [None, interruption.pk],
            "hearing_on": [None, data.hearing_on.isoformat()],
        },
    )
    return interruption
