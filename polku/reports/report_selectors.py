"""The monthly monitoring report (SPEC C8): indicators for a month, the month before and
the same month a year earlier, goals with targets, charts, and closed-month corrections.

A closed month's numbers come from its snapshot, never recomputed silently; a later
difference is listed as a correction. Only anonymous aggregates: nothing here reads
or shows a client, so no access-log rows are written.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from polku.access import policy
from polku.accounts.roles import Actor, Capability
from polku.reports import indicators
from polku.reports.indicators import MIN_PERSONS, SUPPRESSED, IndicatorValue
from polku.reports.models import (
    Goal,
    MonthSnapshot,
    PartnerAgreement,
    SnapshotCorrection,
    Target,
)
from polku.reports.periods import add_months, month_end

CHARTED = (
    "referral_sources",
    "clients_per_service",
    "outcomes_at_exit",
    "follow_up",
    "share_list_euros",
)
BAR_ROW_HEIGHT = 28
LABEL_WIDTH = 260
BAR_WIDTH = 260


@dataclass(frozen=True)
class MonthValues:
    month: date
    values: dict[str, IndicatorValue]
    closed_at: Any = None  # datetime of the snapshot, None when computed now
    corrections: list[SnapshotCorrection] = field(default_factory=list)


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    unit: str
    bars: list[Bar]
    height: int
    rows: list[dict[str, Any]]

    @property
    def all_suppressed(self) -> bool:
        """Every category is under the small-number limit: nothing to draw, say so."""
        return bool(self.rows) and all(row["value"] == SUPPRESSED for row in self.rows)


@dataclass(frozen=True)
class Line:
    key: str
    title: str
    unit: str
    definition: str
    current: dict[str, Any]
    previous: dict[str, Any]
    year_ago: dict[str, Any]


@dataclass(frozen=True)
class GoalLine:
    title: str
    measures: list[str]
    targets: list[dict[str, Any]]


@dataclass(frozen=True)
class MonthlyReport:
    month: date
    current: MonthValues
    previous: MonthValues
    year_ago: MonthValues
    lines: list[Line]
    charts: list[Chart]
    goals: list[GoalLine]
    corrections: list[dict[str, Any]]
    partners: list[PartnerAgreement]  # the year's letters of intent and their evaluation
    min_persons: int = MIN_PERSONS
    # Last year's agreements, evaluated goal by goal at this year's round (seed 002).
    partner_evaluations: list[PartnerAgreement] = field(default_factory=list)


def month_values(*, organisation_id: int, month: date) -> MonthValues:
    """The snapshot of a closed month, otherwise the indicators computed now."""
    snapshot = (
        MonthSnapshot.objects.filter(organisation_id=organisation_id, month=month)
        .prefetch_related("corrections")
        .first()
    )
    if snapshot is None:
        return MonthValues(
            month=month,
            values=indicators.compute_all(organisation_id, month, month_end(month)),
        )
    return MonthValues(
        month=month,
        values={k: IndicatorValue.from_json(v) for k, v in snapshot.values.items()},
        closed_at=snapshot.closed_at,
        corrections=list(snapshot.corrections.all()),
    )


def _public(values: MonthValues, key: str) -> dict[str, Any]:
    value = values.values.get(key)
    return value.public() if value is not None else {"value": None, "rows": []}


def _chart(value: IndicatorValue) -> Chart:
    public = value.public()
    numbers = [Decimal(r["value"]) for r in public["rows"] if r["value"] != SUPPRESSED]
    top = max(numbers, default=Decimal(0)) or Decimal(1)
    bars = []
    for index, row in enumerate(public["rows"]):
        suppressed = row["value"] == SUPPRESSED
        width = 0 if suppressed else int(Decimal(row["value"]) / top * BAR_WIDTH)
        y = index * BAR_ROW_HEIGHT
        bars.append(
            Bar(label=row["label"], shown=row["value"], y=y + 4, width=width, text_y=y + 19)
        )
    return Chart(
        key=value.key,
        title=value.title,
        unit=value.unit,
        bars=bars,
        height=max(len(bars), 1) * BAR_ROW_HEIGHT,
        rows=public["rows"],
    )


def _goals(organisation_id: int, year: int, current: MonthValues) -> list[GoalLine]:
    goals = Goal.objects.filter(organisation_id=organisation_id).prefetch_related(
        Prefetch("targets", queryset=Target.objects.filter(year=year))
    )
    lines = []
    for goal in goals:
        targets = []
        for target in goal.targets.all():
            value = current.values.get(target.indicator)
            targets.append(
                {
                    "indicator": value.title if value else target.indicator,
                    "unit": value.unit if value else "",
                    "target": target.value,
                    "current": value.public()["value"] if value else None,
                }
            )
        lines.append(GoalLine(title=goal.title, measures=list(goal.measures), targets=targets))
    return lines


def _shown(data: dict[str, Any] | None) -> Any:
    return None if not data else IndicatorValue.from_json(data).public()["value"]


def monthly_report(*, actor: Actor, month: date) -> MonthlyReport:
    policy.require(actor, Capability.VIEW_REPORTS)
    organisation_id = actor.organisation.pk
    month = month.replace(day=1)
    current = month_values(organisation_id=organisation_id, month=month)
    previous = month_values(organisation_id=organisation_id, month=add_months(month, -1))
    year_ago = month_values(organisation_id=organisation_id, month=add_months(month, -12))
    lines = [
        Line(
            key=key,
            title=value.title,
            unit=value.unit,
            definition=value.definition,
            current=value.public(),
            previous=_public(previous, key),
            year_ago=_public(year_ago, key),
        )
        for key, value in current.values.items()
    ]
    charts = [_chart(current.values[key]) for key in CHARTED if key in current.values]
    corrections = [
        {
            "indicator": c.corrected.get("title", c.indicator),
            "published": _shown(c.published),
            "corrected": _shown(c.corrected),
            "recorded_at": c.recorded_at,
        }
        for c in current.corrections
    ]
    return MonthlyReport(
        month=month,
        current=current,
        previous=previous,
        year_ago=year_ago,
        lines=lines,
        charts=charts,
        goals=_goals(organisation_id, month.year, current),
        corrections=corrections,
        partners=list(
            PartnerAgreement.objects.filter(
                organisation_id=organisation_id, year=month.year
            ).prefetch_related("agreed_goals")
        ),
        partner_evaluations=list(
            PartnerAgreement.objects.filter(
                organisation_id=organisation_id, year=month.year - 1
            ).prefetch_related("agreed_goals")
        ),
    )
