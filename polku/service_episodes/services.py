"""Writes for services, placements, KTT contracts, attendance, groups and claims (SPEC C4).

Legal limits and amounts come from the rules engine; every change leaves one
change-history row (with ``client_id`` when it concerns a client, so it shows on the
client's timeline).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import User
from polku.accounts.roles import Actor, Capability
from polku.audit import services as audit
from polku.audit.events import (
    ALLOWANCE_RECORDED,
    ATTENDANCE_RECORDED,
    CLAIM_CREATED,
    GROUP_CREATED,
    GROUP_MEMBER_ADDED,
    GROUP_SESSION_ADDED,
    KTT_CONTRACT_CREATED,
    KTT_CONTRACT_DECIDED,
    KTT_CONTRACT_EXTENDED,
    KTT_CONTRACT_INTERRUPTED,
    KTT_CONTRACT_SIGNED,
    KTT_EVALUATION_HELD,
    PLACEMENT_CREATED,
    SERVICE_EPISODE_ENDED,
    SERVICE_EPISODE_STARTED,
    SERVICE_TYPE_CREATED,
)
from polku.clients.models import CareAssignment, Client, MainIncome
from polku.clients.services import care_assignment_end, care_assignment_start
from polku.ktt import services as ktt_services
from polku.referrals import services as referrals
from polku.rules.engine.ktt_allowance import KttAllowanceFacts, decide_ktt_allowance
from polku.rules.engine.ktt_contract import (
    ContractIssue,
)
from polku.service_episodes import claim_computation, ktt_terms, selectors
from polku.service_episodes.models import (
    AllowanceStatement,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    ClaimLine,
    Group,
    GroupMember,
    GroupSession,
    InterruptionNotice,
    KttContract,
    Outcome,
    Placement,
    ReimbursementClaim,
    ServiceEpisode,
    ServiceKind,
    ServiceType,
)

# Follow-up meetings are booked at this local time; the worker moves them in the calendar.
FOLLOW_UP_TIME = time(10, 0)
UNEMPLOYMENT_BENEFITS = frozenset(
    {MainIncome.UNEMPLOYMENT_BENEFIT, MainIncome.LABOUR_MARKET_SUBSIDY}
)


class ContractInvalid(ValueError):
    """The contract breaks a legal limit; ``errors`` are the engine's reasons."""

    def __init__(self, errors: Sequence[ContractIssue]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = tuple(errors)


class WrongState(ValueError):
    """The contract is not in a state that allows this step."""


class PlacementFull(ValueError):
    """The placement has no free places left."""


class EditConflict(ValueError):
    """Someone else saved the record after it was opened: nothing was overwritten."""

    def __init__(self, current: Any) -> None:
        super().__init__(_("Joku muu tallensi tiedot sillä välin. Tarkista ja tallenna uudelleen."))
        self.current = current


# ---------------------------------------------------------------- catalogue and placements


@transaction.atomic
def service_type_create(
    *, actor: Actor, kind: str, name: str, description: str, now: datetime
) -> ServiceType:
    """Add a service to the organisation's catalogue."""
    policy.require(actor, Capability.MANAGE_PLACEMENTS)
    service = ServiceType.objects.create(
        organisation=actor.organisation, kind=kind, name=name, description=description
    )
    audit.record(
        event=SERVICE_TYPE_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=service,
        changes={"kind": [None, kind], "name": [None, name]},
    )
    return service


@dataclass(frozen=True)
class PlacementData:
    name: str
    kind: str
    address: str = ""
    capacity: int = 1
    contact_person: str = ""
    contact_phone: str = ""
    orientation_given_on: date | None = None
    supervisor_ids: tuple[int, ...] = ()
    provider_id: int | None = None  # None: the provider the kind implies (polku.ktt)


@transaction.atomic
def placement_create(*, actor: Actor, data: PlacementData, now: datetime) -> Placement:
    """Add a work activity place under its KTT provider; its supervisors see its clients."""
    policy.require(actor, Capability.MANAGE_PLACEMENTS)
    provider = ktt_services.placement_provider(
        actor=actor,
        provider_id=data.provider_id,
        kind=data.kind,
        name=data.name,
        today=now.date(),
        now=now,
    )
    fields = {
        key: value
        for key, value in data.__dict__.items()
        if key not in {"supervisor_ids", "provider_id"}
    }
    placement = Placement.objects.create(
        organisation=actor.organisation, provider=provider, **fields
    )
    placement.supervisors.set(
        User.objects.filter(
            pk__in=data.supervisor_ids, memberships__organisation=actor.organisation
        ).distinct()
    )
    audit.record(
        event=PLACEMENT_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=placement,
        changes=audit.changes_between(
            {},
            data.__dict__
            | {"supervisor_ids": list(data.supervisor_ids), "provider_id": provider.pk},
        ),
    )
    return placement


def _placement(actor: Actor, placement_id: int | None) -> Placement | None:
    if placement_id is None:
        return None
    placement = Placement.objects.filter(pk=placement_id, organisation=actor.organisation).first()
    if placement is None:
        raise Http404(_("Työtoimintapaikkaa ei löydy."))
    return placement


def _check_room(placement: Placement, on: date) -> None:
    taken = ServiceEpisode.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on), placement=placement, started_on__lte=on
    ).count()
    if taken >= placement.capacity:
        raise PlacementFull(
            _("Paikassa %(name)s ei ole vapaita paikkoja (%(capacity)d).")
            % {"name": placement.name, "capacity": placement.capacity}
        )


