"""Reads for services, placements, KTT, attendance and claims; client data through the policy."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import Membership, User
from polku.accounts.roles import ROLE_CAPABILITIES, Actor, Capability
from polku.clients.models import Client
from polku.rules.engine.ktt_reimbursement import DailyRate, daily_rates
from polku.service_episodes import claim_computation
from polku.service_episodes.models import (
    AllowanceStatement,
    Attendance,
    AttendanceStatus,
    ClaimLine,
    Group,
    GroupMember,
    KttContract,
    Placement,
    ReimbursementClaim,
    ServiceEpisode,
    ServiceType,
)

WEEKDAYS = 5  # the grid shows Monday to Friday


def notice_recipients(*, actor: Actor) -> list[User]:
    """The organisation's social counsellors: who decide KTT and receive interruption notices."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.DECIDE_KTT in caps]
    ids = Membership.objects.filter(organisation=actor.organisation, role__in=roles).values(
        "user_id"
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name"))


def organisation_users(*, actor: Actor) -> QuerySet[User]:
    ids = Membership.objects.filter(organisation=actor.organisation).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name")


def service_types(*, actor: Actor) -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(organisation=actor.organisation)


def _active_on(today: date) -> Q:
    return Q(episodes__started_on__lte=today) & (
        Q(episodes__ended_on__isnull=True) | Q(episodes__ended_on__gte=today)
    )


def placement_list(*, actor: Actor, today: date) -> QuerySet[Placement]:
    """Placements with their current occupancy (one query, plus one for supervisors)."""
    return (
        Placement.objects.filter(organisation=actor.organisation)
        .annotate(occupancy=Count("episodes", filter=_active_on(today)))
        .select_related("provider")
        .prefetch_related("supervisors")
        .order_by("name")
    )


def placement_get(*, actor: Actor, placement_id: int, today: date) -> Placement:
    placement = placement_list(actor=actor, today=today).filter(pk=placement_id).first()
    if placement is None:
        raise Http404(_("Työtoimintapaikkaa ei löydy."))
    return placement


def placement_episodes(
    *, actor: Actor, placement: Placement, today: date, now: datetime
) -> list[ServiceEpisode]:
    """Current episodes at the placement of the clients the actor may see (logged)."""
    episodes = list(
        ServiceEpisode.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=today),
            placement=placement,
            started_on__lte=today,
            client__in=policy.clients_visible_to(actor, now),
        )
        .select_related("client", "service_type")
        .order_by("client__last_name", "client__first_names")
    )
    policy.client_ids_shown(
        actor=actor,
        client_ids=[e.client_id for e in episodes],
        now=now,
        view="services:placement_detail",
    )
    return episodes


def group_list(*, actor: Actor) -> QuerySet[Group]:
    return (
        Group.objects.filter(organisation=actor.organisation)
        .select_related("instructor", "service_type", "placement")
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("name")
    )


def group_get(*, actor: Actor, group_id: int) -> Group:
    group = group_list(actor=actor).prefetch_related("sessions").filter(pk=group_id).first()
    if group is None:
        raise Http404(_("Ryhmää ei löydy."))
    return group


def group_get_joined(*, actor: Actor, group_id: int, client: Client) -> Group:
    """A group the client has joined (and perhaps left); any other group is 404."""
    group = group_get(actor=actor, group_id=group_id)
    if not GroupMember.objects.filter(group=group, client=client).exists():
        raise Http404(_("Asiakas ei ole ollut tässä ryhmässä."))
    return group


def group_members(*, actor: Actor, group: Group, now: datetime) -> list[GroupMember]:
    members = list(
        GroupMember.objects.filter(
            group=group, left_on__isnull=True, client__in=policy.clients_visible_to(actor, now)
        )
        .select_related("client")
        .order_by("client__last_name", "client__first_names")
    )
    policy.client_ids_shown(
        actor=actor,
        client_ids=[m.client_id for m in members],
        now=now,
        view="services:group_detail",
    )
    return members


# ---------------------------------------------------------------- attendance grid


@dataclass(frozen=True)
class GridCell:
    client_id: int
    day: date
    status: str
    reason: str
    version: int
    future: bool = False  # attendance is marked for days that have come, never ahead

    @property
    def key(self) -> str:
        return f"{self.client_id}_{self.day:%Y%m%d}"


@dataclass(frozen=True)
class GridRow:
    client: Client
    label: str  # "Matti M.": short enough for a cell's accessible name
    cells: tuple[GridCell, ...]
    days_allowed: int | None = None  # present days a week the KTT contract allows


@dataclass(frozen=True)
class AttendanceGrid:
    week_start: date
    days: tuple[date, ...]
    rows: tuple[GridRow, ...]
    today: date

    @property
    def previous_week(self) -> date:
        return self.week_start - timedelta(days=7)

    @property
    def next_week(self) -> date:
        return self.week_start + timedelta(days=7)


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def day_label(day: date) -> str:
    """``ma 23.11.`` (``mån 23.11.``): the weekday in the user's language and the date."""
    return f"{formats.date_format(day, 'D')} {day.day}.{day.month}."


