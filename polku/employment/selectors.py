"""Reads of the employment app. Client-level lists are logged through the access policy."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.roles import Actor
from polku.clients.models import Client
from polku.employment import engine
from polku.employment.models import (
    Employer,
    ObligatedEmployment,
    PaySubsidy,
    PaySubsidyClaim,
    PaySubsidyClaimLine,
    SubsidyBudget,
)
from polku.rules.engine.errors import FactError
from polku.rules.engine.money import cents

ZERO = Decimal("0.00")


# ---------------------------------------------------------------- employers


def employer_list(*, actor: Actor) -> QuerySet[Employer]:
    return Employer.objects.filter(organisation=actor.organisation).annotate(
        subsidy_count=Count("pay_subsidies", filter=Q(pay_subsidies__status="granted")),
        contact_count=Count("contacts", distinct=True),
    )


def employer_choices(*, actor: Actor, municipal_only: bool = False) -> QuerySet[Employer]:
    employers = Employer.objects.filter(organisation=actor.organisation, active=True)
    if municipal_only:
        employers = employers.filter(
            employer_type__in=["municipality", "joint_municipal_authority"]
        )
    return employers


def employer_get(*, actor: Actor, employer_id: int) -> Employer:
    employer = Employer.objects.filter(organisation=actor.organisation, pk=employer_id).first()
    if employer is None:
        raise Http404(_("Työnantajaa ei löydy."))
    return employer


def employer_jobs(*, employer: Employer) -> list[PaySubsidy]:
    """The subsidised jobs at the employer, without the persons (no client data)."""
    return list(
        PaySubsidy.objects.filter(employer=employer)
        .only("job_title", "start", "end", "status", "rate", "employer_id")
        .order_by("-start")[:100]
    )


# ---------------------------------------------------------------- client level


def client_obligations(*, client: Client) -> list[ObligatedEmployment]:
    return list(ObligatedEmployment.objects.filter(client=client).select_related("employer"))


def client_subsidies(*, client: Client) -> list[PaySubsidy]:
    return list(PaySubsidy.objects.filter(client=client).select_related("employer"))


def obligation_get(*, client: Client, case_id: int) -> ObligatedEmployment:
    case = (
        ObligatedEmployment.objects.filter(client=client, pk=case_id)
        .select_related("employer")
        .first()
    )
    if case is None:
        raise Http404(_("Työllistämisvelvoitetta ei löydy."))
    return case


def subsidy_get(*, client: Client, subsidy_id: int) -> PaySubsidy:
    subsidy = (
        PaySubsidy.objects.filter(client=client, pk=subsidy_id)
        .select_related("employer", "client")
        .first()
    )
    if subsidy is None:
        raise Http404(_("Palkkatukea ei löydy."))
    return subsidy


def case_subsidies(*, case: ObligatedEmployment) -> list[PaySubsidy]:
    return list(case.pay_subsidies.select_related("employer"))


def obligation_answer(
    *, case: ObligatedEmployment, birth_date: date, today: date
) -> engine.EngineAnswer:
    """The engine's reasoning for the case, as shown with it."""
    return engine.shown(
        engine.obligation_decision(
            birth_date=birth_date, max_period_end=case.max_period_end, as_of=today
        )
    )


def subsidy_answer(*, subsidy: PaySubsidy, today: date) -> engine.EngineAnswer | None:
    try:
        return engine.shown(engine.subsidy_decision(engine.subsidy_facts(subsidy), today))
    except FactError:
        return None


# ---------------------------------------------------------------- overview lists


def open_obligations(*, actor: Actor, now: datetime, view: str) -> list[ObligatedEmployment]:
    """Open cases of the clients the actor works with, the nearest deadline first (logged)."""
    cases = list(
        ObligatedEmployment.objects.filter(client__in=policy.clients_visible_to(actor, now))
        .exclude(status__in=ObligatedEmployment.CLOSED)
        .select_related("client", "employer")
        .order_by("job_must_start_by", "pk")[:200]
    )
    policy.client_ids_shown(
        actor=actor, client_ids=sorted({c.client_id for c in cases}), now=now, view=view
    )
    return cases