def _supervisors_start(
    *, actor: Actor, episode: ServiceEpisode, client: Client, now: datetime
) -> None:
    """Placement supervisors get a care relationship while the client is placed at their unit."""
    if episode.placement is None:
        return
    for supervisor in episode.placement.supervisors.all():
        care_assignment_start(
            actor=actor,
            client=client,
            worker=supervisor,
            basis=CareAssignment.Basis.SERVICE,
            note=f"episode:{episode.pk}",
            now=now,
        )


def _supervisors_end(*, actor: Actor, episode: ServiceEpisode, now: datetime) -> None:
    for assignment in CareAssignment.objects.filter(
        client_id=episode.client_id, note=f"episode:{episode.pk}", ended_on__isnull=True
    ):
        care_assignment_end(actor=actor, assignment=assignment, now=now)


# ---------------------------------------------------------------- episodes


@dataclass(frozen=True)
class EpisodeData:
    service_type_id: int
    referral_source: str
    started_on: date
    provider: str = ""
    placement_id: int | None = None


def _episode_create(
    *, actor: Actor, client: Client, data: EpisodeData, now: datetime
) -> ServiceEpisode:
    service_type = ServiceType.objects.filter(
        pk=data.service_type_id, organisation=actor.organisation
    ).first()
    if service_type is None:
        raise Http404(_("Palvelua ei löydy."))
    placement = _placement(actor, data.placement_id)
    if placement is not None:
        _check_room(placement, data.started_on)
    episode = ServiceEpisode.objects.create(
        client=client,
        service_type=service_type,
        provider=data.provider or (placement.name if placement else ""),
        placement=placement,
        referral_source=data.referral_source,
        started_on=data.started_on,
        created_by=actor.user,
    )
    audit.record(
        event=SERVICE_EPISODE_STARTED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=episode,
        client_id=client.pk,
        changes=audit.changes_between({}, data.__dict__),
    )
    _supervisors_start(actor=actor, episode=episode, client=client, now=now)
    return episode


@transaction.atomic
def episode_start(
    *, actor: Actor, client_id: int, data: EpisodeData, now: datetime
) -> ServiceEpisode:
    """Start a client's service episode (a KTT episode starts with its contract instead).

    Raises:
        PlacementFull: the placement has no room on the start date.
    """
    policy.require(actor, Capability.MANAGE_SERVICES)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="services:episode_create"
    )
    return _episode_create(actor=actor, client=client, data=data, now=now)


@transaction.atomic
def episode_end(
    *,
    actor: Actor,
    client_id: int,
    episode_id: int,
    ended_on: date,
    outcome: str,
    now: datetime,
) -> ServiceEpisode:
    """End an episode with its outcome; a running KTT contract ends with it.

    Raises:
        ValueError: it has already ended or the date is before the start.
    """
    policy.require(actor, Capability.MANAGE_SERVICES)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="services:episode_end"
    )
    episode = _episode_of(client, episode_id)
    return _end(actor=actor, episode=episode, ended_on=ended_on, outcome=outcome, now=now)


def _episode_of(client: Client, episode_id: int) -> ServiceEpisode:
    episode = (
        ServiceEpisode.objects.select_for_update(of=("self",))
        .filter(pk=episode_id, client=client)
        .select_related("placement")
        .first()
    )
    if episode is None:
        raise Http404(_("Palvelujaksoa ei löydy."))
    return episode


def _end(
    *, actor: Actor, episode: ServiceEpisode, ended_on: date, outcome: str, now: datetime
) -> ServiceEpisode:
    if episode.ended_on is not None:
        raise ValueError(_("Palvelujakso on jo päättynyt."))
    if ended_on < episode.started_on:
        raise ValueError(_("Päättymispäivä ei voi olla ennen alkamispäivää."))
    Outcome(outcome)  # an unknown outcome is a programming error
    episode.ended_on, episode.outcome = ended_on, outcome
    episode.version += 1
    episode.save(update_fields=["ended_on", "outcome", "version"])
    contracts = KttContract.objects.filter(episode=episode)
    contracts.exclude(status=KttContract.Status.INTERRUPTED).update(status=KttContract.Status.ENDED)
    audit.record(
        event=SERVICE_EPISODE_ENDED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=episode,
        client_id=episode.client_id,
        changes={"ended_on": [None, ended_on.isoformat()], "outcome": [None, outcome]},
    )
    _supervisors_end(actor=actor, episode=episode, now=now)
    _decision_routing_end(
        actor=actor, contract_ids=list(contracts.values_list("pk", flat=True)), now=now
    )
    return episode