def short_name(client: Client) -> str:
    return f"{client.first_names.split()[0]} {client.last_name[:1]}."


def weekly_day_limits(
    *, client_ids: Iterable[int], start: date, end: date
) -> dict[tuple[int, date], int]:
    """Present days a week each client's KTT contract allows, by (client, Monday), in one query.

    The contract's days per week passed the rules engine's limit in force when it was made
    (189/2001 § 6); where two contracts touch the same week, the larger number applies.
    """
    limits: dict[tuple[int, date], int] = {}
    contracts = KttContract.objects.filter(
        episode__client_id__in=list(client_ids), start__lte=end, end__gte=start
    ).values_list("episode__client_id", "start", "end", "days_per_week")
    for client_id, first, last, days in contracts:
        monday = week_start_of(max(first, start))
        while monday <= min(last, end):
            key = (client_id, monday)
            limits[key] = max(days, limits.get(key, 0))
            monday += timedelta(days=7)
    return limits


def attendance_grid(
    *,
    actor: Actor,
    week: date,
    now: datetime,
    placement: Placement | None = None,
    group: Group | None = None,
) -> AttendanceGrid:
    """The week grid of a placement or a group: only the clients the actor may see (logged).

    Four queries whatever the group size: the clients, their marks, their contracts' days a
    week and the access-log rows. Days after today are shown but not open for marking.
    """
    policy.require(actor, Capability.RECORD_ATTENDANCE)
    start = week_start_of(week)
    days = tuple(start + timedelta(days=offset) for offset in range(WEEKDAYS))
    end = days[-1]
    today = timezone.localdate(now)
    if placement is not None:
        members = Q(
            service_episodes__placement=placement,
            service_episodes__started_on__lte=end,
        ) & (Q(service_episodes__ended_on__isnull=True) | Q(service_episodes__ended_on__gte=start))
    elif group is not None:
        members = Q(
            pk__in=GroupMember.objects.filter(group=group, joined_on__lte=end)
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
            .values("client_id")
        )
    else:
        raise ValueError("a placement or a group")
    clients = list(
        policy.clients_visible_to(actor, now)
        .filter(members)
        .distinct()
        .order_by("last_name", "first_names", "pk")
    )
    marks = {
        (row.client_id, row.day): row
        for row in Attendance.objects.filter(client__in=clients, day__range=(start, end))
    }
    limits = weekly_day_limits(client_ids=[c.pk for c in clients], start=start, end=end)
    policy.clients_shown(actor=actor, clients=clients, now=now, view="services:attendance")
    labels = [short_name(client) for client in clients]
    ambiguous = {label for label in labels if labels.count(label) > 1}
    rows = []
    for client, label in zip(clients, labels, strict=True):
        cells = []
        for day in days:
            mark = marks.get((client.pk, day))
            cells.append(
                GridCell(
                    client.pk,
                    day,
                    mark.status if mark else "",
                    mark.reason if mark else "",
                    mark.version if mark else 0,
                    future=day > today,
                )
            )
        if label in ambiguous:
            label = f"{label} ({client.birth_date:%Y})"
        rows.append(GridRow(client, label, tuple(cells), limits.get((client.pk, start))))
    return AttendanceGrid(start, days, tuple(rows), today)


# ---------------------------------------------------------------- one client's services


def client_episodes(*, client: Client) -> list[ServiceEpisode]:
    """The client's episodes, newest first, with the KTT contract when there is one."""
    return list(
        ServiceEpisode.objects.filter(client=client).select_related(
            "service_type", "placement", "ktt_contract", "ktt_contract__decided_by"
        )
    )


def episode_get(*, client: Client, episode_id: int) -> ServiceEpisode:
    episode = (
        ServiceEpisode.objects.filter(client=client, pk=episode_id)
        .select_related("service_type")
        .first()
    )
    if episode is None:
        raise Http404(_("Palvelujaksoa ei löydy."))
    return episode


def contract_get(*, client: Client, contract_id: int) -> KttContract:
    contract = (
        KttContract.objects.filter(pk=contract_id, episode__client=client)
        .select_related("episode", "placement", "decided_by", "decider", "created_by")
        .prefetch_related(Prefetch("notices", to_attr="notice_list"))
        .first()
    )
    if contract is None:
        raise Http404(_("Sopimusta ei löydy."))
    return contract


@dataclass(frozen=True)
class AttendanceSummary:
    start: date
    end: date
    counts: dict[str, int]

    @property
    def present(self) -> int:
        return self.counts.get(AttendanceStatus.PRESENT, 0)

    @property
    def absent(self) -> int:
        return sum(
            count for status, count in self.counts.items() if status != AttendanceStatus.PRESENT
        )


def attendance_summary(*, client: Client, start: date, end: date) -> AttendanceSummary:
    rows = (
        Attendance.objects.filter(client=client, day__range=(start, end))
        .values("status")
        .annotate(n=Count("id"))
    )
    return AttendanceSummary(start, end, {row["status"]: row["n"] for row in rows})


