"""The state reimbursement claim's arithmetic: attended days in, engine amounts out."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from polku.rules.engine.ktt_reimbursement import KttReimbursementFacts, decide_ktt_reimbursement
from polku.service_episodes.models import Attendance, AttendanceStatus, KttContract

# A participant's contract has been signed: the days within it count for money.
PARTICIPATING = (
    KttContract.Status.SIGNED,
    KttContract.Status.INTERRUPTED,
    KttContract.Status.ENDED,
)


@dataclass(frozen=True)
class ClaimLineData:
    client_id: int
    attended_days: int
    reimbursable_days: int
    amount: Decimal


@dataclass
class ClaimComputation:
    lines: list[ClaimLineData] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def attended_days(self) -> int:
        return sum(line.attended_days for line in self.lines)

    @property
    def reimbursable_days(self) -> int:
        return sum(line.reimbursable_days for line in self.lines)


def claim_compute(
    days_by_client: Iterable[tuple[int, Sequence[date]]], as_of: date
) -> ClaimComputation:
    """The engine's reimbursement for each participant's attended days (189/2001 § 24)."""
    result = ClaimComputation()
    for client_id, days in days_by_client:
        decision = decide_ktt_reimbursement(KttReimbursementFacts(tuple(days)), as_of)
        result.lines.append(
            ClaimLineData(
                client_id, len(set(days)), decision.result.reimbursable_days, decision.result.amount
            )
        )
    return result


def claim_attendance(
    *, organisation_id: int, start: date, end: date, client_ids: Collection[int] | None = None
) -> list[tuple[int, list[date]]]:
    """Each KTT participant's attended days in the period within their contract (two queries).

    ``client_ids`` narrows it to those participants (one person's expense allowance).
    """
    windows: dict[int, list[tuple[date, date]]] = defaultdict(list)
    contracts = KttContract.objects.filter(
        episode__client__organisation_id=organisation_id,
        status__in=PARTICIPATING,
        start__lte=end,
        end__gte=start,
    )
    if client_ids is not None:
        contracts = contracts.filter(episode__client_id__in=client_ids)
    periods = contracts.values_list("episode__client_id", "start", "end", "episode__ended_on")
    for client_id, first, last, ended_on in periods:
        windows[client_id].append((first, min(last, ended_on) if ended_on else last))
    rows = (
        Attendance.objects.filter(
            client_id__in=list(windows), status=AttendanceStatus.PRESENT, day__range=(start, end)
        )
        .order_by("client_id", "day")
        .values_list("client_id", "day")
    )
    days: dict[int, list[date]] = defaultdict(list)
    for client_id, day in rows.iterator(chunk_size=5000):
        if any(first <= day <= last for first, last in windows[client_id]):
            days[client_id].append(day)
    return sorted(days.items())