# ---------------------------------------------------------------- KTT contracts


@dataclass(frozen=True)
class KttContractData:
    start: date
    end: date
    days_per_week: int
    hours_per_day: Decimal
    placement_id: int
    coaching_content: str
    referral_source: str
    decider_id: int | None = None  # the social counsellor who is to decide


def _ktt_service_type(actor: Actor) -> ServiceType:
    service = (
        ServiceType.objects.filter(
            organisation=actor.organisation, kind=ServiceKind.KTT, active=True
        )
        .order_by("pk")
        .first()
    )
    if service is None:
        raise ValueError(_("Palveluvalikossa ei ole kuntouttavaa työtoimintaa."))
    return service


@transaction.atomic
def ktt_contract_create(
    *, actor: Actor, client_id: int, data: KttContractData, now: datetime
) -> KttContract:
    """Draft a KTT contract and start its episode at the placement.

    With ``decider_id`` the contract goes to that social counsellor's worklist, and she
    has a care relationship to the client (basis: task) until the decision is made.

    Raises:
        ContractInvalid: the terms break a limit in force on the start date (189/2001 §§ 6, 13),
            e.g. a company as the placement.
        PlacementFull: no room at the placement.
        ValueError: the decider is not a social counsellor of the organisation.
    """
    policy.require(actor, Capability.MANAGE_SERVICES)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="services:contract_create"
    )
    decider = _decider(actor, data.decider_id)
    placement = _placement(actor, data.placement_id)
    if placement is None:
        raise Http404(_("Työtoimintapaikkaa ei löydy."))
    errors = ktt_terms.ktt_validate(
        placement=placement,
        start=data.start,
        end=data.end,
        days_per_week=data.days_per_week,
        hours_per_day=data.hours_per_day,
        today=now.date(),
    )
    if errors:
        raise ContractInvalid(errors)
    episode = _episode_create(
        actor=actor,
        client=client,
        data=EpisodeData(
            service_type_id=_ktt_service_type(actor).pk,
            referral_source=data.referral_source,
            started_on=data.start,
            placement_id=placement.pk,
        ),
        now=now,
    )
    contract = KttContract.objects.create(
        episode=episode,
        start=data.start,
        end=data.end,
        days_per_week=data.days_per_week,
        hours_per_day=data.hours_per_day,
        placement=placement,
        coaching_content=data.coaching_content,
        decider=decider,
        created_by=actor.user,
    )
    audit.record(
        event=KTT_CONTRACT_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=contract,
        client_id=client.pk,
        changes=audit.changes_between({}, data.__dict__),
    )
    if decider is not None:
        care_assignment_start(
            actor=actor,
            client=client,
            worker=decider,
            basis=CareAssignment.Basis.TASK,
            note=_decision_note(contract.pk),
            now=now,
        )
    return contract


def _decider(actor: Actor, decider_id: int | None) -> User | None:
    if decider_id is None:
        return None
    counsellors = selectors.notice_recipients(actor=actor)
    decider = next((user for user in counsellors if user.pk == decider_id), None)
    if decider is None:
        raise ValueError(_("Valitse päätöksen tekijäksi organisaatiosi sosiaaliohjaaja."))
    return decider


def _decision_note(contract_id: int) -> str:
    return f"ktt-decision:{contract_id}"


def _decision_routing_end(*, actor: Actor, contract_ids: Iterable[int], now: datetime) -> None:
    """The decider's task-basis relationship ends once the decision is no longer pending."""
    for assignment in CareAssignment.objects.filter(
        basis=CareAssignment.Basis.TASK,
        note__in=[_decision_note(contract_id) for contract_id in contract_ids],
        ended_on__isnull=True,
    ):
        care_assignment_end(actor=actor, assignment=assignment, now=now)


def _contract_of(client: Client, contract_id: int) -> KttContract:
    contract = (
        KttContract.objects.select_for_update(of=("self",))
        .filter(pk=contract_id, episode__client=client)
        .select_related("placement", "episode")
        .first()
    )
    if contract is None:
        raise Http404(_("Sopimusta ei löydy."))
    return contract


def _open_contract(
    actor: Actor, client_id: int, contract_id: int, now: datetime, view: str
) -> KttContract:
    client = policy.client_open(actor=actor, client_id=client_id, now=now, view=view)
    return _contract_of(client, contract_id)


def _record(
    actor: Actor, contract: KttContract, event: Any, now: datetime, changes: dict[str, list[Any]]
) -> None:
    audit.record(
        event=event,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=contract,
        client_id=contract.episode.client_id,
        changes=changes,
    )


