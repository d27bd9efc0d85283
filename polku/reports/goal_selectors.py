"""Reads of the goals, yearly targets, entered figures and partner agreements (SPEC C8).

Aggregates and the organisation's own records only: nothing here reads a client.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404

from polku.access import policy
from polku.accounts.roles import Actor, Capability
from polku.reports import indicators
from polku.reports.indicators import SUPPRESSED, IndicatorValue
from polku.reports.models import EnteredFigure, Goal, PartnerAgreement, Target


@dataclass(frozen=True)
class TargetRow:
    target: Target
    title: str
    unit: str
    actual: Decimal | str | None  # so far this year; "< 5" for a small group; None: none
    suppressed: bool = False  # "< 5" is a count of persons, shown without the unit


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    targets: list[TargetRow]


@dataclass(frozen=True)
class GoalsPage:
    year: int
    until: date | None  # the actual values are for 1.1.–until; None for a future year
    goals: list[GoalRow]


def year_so_far(*, organisation_id: int, year: int, today: date) -> dict[str, IndicatorValue]:
    """Every indicator from the start of ``year`` to today (to 31.12. for a past year)."""
    start, end = date(year, 1, 1), min(today, date(year, 12, 31))
    return indicators.compute_all(organisation_id, start, max(start, end))


def indicator_choices(values: dict[str, IndicatorValue]) -> list[tuple[str, str]]:
    return [(key, str(value.title)) for key, value in values.items()]


def _shown(value: IndicatorValue) -> Decimal | str | None:
    """The public value as a number (shown in the language's format) or "< 5"."""
    shown = value.public()["value"]
    return shown if shown in (None, SUPPRESSED) else Decimal(shown)


def goals_page(*, actor: Actor, year: int, today: date) -> GoalsPage:
    """The goals with their targets for ``year``, each against the indicator so far."""
    policy.require(actor, Capability.VIEW_REPORTS)
    started = year <= today.year
    values = year_so_far(organisation_id=actor.organisation.pk, year=year, today=today)
    rows = []
    for goal in goals_of(actor=actor, year=year):
        targets = []
        for target in goal.targets.all():
            value = values.get(target.indicator)
            targets.append(
                TargetRow(
                    target=target,
                    title=str(value.title) if value else target.indicator,
                    unit=value.unit if value else "",
                    actual=_shown(value) if value and started else None,
                    suppressed=bool(value and value.suppressed),
                )
            )
        rows.append(GoalRow(goal=goal, targets=targets))
    return GoalsPage(
        year=year, until=min(today, date(year, 12, 31)) if started else None, goals=rows
    )


def _own(queryset: QuerySet[Any], actor: Actor, pk: int) -> Any:
    policy.require(actor, Capability.VIEW_REPORTS)
    found: Model | None = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def goal_get(*, actor: Actor, goal_id: int) -> Goal:
    goal: Goal = _own(Goal.objects.filter(organisation=actor.organisation), actor, goal_id)
    return goal


def target_get(*, actor: Actor, target_id: int) -> Target:
    queryset = Target.objects.filter(goal__organisation=actor.organisation).select_related("goal")
    target: Target = _own(queryset, actor, target_id)
    return target


def figures_of_year(*, actor: Actor, year: int) -> QuerySet[EnteredFigure]:
    """The year's entered figures, newest month first."""
    policy.require(actor, Capability.VIEW_REPORTS)
    return EnteredFigure.objects.filter(organisation=actor.organisation, month__year=year).order_by(
        "-month", "kind", "unit"
    )


def figure_get(*, actor: Actor, figure_id: int) -> EnteredFigure:
    queryset = EnteredFigure.objects.filter(organisation=actor.organisation)
    figure: EnteredFigure = _own(queryset, actor, figure_id)
    return figure


def agreements_of(*, actor: Actor, year: int | None = None) -> QuerySet[PartnerAgreement]:
    """The organisation's partner agreements (of one year when given)."""
    policy.require(actor, Capability.VIEW_REPORTS)
    agreements = PartnerAgreement.objects.filter(organisation=actor.organisation)
    if year is not None:
        agreements = agreements.filter(year=year)
    return agreements.select_related("evaluated_by").prefetch_related("agreed_goals")


def goals_of(*, actor: Actor, year: int | None = None) -> QuerySet[Goal]:
    """The organisation's goals with their targets (of one year when given) prefetched."""
    policy.require(actor, Capability.VIEW_REPORTS)
    targets = Target.objects.all() if year is None else Target.objects.filter(year=year)
    return Goal.objects.filter(organisation=actor.organisation).prefetch_related(
        Prefetch("targets", queryset=targets)
    )


def agreement_get(*, actor: Actor, agreement_id: int) -> PartnerAgreement:
    queryset = PartnerAgreement.objects.filter(organisation=actor.organisation).prefetch_related(
        "agreed_goals"
    )
    agreement: PartnerAgreement = _own(queryset, actor, agreement_id)
    return agreement
