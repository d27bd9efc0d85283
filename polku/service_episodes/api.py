"""REST API: /service-episodes/, /placements/, /ktt-contracts/, /attendance/ (CONTRACTS.md § 5).

The same services and selectors as the pages, with the same permissions; money as strings
with two decimals; a client of another organisation is 404.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from polku.access import policy
from polku.accounts.roles import Capability
from polku.api.auth import actor_of
from polku.api.errors import ApiError
from polku.clients import selectors as client_selectors
from polku.ktt.models import Scope
from polku.service_episodes import selectors, services
from polku.service_episodes.models import (
    AttendanceStatus,
    KttContract,
    Placement,
    ReferralSource,
    ServiceEpisode,
)

router = Router()
episodes = Router(tags=["service-episodes"])
placements = Router(tags=["placements"])
contracts = Router(tags=["ktt-contracts"])
attendance = Router(tags=["attendance"])


class EpisodeOut(Schema):
    id: int
    client_id: int
    service_type_id: int
    service_type: str
    provider: str
    placement_id: int | None
    referral_source: ReferralSource
    started_on: date
    ended_on: date | None
    outcome: str


class EpisodeIn(Schema):
    client_id: int
    service_type_id: int
    referral_source: ReferralSource
    started_on: date
    provider: str = Field("", max_length=200)
    placement_id: int | None = None


def _episode(episode: ServiceEpisode) -> EpisodeOut:
    return EpisodeOut(
        id=episode.pk,
        client_id=episode.client_id,
        service_type_id=episode.service_type_id,
        service_type=episode.service_type.name,
        provider=episode.provider,
        placement_id=episode.placement_id,
        referral_source=ReferralSource(episode.referral_source),
        started_on=episode.started_on,
        ended_on=episode.ended_on,
        outcome=episode.outcome,
    )


@episodes.get("/", response=list[EpisodeOut])
def list_episodes(request: HttpRequest, client_id: int) -> list[EpisodeOut]:
    """The client's service episodes with their outcome at exit."""
    client = client_selectors.client_get(
        actor=actor_of(request),
        client_id=client_id,
        now=timezone.now(),
        view="api:service_episodes",
    )
    return [_episode(episode) for episode in selectors.client_episodes(client=client)]


@episodes.post("/", response={201: EpisodeOut})
def create_episode(request: HttpRequest, payload: EpisodeIn) -> Status:
    data = services.EpisodeData(**payload.model_dump(exclude={"client_id"}))
    try:
        episode = services.episode_start(
            actor=actor_of(request), client_id=payload.client_id, data=data, now=timezone.now()
        )
    except services.PlacementFull as full:
        raise ApiError(409, "placement_full", str(full)) from full
    return Status(201, _episode(episode))


class PlacementOut(Schema):
    id: int
    name: str
    kind: Placement.Kind
    capacity: int
    occupancy: int
    contact_person: str
    orientation_given_on: date | None
    supervisor_ids: list[int]
    can_host_ktt: bool
    provider_id: int
    provider: str


class PlacementIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: Placement.Kind
    address: str = Field("", max_length=200)
    capacity: int = Field(1, ge=1, le=500)
    contact_person: str = Field("", max_length=200)
    contact_phone: str = Field("", max_length=40)
    orientation_given_on: date | None = None
    supervisor_ids: list[int] = []
    provider_id: int | None = Field(None, description="KTT provider; default: the kind's own")


def _placement(placement: Placement) -> PlacementOut:
    return PlacementOut(
        id=placement.pk,
        name=placement.name,
        kind=Placement.Kind(placement.kind),
        capacity=placement.capacity,
        occupancy=getattr(placement, "occupancy", 0),
        contact_person=placement.contact_person,
        orientation_given_on=placement.orientation_given_on,
        supervisor_ids=[user.pk for user in placement.supervisors.all()],
        can_host_ktt=placement.kind != Placement.Kind.COMPANY
        and placement.provider.scope != Scope.SUPPORT_ONLY,
        provider_id=placement.provider_id,
        provider=placement.provider.name,
    )