def _check_terms(contract: KttContract, end: date, now: datetime) -> None:
    errors = ktt_terms.ktt_validate(
        placement=contract.placement,
        start=contract.start,
        end=end,
        days_per_week=contract.days_per_week,
        hours_per_day=contract.hours_per_day,
        today=now.date(),
    )
    if errors:
        raise ContractInvalid(errors)


@transaction.atomic
def ktt_contract_decide(
    *, actor: Actor, client_id: int, contract_id: int, decision_text: str, now: datetime
) -> KttContract:
    """Confirm the KTT decision (päätös). Only the social counsellor may (DECIDE_KTT).

    Raises:
        WrongState: the contract is not a draft.
        ContractInvalid: the terms no longer pass the legal limits.
    """
    policy.require(actor, Capability.DECIDE_KTT)
    contract = _open_contract(actor, client_id, contract_id, now, "services:contract_decide")
    if contract.status != KttContract.Status.DRAFT:
        raise WrongState(_("Päätös on jo tehty."))
    _check_terms(contract, contract.end, now)
    contract.status = KttContract.Status.DECIDED
    contract.decided_by, contract.decided_on = actor.user, now.date()
    contract.decision_text = decision_text
    contract.version += 1
    contract.save()
    _record(
        actor,
        contract,
        KTT_CONTRACT_DECIDED,
        now,
        {"status": ["draft", "decided"], "decision_text": [None, decision_text]},
    )
    _decision_routing_end(actor=actor, contract_ids=[contract.pk], now=now)
    return contract


@transaction.atomic
def ktt_contract_sign(
    *, actor: Actor, client_id: int, contract_id: int, signed_on: date, now: datetime
) -> KttContract:
    """Sign a decided contract: schedule the follow-up meetings and the final evaluation.

    Raises:
        WrongState: there is no decision yet, or it was signed already.
    """
    policy.require(actor, Capability.MANAGE_SERVICES)
    contract = _open_contract(actor, client_id, contract_id, now, "services:contract_sign")
    if contract.status != KttContract.Status.DECIDED:
        raise WrongState(
            _("Sopimuksen voi allekirjoittaa vasta, kun sosiaaliohjaaja on tehnyt päätöksen.")
        )
    contract.status = KttContract.Status.SIGNED
    contract.signed_on = signed_on
    contract.final_evaluation_on = ktt_terms.evaluation_date(contract.end)
    planned = ktt_terms.follow_up_dates(max(contract.start, signed_on), contract.end)
    contract.follow_up_dates = [day.isoformat() for day in planned]
    contract.version += 1
    contract.save()
    _book_follow_ups(actor=actor, contract=contract, days=planned, now=now)
    _record(
        actor,
        contract,
        KTT_CONTRACT_SIGNED,
        now,
        {
            "status": ["decided", "signed"],
            "final_evaluation_on": [None, contract.final_evaluation_on.isoformat()],
            "follow_up_dates": [None, contract.follow_up_dates],
        },
    )
    return contract


def _book_follow_ups(
    *, actor: Actor, contract: KttContract, days: list[date], now: datetime
) -> None:
    """Book the follow-up meetings and the final evaluation in the responsible worker's calendar."""
    client = contract.episode.client
    worker_id = client.responsible_worker_id or actor.user.pk
    zone = timezone.get_current_timezone()
    slots = [(day, _("KTT-seuranta")) for day in days]
    if contract.final_evaluation_on is not None:
        slots.append((contract.final_evaluation_on, _("KTT:n loppuarviointi")))
    for day, title in slots:
        starts_at = datetime.combine(day, FOLLOW_UP_TIME, tzinfo=zone)
        referrals.meeting_create(
            actor=actor,
            client_id=client.pk,
            data=referrals.MeetingData(
                worker_id=worker_id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                kind="ktt_follow_up",
                channel="in_person",
                title=title,
                location=contract.placement.name,
            ),
            now=now,
        )


@transaction.atomic
def ktt_contract_extend(
    *, actor: Actor, client_id: int, contract_id: int, version: int, new_end: date, now: datetime
) -> KttContract:
    """Extend a running contract; the whole period must stay within the legal limits.

    Raises:
        EditConflict: the contract changed after it was opened.
        ContractInvalid: the longer period breaks a limit (e.g. over 24 months).
        WrongState: the contract is not running.
    """
    policy.require(actor, Capability.MANAGE_SERVICES)
    contract = _open_contract(actor, client_id, contract_id, now, "services:contract_extend")
    if contract.version != version:
        raise EditConflict(contract)
    if contract.status not in {KttContract.Status.DECIDED, KttContract.Status.SIGNED}:
        raise WrongState(_("Vain voimassa olevaa sopimusta voi jatkaa."))
    if new_end <= contract.end:
        raise ValueError(_("Uuden päättymispäivän on oltava nykyisen jälkeen."))
    _check_terms(contract, new_end, now)
    old_end = contract.end
    contract.end = new_end
    if contract.status == KttContract.Status.SIGNED:
        contract.final_evaluation_on = ktt_terms.evaluation_date(new_end)
    contract.version += 1
    contract.save()
    _record(
        actor,
        contract,
        KTT_CONTRACT_EXTENDED,
        now,
        {"end": [old_end.isoformat(), new_end.isoformat()]},
    )
    return contract