def current_subsidies(*, actor: Actor, today: date, now: datetime, view: str) -> list[PaySubsidy]:
    subsidies = list(
        PaySubsidy.objects.filter(client__in=policy.clients_visible_to(actor, now), end__gte=today)
        .exclude(status=PaySubsidy.Status.REJECTED)
        .select_related("client", "employer")
        .order_by("start", "pk")[:200]
    )
    policy.client_ids_shown(
        actor=actor, client_ids=sorted({s.client_id for s in subsidies}), now=now, view=view
    )
    return subsidies


# ---------------------------------------------------------------- claims


def claim_list(*, actor: Actor) -> QuerySet[PaySubsidyClaim]:
    return PaySubsidyClaim.objects.filter(organisation=actor.organisation).annotate(
        line_count=Count("lines")
    )


def claim_get(
    *, actor: Actor, claim_id: int, now: datetime, view: str
) -> tuple[PaySubsidyClaim, list[PaySubsidyClaimLine]]:
    """A claim with its lines; showing the lines is logged per person."""
    claim = PaySubsidyClaim.objects.filter(organisation=actor.organisation, pk=claim_id).first()
    if claim is None:
        raise Http404(_("Maksatushakemusta ei löydy."))
    lines = list(
        claim.lines.select_related("client", "subsidy__employer").order_by(
            "client__last_name", "client__first_names", "subsidy_id", "month"
        )
    )
    policy.client_ids_shown(
        actor=actor, client_ids=sorted({line.client_id for line in lines}), now=now, view=view
    )
    return claim, lines


# ---------------------------------------------------------------- budget


@dataclass(frozen=True)
class BudgetMonth:
    month: date
    subsidy: Decimal
    wage_costs: Decimal

    @property
    def net_cost(self) -> Decimal:
        return self.wage_costs - self.subsidy


@dataclass(frozen=True)
class BudgetFollowUp:
    year: int
    budget: SubsidyBudget | None
    months: list[BudgetMonth]

    @property
    def subsidy(self) -> Decimal:
        return sum((m.subsidy for m in self.months), ZERO)

    @property
    def wage_costs(self) -> Decimal:
        return sum((m.wage_costs for m in self.months), ZERO)

    @property
    def net_cost(self) -> Decimal:
        return self.wage_costs - self.subsidy

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget.amount - self.net_cost


def budget_follow_up(*, actor: Actor, year: int) -> BudgetFollowUp:
    """The year's budget against wage costs and subsidies of granted employments, by month.

    Wage costs are the monthly costs in proportion to the days employed in the month;
    subsidies are the engine's monthly amounts (two queries).
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    subsidy_by_month = dict.fromkeys(range(1, 13), ZERO)
    costs_by_month = dict.fromkeys(range(1, 13), ZERO)
    subsidies = PaySubsidy.objects.filter(
        client__organisation=actor.organisation,
        status=PaySubsidy.Status.GRANTED,
        start__lte=last,
        end__gte=first,
    )
    for subsidy in subsidies:
        for line in engine.subsidy_months(subsidy, first, last):
            subsidy_by_month[line.month.month] += line.amount
        for month in range(1, 13):
            days = calendar.monthrange(year, month)[1]
            start = max(subsidy.start, date(year, month, 1))
            end = min(subsidy.end, date(year, month, days))
            if start <= end:
                employed = (end - start).days + 1
                costs_by_month[month] += cents(subsidy.monthly_wage_costs * employed / days)
    budget = SubsidyBudget.objects.filter(organisation=actor.organisation, year=year).first()
    months = [
        BudgetMonth(date(year, month, 1), subsidy_by_month[month], costs_by_month[month])
        for month in range(1, 13)
    ]
    return BudgetFollowUp(year, budget, months)