def attendance_history(*, client: Client, start: date, end: date) -> list[Attendance]:
    """Marks in the period with their corrections (old → new), newest day first."""
    return list(
        Attendance.objects.filter(client=client, day__range=(start, end))
        .select_related("recorded_by")
        .prefetch_related("changes__changed_by")
        .order_by("-day")
    )


def allowance_statements(*, client: Client) -> list[AllowanceStatement]:
    return list(AllowanceStatement.objects.filter(client=client).select_related("created_by"))


# ---------------------------------------------------------------- the clerk's expense allowances


def ktt_participants() -> Q:
    """Clients with a signed KTT contract, now or earlier: whom the allowance task covers."""
    signed = KttContract.objects.filter(status__in=claim_computation.PARTICIPATING)
    return Q(pk__in=signed.values("episode__client_id"))


@dataclass(frozen=True)
class AllowanceRow:
    """One participant on the clerk's allowance list for a period."""

    client: Client
    placement: str
    present_days: int  # within the contract: the days the allowance is paid for
    statements: tuple[AllowanceStatement, ...]  # computed already for an overlapping period


def allowance_participants(
    *, actor: Actor, start: date, end: date, now: datetime
) -> list[AllowanceRow]:
    """The KTT participants of the period with their attended days and computed allowances.

    Read under the allowance task (no care relationship needed) and logged with it; four
    queries whatever the number of participants.
    """
    contracts = (
        KttContract.objects.filter(
            Q(episode__ended_on__isnull=True) | Q(episode__ended_on__gte=start),
            episode__client__in=policy.clients_for_task(actor, policy.KTT_ALLOWANCE),
            status__in=claim_computation.PARTICIPATING,
            start__lte=end,
            end__gte=start,
        )
        .select_related("episode__client", "placement")
        .order_by(
            "episode__client__last_name",
            "episode__client__first_names",
            "episode__client_id",
            "-start",
        )
    )
    latest: dict[int, KttContract] = {}
    for contract in contracts:
        latest.setdefault(contract.episode.client_id, contract)
    days = dict(
        claim_computation.claim_attendance(
            organisation_id=actor.organisation.pk, start=start, end=end
        )
    )
    computed: dict[int, list[AllowanceStatement]] = defaultdict(list)
    for statement in AllowanceStatement.objects.filter(
        client_id__in=list(latest), period_start__lte=end, period_end__gte=start
    ).order_by("period_start", "pk"):
        computed[statement.client_id].append(statement)
    policy.client_ids_shown_for_task(
        actor=actor,
        task=policy.KTT_ALLOWANCE,
        client_ids=list(latest),
        now=now,
        view="services:allowance_list",
    )
    return [
        AllowanceRow(
            client=contract.episode.client,
            placement=contract.placement.name,
            present_days=len(days.get(client_id, ())),
            statements=tuple(computed[client_id]),
        )
        for client_id, contract in latest.items()
    ]


def allowance_client_get(*, actor: Actor, client_id: int, now: datetime) -> Client:
    """Open a participant's record for the expense allowance (logged under the task)."""
    return policy.client_open_for_task(
        actor=actor,
        client_id=client_id,
        task=policy.KTT_ALLOWANCE,
        now=now,
        view="services:allowance_create",
    )


def allowance_days(*, client: Client, start: date, end: date) -> list[date]:
    """The days the participant attended in the period within a signed KTT contract."""
    found = claim_computation.claim_attendance(
        organisation_id=client.organisation_id, start=start, end=end, client_ids=[client.pk]
    )
    return found[0][1] if found else []


# ---------------------------------------------------------------- claims


def claim_list(*, actor: Actor) -> QuerySet[ReimbursementClaim]:
    policy.require(actor, Capability.MANAGE_CLAIMS)
    return ReimbursementClaim.objects.filter(organisation=actor.organisation).select_related(
        "created_by"
    )


def claim_get(
    *, actor: Actor, claim_id: int, now: datetime, view: str
) -> tuple[ReimbursementClaim, list[ClaimLine]]:
    """A claim with its participant list; showing the list is logged per participant."""
    claim = claim_list(actor=actor).filter(pk=claim_id).first()
    if claim is None:
        raise Http404(_("Hakemusta ei löydy."))
    lines = list(
        claim.lines.select_related("client").order_by("client__last_name", "client__first_names")
    )
    policy.client_ids_shown(
        actor=actor, client_ids=[line.client_id for line in lines], now=now, view=view
    )
    return claim, lines


def claim_rates(*, claim: ReimbursementClaim) -> tuple[DailyRate, ...]:
    """The per-day reimbursement and weekly cap in force in the claim's period (engine)."""
    return daily_rates(claim.period_start, claim.period_end)


def status_counts(cells: list[GridCell]) -> Counter[str]:
    return Counter(cell.status for cell in cells if cell.status)


def format_day(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def client_groups(*, client: Client) -> list[GroupMember]:
    return list(
        GroupMember.objects.filter(client=client).select_related("group").order_by("-joined_on")
    )