@transaction.atomic
def ktt_final_evaluation_record(
    *, actor: Actor, client_id: int, contract_id: int, evaluated_on: date, now: datetime
) -> KttContract:
    """Mark the final evaluation held; it leaves the worklist."""
    policy.require(actor, Capability.MANAGE_SERVICES)
    contract = _open_contract(actor, client_id, contract_id, now, "services:contract_evaluate")
    if contract.status != KttContract.Status.SIGNED:
        raise WrongState(_("Loppuarvioinnin voi kirjata vain käynnissä olevaan sopimukseen."))
    contract.evaluation_held_on = evaluated_on
    contract.version += 1
    contract.save()
    _record(
        actor,
        contract,
        KTT_EVALUATION_HELD,
        now,
        {"evaluation_held_on": [None, evaluated_on.isoformat()]},
    )
    return contract


@dataclass(frozen=True)
class InterruptionData:
    interrupted_on: date
    reason: str
    summary: str
    recipient_id: int
    outcome: str


@transaction.atomic
def ktt_contract_interrupt(
    *,
    actor: Actor,
    client_id: int,
    contract_id: int,
    version: int,
    data: InterruptionData,
    now: datetime,
) -> KttContract:
    """Interrupt a contract: the episode ends and the social worker gets a notice with a summary.

    Raises:
        EditConflict: the contract changed after it was opened.
        WrongState: the contract has already ended.
    """
    policy.require(actor, Capability.MANAGE_SERVICES)
    contract = _open_contract(actor, client_id, contract_id, now, "services:contract_interrupt")
    if contract.version != version:
        raise EditConflict(contract)
    if contract.status in {KttContract.Status.INTERRUPTED, KttContract.Status.ENDED}:
        raise WrongState(_("Sopimus on jo päättynyt."))
    recipient = next(
        (user for user in selectors.notice_recipients(actor=actor) if user.pk == data.recipient_id),
        None,
    )
    if recipient is None:
        raise ValueError(_("Valitse ilmoituksen vastaanottajaksi sosiaaliohjaaja."))
    previous = contract.status
    _end(
        actor=actor,
        episode=contract.episode,
        ended_on=data.interrupted_on,
        outcome=data.outcome,
        now=now,
    )
    contract.status = KttContract.Status.INTERRUPTED
    contract.interrupted_on, contract.interruption_reason = data.interrupted_on, data.reason
    contract.version += 1
    contract.save()
    notice = InterruptionNotice.objects.create(
        contract=contract, recipient=recipient, summary=data.summary, sent_at=now
    )
    _record(
        actor,
        contract,
        KTT_CONTRACT_INTERRUPTED,
        now,
        {
            "status": [previous, "interrupted"],
            "interrupted_on": [None, data.interrupted_on.isoformat()],
            "reason": [None, data.reason],
            "notice_to": [None, notice.recipient_id],
        },
    )
    return contract


# ---------------------------------------------------------------- attendance


@dataclass(frozen=True)
class Cell:
    """One cell of the week grid as submitted; ``version`` 0 means it was empty when opened."""

    client_id: int
    day: date
    status: str  # "" leaves the cell unmarked
    reason: str = ""
    version: int = 0


@dataclass(frozen=True)
class CellConflict:
    """A cell someone else saved after the grid was opened."""

    client_id: int
    day: date
    saved_status: str
    saved_reason: str
    saved_version: int
    attempted_status: str


class AttendanceConflict(ValueError):
    """Cells changed under the instructor: nothing was saved; the cells are listed."""

    def __init__(self, conflicts: Sequence[CellConflict]) -> None:
        super().__init__(
            _("Joku muu tallensi osan merkinnöistä sillä välin. Mitään ei tallennettu.")
        )
        self.conflicts = tuple(conflicts)


@dataclass(frozen=True)
class WeekOverLimit:
    """More present days in a week than the client's KTT contract allows."""

    client_id: int
    week_start: date
    allowed: int
    marked: int


class AttendanceRefused(ValueError):
    """Marks for days still to come, or beyond the contract's days a week: nothing was saved."""

    def __init__(self, *, future: Sequence[Cell], over_limit: Sequence[WeekOverLimit]) -> None:
        super().__init__(_("Osa merkinnöistä ei ole sallittuja. Mitään ei tallennettu."))
        self.future = tuple(future)
        self.over_limit = tuple(over_limit)