@placements.get("/", response=list[PlacementOut])
def list_placements(request: HttpRequest) -> list[PlacementOut]:
    actor = actor_of(request)
    policy.require(actor, Capability.VIEW_CLIENTS)
    return [
        _placement(p) for p in selectors.placement_list(actor=actor, today=timezone.localdate())
    ]


@placements.post("/", response={201: PlacementOut})
def create_placement(request: HttpRequest, payload: PlacementIn) -> Status:
    data = payload.model_dump(exclude={"supervisor_ids"})
    placement = services.placement_create(
        actor=actor_of(request),
        data=services.PlacementData(**data, supervisor_ids=tuple(payload.supervisor_ids)),
        now=timezone.now(),
    )
    return Status(201, _placement(placement))


class ContractOut(Schema):
    id: int
    client_id: int
    episode_id: int
    status: KttContract.Status
    start: date
    end: date
    days_per_week: int
    hours_per_day: str
    placement_id: int
    coaching_content: str
    decided_on: date | None
    decided_by_id: int | None
    decider_id: int | None = Field(
        None, description="the social counsellor the contract was sent to for the decision"
    )
    signed_on: date | None
    follow_up_dates: list[date]
    final_evaluation_on: date | None
    interrupted_on: date | None
    version: int


class ContractIn(Schema):
    client_id: int
    placement_id: int
    start: date
    end: date
    days_per_week: int = Field(ge=1, le=7)
    hours_per_day: Decimal = Field(ge=1, le=12, decimal_places=1)
    coaching_content: str = Field(min_length=1, max_length=4000)
    referral_source: ReferralSource = ReferralSource.OTHER
    decider_id: int | None = Field(
        None,
        description="a social counsellor of the organisation: the contract goes to her worklist "
        "and she has a care relationship to the client until the decision",
    )


class DecisionIn(Schema):
    decision_text: str = Field(min_length=1, max_length=4000)


def _contract(contract: KttContract) -> ContractOut:
    return ContractOut(
        id=contract.pk,
        client_id=contract.episode.client_id,
        episode_id=contract.episode_id,
        status=KttContract.Status(contract.status),
        start=contract.start,
        end=contract.end,
        days_per_week=contract.days_per_week,
        hours_per_day=f"{contract.hours_per_day:.1f}",
        placement_id=contract.placement_id,
        coaching_content=contract.coaching_content,
        decided_on=contract.decided_on,
        decided_by_id=contract.decided_by_id,
        decider_id=contract.decider_id,
        signed_on=contract.signed_on,
        follow_up_dates=contract.follow_up_days,
        final_evaluation_on=contract.final_evaluation_on,
        interrupted_on=contract.interrupted_on,
        version=contract.version,
    )


def _invalid(invalid: services.ContractInvalid) -> ApiError:
    return ApiError(
        422,
        "invalid_contract",
        str(invalid),
        {"errors": [{"code": error.code, "message": error.message} for error in invalid.errors]},
    )


@contracts.get("/", response=list[ContractOut])
def list_contracts(request: HttpRequest, client_id: int) -> list[ContractOut]:
    client = client_selectors.client_get(
        actor=actor_of(request), client_id=client_id, now=timezone.now(), view="api:ktt_contracts"
    )
    return [
        _contract(episode.ktt_contract)
        for episode in selectors.client_episodes(client=client)
        if hasattr(episode, "ktt_contract")
    ]


@contracts.post("/", response={201: ContractOut})
def create_contract(request: HttpRequest, payload: ContractIn) -> Status:
    """Draft a contract; the rules engine checks the limits in force on its start date."""
    try:
        contract = services.ktt_contract_create(
            actor=actor_of(request),
            client_id=payload.client_id,
            data=services.KttContractData(**payload.model_dump(exclude={"client_id"})),
            now=timezone.now(),
        )
    except services.ContractInvalid as invalid:
        raise _invalid(invalid) from invalid
    except (services.PlacementFull, ValueError) as refused:
        raise ApiError(409, "refused", str(refused)) from refused
    return Status(201, _contract(contract))