def _over_weekly_limit(wanted: Sequence[Cell]) -> list[WeekOverLimit]:
    """Weeks where the marks would make a client present more days than the contract allows.

    Counts the saved marks of the whole week with the new ones on top; only weeks to which
    this save adds a present day are checked, so an old excess does not block corrections.
    """
    adding = {
        (cell.client_id, selectors.week_start_of(cell.day))
        for cell in wanted
        if cell.status == AttendanceStatus.PRESENT
    }
    if not adding:
        return []
    client_ids = {client_id for client_id, _monday in adding}
    start = min(monday for _client, monday in adding)
    end = max(monday for _client, monday in adding) + timedelta(days=6)
    limits = selectors.weekly_day_limits(client_ids=client_ids, start=start, end=end)
    present = set(
        Attendance.objects.filter(
            client_id__in=client_ids, day__range=(start, end), status=AttendanceStatus.PRESENT
        ).values_list("client_id", "day")
    )
    for cell in wanted:
        if cell.status == AttendanceStatus.PRESENT:
            present.add((cell.client_id, cell.day))
        else:
            present.discard((cell.client_id, cell.day))
    marked = Counter((client_id, selectors.week_start_of(day)) for client_id, day in present)
    return [
        WeekOverLimit(client_id, monday, limits[(client_id, monday)], marked[(client_id, monday)])
        for client_id, monday in sorted(adding)
        if (client_id, monday) in limits
        and marked[(client_id, monday)] > limits[(client_id, monday)]
    ]


def _check_allowed(wanted: Sequence[Cell], today: date) -> None:
    future = [cell for cell in wanted if cell.day > today]
    over_limit = _over_weekly_limit(wanted)
    if future or over_limit:
        raise AttendanceRefused(future=future, over_limit=over_limit)


def _reachable_clients(actor: Actor, client_ids: set[int], now: datetime) -> None:
    in_organisation = set(
        policy.clients_in_organisation(actor).filter(pk__in=client_ids).values_list("pk", flat=True)
    )
    if in_organisation != client_ids:
        raise Http404(_("Asiakasta ei löydy."))
    visible = set(
        policy.clients_visible_to(actor, now).filter(pk__in=client_ids).values_list("pk", flat=True)
    )
    for client_id in sorted(client_ids - visible):
        raise policy.NoCareRelationship(client_id)


def _created_meanwhile(created: Sequence[Attendance]) -> list[CellConflict]:
    """The empty cells another instructor marked while this grid was open."""
    rows = Attendance.objects.filter(
        client_id__in={row.client_id for row in created}, day__in={row.day for row in created}
    )
    saved = {(row.client_id, row.day): row for row in rows}
    return [
        CellConflict(
            mine.client_id, mine.day, other.status, other.reason, other.version, mine.status
        )
        for mine in created
        if (other := saved.get((mine.client_id, mine.day))) is not None
    ]


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    cells: Iterable[Cell],
    now: datetime,
    placement_id: int | None = None,
    group_id: int | None = None,
) -> int:
    """Save a week grid in one transaction (bulk upsert); returns the number of changed cells.

    Each cell carries the version it had when the grid was opened (compare-and-set): if
    any changed cell was saved by someone else meanwhile, nothing is saved and the
    conflicting cells are reported. Corrections keep their old value in the history.
    Attendance is marked afterwards, never for a day still to come, and a client is present
    at most the days a week their KTT contract allows.

    Raises:
        AttendanceRefused: a day after today, or more present days than the contract allows.
        AttendanceConflict: cells saved by someone else after the grid was opened.
        policy.NoCareRelationship: a client the actor may not see.
    """
    policy.require(actor, Capability.RECORD_ATTENDANCE)
    wanted = [cell for cell in cells if cell.status]
    for cell in wanted:
        AttendanceStatus(cell.status)
    if not wanted:
        return 0
    placement = _placement(actor, placement_id)
    group = _group(actor, group_id) if group_id is not None else None
    _reachable_clients(actor, {cell.client_id for cell in wanted}, now)
    _check_allowed(wanted, timezone.localdate(now))
    existing = {
        (row.client_id, row.day): row
        for row in Attendance.objects.select_for_update().filter(
            client_id__in={cell.client_id for cell in wanted}, day__in={cell.day for cell in wanted}
        )
    }
    conflicts: list[CellConflict] = []
    created: list[Attendance] = []
    updated: list[tuple[Attendance, str, str]] = []
    for cell in wanted:
        row = existing.get((cell.client_id, cell.day))
        reason = "" if cell.status == AttendanceStatus.PRESENT else cell.reason.strip()
        if row is not None and (row.status, row.reason) == (cell.status, reason):
            continue
        if (row.version if row else 0) != cell.version:
            conflicts.append(
                CellConflict(
                    cell.client_id,
                    cell.day,
                    row.status if row else "",
                    row.reason if row else "",
                    row.version if row else 0,
                    cell.status,
                )
            )
            continue
        if row is None:
            created.append(
                Attendance(
                    client_id=cell.client_id,
                    day=cell.day,
                    status=cell.status,
                    reason=reason,
                    placement=placement,
                    group=group,
                    recorded_by=actor.user,
                    recorded_at=now,
                )
            )
        else:
            updated.append((row, row.status, row.reason))
            row.status, row.reason = cell.status, reason
            row.recorded_by, row.recorded_at = actor.user, now
            row.version += 1
    if conflicts:
        raise AttendanceConflict(conflicts)
    try:
        with transaction.atomic():  # a savepoint: the lock above cannot cover a missing row
            Attendance.objects.bulk_create(created)
    except IntegrityError:
        raise AttendanceConflict(_created_meanwhile(created)) from None
    Attendance.objects.bulk_update(
        [row for row, _old, _reason in updated],
        ["status", "reason", "recorded_by", "recorded_at", "version"],
    )
    AttendanceChange.objects.bulk_create(
        [
            AttendanceChange(
                attendance=row,
                new_status=row.status,
                new_reason=row.reason,
                changed_by=actor.user,
                changed_at=now,
            )
            for row in created
        ]
        + [
            AttendanceChange(
                attendance=row,
                old_status=old,
                old_reason=old_reason,
                new_status=row.status,
                new_reason=row.reason,
                changed_by=actor.user,
                changed_at=now,
            )
            for row, old, old_reason in updated
        ]
    )
    per_client: dict[int, dict[str, list[Any]]] = defaultdict(dict)
    for row in created:
        per_client[row.client_id][row.day.isoformat()] = [None, row.status]
    for row, old, _old_reason in updated:
        per_client[row.client_id][row.day.isoformat()] = [old, row.status]
    audit.record_many(
        event=ATTENDANCE_RECORDED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=placement or group or actor.organisation,
        changes_by_client=per_client,
    )
    return len(created) + len(updated)


# ---------------------------------------------------------------- groups


def _group(actor: Actor, group_id: int) -> Group:
    group = Group.objects.filter(pk=group_id, organisation=actor.organisation).first()
    if group is None:
        raise Http404(_("Ryhmää ei löydy."))
    return group


@dataclass(frozen=True)
class GroupData:
    name: str
    service_type_id: int
    instructor_id: int
    started_on: date
    placement_id: int | None = None
    description: str = ""


@transaction.atomic
def group_create(*, actor: Actor, data: GroupData, now: datetime) -> Group:
    """Start a group activity with its instructor."""
    policy.require(actor, Capability.MANAGE_SERVICES)
    service = ServiceType.objects.filter(
        pk=data.service_type_id, organisation=actor.organisation
    ).first()
    instructor = User.objects.filter(
        pk=data.instructor_id, memberships__organisation=actor.organisation
    ).first()
    if service is None or instructor is None:
        raise Http404(_("Palvelua tai ohjaajaa ei löydy."))
    group = Group.objects.create(
        organisation=actor.organisation,
        name=data.name,
        service_type=service,
        instructor=instructor,
        placement=_placement(actor, data.placement_id),
        started_on=data.started_on,
        description=data.description,
    )
    audit.record(
        event=GROUP_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=group,
        changes=audit.changes_between({}, data.__dict__),
    )
    return group


@transaction.atomic
def group_member_add(
    *, actor: Actor, group_id: int, client_id: int, joined_on: date, now: datetime
) -> GroupMember:
    """Add a client to a group; the instructor gets a care relationship to the client.

    Raises:
        ValueError: the client is already a member.
    """
    policy.require(actor, Capability.MANAGE_SERVICES)
    group = _group(actor, group_id)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="services:group_member_add"
    )
    if GroupMember.objects.filter(group=group, client=client, left_on__isnull=True).exists():
        raise ValueError(_("Asiakas on jo ryhmässä."))
    member = GroupMember.objects.create(group=group, client=client, joined_on=joined_on)
    audit.record(
        event=GROUP_MEMBER_ADDED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=member,
        client_id=client.pk,
        changes={"group": [None, group.pk]},
    )
    if client.responsible_worker_id != group.instructor_id:
        care_assignment_start(
            actor=actor,
            client=client,
            worker=group.instructor,
            basis=CareAssignment.Basis.SERVICE,
            note=f"group:{group.pk}",
            now=now,
        )
    return member


@transaction.atomic
def group_session_add(
    *, actor: Actor, group_id: int, day: date, topic: str, competences: str, now: datetime
) -> GroupSession:
    """Record one meeting of the group (its attendance goes in the week grid)."""
    policy.require(actor, Capability.RECORD_ATTENDANCE)
    group = _group(actor, group_id)
    session = GroupSession.objects.create(
        group=group, day=day, topic=topic, competences=competences
    )
    audit.record(
        event=GROUP_SESSION_ADDED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=session,
        changes={"day": [None, day.isoformat()], "topic": [None, topic]},
    )
    return session