@contracts.post("/{contract_id}/decide", response=ContractOut)
def decide_contract(
    request: HttpRequest, contract_id: int, client_id: int, payload: DecisionIn
) -> ContractOut:
    """The social counsellor's decision; other roles get 403."""
    policy.ensure_reachable(actor=actor_of(request), client_id=client_id, now=timezone.now())
    try:
        contract = services.ktt_contract_decide(
            actor=actor_of(request),
            client_id=client_id,
            contract_id=contract_id,
            decision_text=payload.decision_text,
            now=timezone.now(),
        )
    except services.ContractInvalid as invalid:
        raise _invalid(invalid) from invalid
    except services.WrongState as wrong:
        raise ApiError(409, "wrong_state", str(wrong)) from wrong
    return _contract(contract)


class AttendanceOut(Schema):
    client_id: int
    day: date
    status: AttendanceStatus
    reason: str
    version: int


class CellIn(Schema):
    client_id: int
    day: date
    status: AttendanceStatus
    reason: str = Field("", max_length=200)
    version: int = Field(0, ge=0, description="the version read; 0 when there was no mark")


class AttendanceIn(Schema):
    cells: list[CellIn] = Field(max_length=2000)
    placement_id: int | None = None
    group_id: int | None = None


class AttendanceSaved(Schema):
    changed: int


@attendance.get("/", response=list[AttendanceOut])
def list_attendance(
    request: HttpRequest, client_id: int, start: date | None = None, end: date | None = None
) -> list[AttendanceOut]:
    """One client's marks in a period (default: the last 31 days)."""
    client = client_selectors.client_get(
        actor=actor_of(request), client_id=client_id, now=timezone.now(), view="api:attendance"
    )
    end = end or timezone.localdate()
    start = start or end - timedelta(days=31)
    return [
        AttendanceOut(
            client_id=row.client_id,
            day=row.day,
            status=AttendanceStatus(row.status),
            reason=row.reason,
            version=row.version,
        )
        for row in selectors.attendance_history(client=client, start=start, end=end)
    ]


@attendance.put("/", response=AttendanceSaved)
def record_attendance(request: HttpRequest, payload: AttendanceIn) -> AttendanceSaved:
    """Save many marks in one transaction; 409 lists the cells someone else changed, 422
    the days still to come and the weeks over the KTT contract's days a week."""
    actor = actor_of(request)
    try:
        changed = services.attendance_record(
            actor=actor,
            cells=[services.Cell(**cell.model_dump()) for cell in payload.cells],
            now=timezone.now(),
            placement_id=payload.placement_id,
            group_id=payload.group_id,
        )
    except services.AttendanceRefused as refused:
        raise ApiError(
            422,
            "attendance_refused",
            str(refused),
            {
                "future_days": [
                    {"client_id": cell.client_id, "day": cell.day.isoformat()}
                    for cell in refused.future
                ],
                "over_weekly_limit": [
                    {
                        "client_id": week.client_id,
                        "week_start": week.week_start.isoformat(),
                        "allowed": week.allowed,
                        "marked": week.marked,
                    }
                    for week in refused.over_limit
                ],
            },
        ) from refused
    except services.AttendanceConflict as clash:
        # The answer shows the saved cells: log that those clients' marks were shown.
        policy.client_ids_shown(
            actor=actor,
            client_ids=sorted({conflict.client_id for conflict in clash.conflicts}),
            now=timezone.now(),
            view="api:attendance",
        )
        raise ApiError(
            409,
            "edit_conflict",
            str(clash),
            {
                "conflicts": [
                    {
                        "client_id": c.client_id,
                        "day": c.day.isoformat(),
                        "saved_status": c.saved_status,
                        "saved_version": c.saved_version,
                        "attempted_status": c.attempted_status,
                    }
                    for c in clash.conflicts
                ]
            },
        ) from clash
    return AttendanceSaved(changed=changed)


router.add_router("/service-episodes/", episodes)
router.add_router("/placements/", placements)
router.add_router("/ktt-contracts/", contracts)
router.add_router("/attendance/", attendance)