# ---------------------------------------------------------------- money


def _already_computed(client: Client, start: date, end: date) -> None:
    """Refuse a period overlapping one computed before: a day is paid once.

    The client row is locked first, so two clerks cannot both pass the check.
    """
    list(Client.objects.select_for_update().filter(pk=client.pk).values_list("pk"))
    earlier = (
        AllowanceStatement.objects.filter(
            client=client, period_start__lte=end, period_end__gte=start
        )
        .order_by("period_start")
        .first()
    )
    if earlier is not None:
        raise ValueError(
            _("Asiakkaalle on jo laskettu %(kind)s jaksolle %(start)s–%(end)s.")
            % {
                "kind": earlier.get_kind_display().lower(),
                "start": selectors.format_day(earlier.period_start),
                "end": selectors.format_day(earlier.period_end),
            }
        )


@transaction.atomic
def allowance_record(
    *,
    actor: Actor,
    client_id: int,
    period_start: date,
    period_end: date,
    travel_costs: Decimal,
    now: datetime,
) -> AllowanceStatement:
    """Compute a KTT participant's kulukorvaus or toimintaraha for a period from attendance.

    The office clerk works under the allowance task, without a care relationship. Only
    days attended within a signed contract count. The engine decides which allowance
    applies (unemployment benefit or not) and the amount in force on each day; travel
    costs are recorded as given.

    Raises:
        policy.OutsideTask: the client has no signed KTT contract.
        ValueError: the period is reversed, or an allowance was computed for it already
            (a day is paid once).
    """
    policy.require(actor, Capability.MANAGE_CLAIMS)
    client = selectors.allowance_client_get(actor=actor, client_id=client_id, now=now)
    if period_end < period_start:
        raise ValueError(_("Jakson loppu on ennen alkua."))
    _already_computed(client, period_start, period_end)
    decision = decide_ktt_allowance(
        KttAllowanceFacts(
            tuple(selectors.allowance_days(client=client, start=period_start, end=period_end)),
            client.main_income in UNEMPLOYMENT_BENEFITS,
        ),
        period_end,
    )
    statement = AllowanceStatement.objects.create(
        client=client,
        period_start=period_start,
        period_end=period_end,
        kind=decision.result.kind.value,
        days=decision.result.days,
        amount=decision.result.amount,
        travel_costs=travel_costs,
        created_by=actor.user,
        created_at=now,
    )
    audit.record(
        event=ALLOWANCE_RECORDED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=statement,
        client_id=client.pk,
        changes=audit.changes_between(
            {},
            {
                "period": f"{period_start.isoformat()}–{period_end.isoformat()}",
                "kind": statement.kind,
                "days": statement.days,
                "amount": statement.amount,
                "travel_costs": travel_costs,
            },
        ),
    )
    return statement


@transaction.atomic
def claim_create(
    *, actor: Actor, period_start: date, period_end: date, now: datetime
) -> ReimbursementClaim:
    """Make the state reimbursement claim to KEHA-keskus for a period (tilityshakemus).

    Computed by the rules engine from the attendance of KTT participants; the total is
    the sum of the participant lines to the cent.

    Raises:
        ValueError: the period is reversed or not yet over.
    """
    policy.require(actor, Capability.MANAGE_CLAIMS)
    if period_end < period_start:
        raise ValueError(_("Jakson loppu on ennen alkua."))
    if period_end >= now.date():
        raise ValueError(
            _(
                "Korvausta haetaan jo toteutuneilta päiviltä: "
                "jakson on päätyttävä ennen tätä päivää."
            )
        )
    computed = claim_computation.claim_compute(
        claim_computation.claim_attendance(
            organisation_id=actor.organisation.pk, start=period_start, end=period_end
        ),
        period_end,
    )
    claim = ReimbursementClaim.objects.create(
        organisation=actor.organisation,
        period_start=period_start,
        period_end=period_end,
        participants=len(computed.lines),
        attended_days=computed.attended_days,
        reimbursable_days=computed.reimbursable_days,
        amount=computed.amount,
        created_by=actor.user,
        created_at=now,
    )
    ClaimLine.objects.bulk_create(
        ClaimLine(
            claim=claim,
            client_id=line.client_id,
            attended_days=line.attended_days,
            reimbursable_days=line.reimbursable_days,
            amount=line.amount,
        )
        for line in computed.lines
    )
    audit.record(
        event=CLAIM_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=claim,
        changes={
            "period": [None, f"{period_start.isoformat()}–{period_end.isoformat()}"],
            "participants": [None, claim.participants],
            "amount": [None, str(claim.amount)],
        },
    )
    return claim
