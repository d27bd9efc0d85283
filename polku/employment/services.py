"""Writes of obligated employment, pay subsidies, employers, claims and budgets (SPEC C6).

Every change leaves one change-history row; rows about a client carry ``client_id`` so
they appear on the client's timeline. Legal dates and amounts come from the rules engine
through ``polku.employment.engine``.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.roles import Actor, Capability
from polku.audit import services as audit
from polku.audit.events import (
    EMPLOYER_CONTACT_ADDED,
    EMPLOYER_CREATED,
    EMPLOYER_UPDATED,
    OBLIGATION_RECORDED,
    OBLIGATION_REFUSED,
    OBLIGATION_UPDATED,
    PAY_SUBSIDY_APPLIED,
    PAY_SUBSIDY_CLAIM_CREATED,
    PAY_SUBSIDY_DECIDED,
    SUBSIDY_BUDGET_SET,
)
from polku.employment import engine
from polku.employment.models import (
    Employer,
    EmployerContact,
    ObligatedEmployment,
    PaySubsidy,
    PaySubsidyClaim,
    PaySubsidyClaimLine,
    SubsidyBudget,
)
from polku.employment.steps import STEP_FIELDS, status_for
from polku.rules.engine.errors import FactError


class EditConflict(ValueError):
    """Someone else saved the record after it was opened: nothing was overwritten."""

    def __init__(self, current: Any, attempted: dict[str, Any]) -> None:
        super().__init__(_("Joku muu tallensi tiedot sillä välin."))
        self.current = current
        self.attempted = attempted


class SubsidyRefused(ValueError):
    """The engine cannot grant a pay subsidy on these facts; the message says why."""


def _values(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in fields}


# ---------------------------------------------------------------- employers


@dataclass(frozen=True)
class EmployerData:
    name: str
    employer_type: str
    business_id: str = ""
    address: str = ""
    notes: str = ""
    active: bool = True


EMPLOYER_FIELDS = tuple(EmployerData.__dataclass_fields__)


@transaction.atomic
def employer_create(*, actor: Actor, data: EmployerData, now: datetime) -> Employer:
    """Add an employer to the register (business coordinator)."""
    policy.require(actor, Capability.MANAGE_EMPLOYERS)
    if Employer.objects.filter(organisation=actor.organisation, name=data.name).exists():
        raise ValueError(_("Samanniminen työnantaja on jo rekisterissä."))
    employer = Employer.objects.create(organisation=actor.organisation, **asdict(data))
    audit.record(
        event=EMPLOYER_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=employer,
        changes={"name": [None, employer.name]},
    )
    return employer


@transaction.atomic
def employer_update(
    *, actor: Actor, employer_id: int, version: int, data: EmployerData, now: datetime
) -> Employer:
    """Change an employer's details if nobody else saved them since ``version`` was read.

    Raises:
        EditConflict: the record changed after it was opened; it carries both versions.
    """
    policy.require(actor, Capability.MANAGE_EMPLOYERS)
    employer = Employer.objects.filter(organisation=actor.organisation, pk=employer_id).first()
    if employer is None:
        raise Http404(_("Työnantajaa ei löydy."))
    before = _values(employer, EMPLOYER_FIELDS)
    fields = asdict(data)
    updated = Employer.objects.filter(pk=employer.pk, version=version).update(
        **fields, version=version + 1
    )
    if not updated:
        raise EditConflict(current=employer, attempted=fields)
    employer.refresh_from_db()
    audit.record(
        event=EMPLOYER_UPDATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=employer,
        changes=audit.changes_between(before, _values(employer, EMPLOYER_FIELDS)),
    )
    return employer


@transaction.atomic
def employer_contact_add(
    *, actor: Actor, employer_id: int, name: str, title: str, phone: str, email: str, now: datetime
) -> EmployerContact:
    policy.require(actor, Capability.MANAGE_EMPLOYERS)
    employer = Employer.objects.filter(organisation=actor.organisation, pk=employer_id).first()
    if employer is None:
        raise Http404(_("Työnantajaa ei löydy."))
    contact = EmployerContact.objects.create(
        employer=employer, name=name, title=title, phone=phone, email=email
    )
    audit.record(
        event=EMPLOYER_CONTACT_ADDED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=employer,
        changes={"contact": [None, name]},
    )
    return contact


def _employer(actor: Actor, employer_id: int | None) -> Employer | None:
    if employer_id is None:
        return None
    employer = Employer.objects.filter(organisation=actor.organisation, pk=employer_id).first()
    if employer is None:
        raise ValueError(_("Työnantajaa ei löydy rekisteristä."))
    return employer


# ---------------------------------------------------------------- obligated employment


@transaction.atomic
def obligation_record(
    *, actor: Actor, client_id: int, notice_received_on: date, max_period_end: date, now: datetime
) -> ObligatedEmployment:
    """Record the TE office's notice; the engine decides whether an obligation arises.

    The start deadline and the job's length are the engine's answer for the day the
    maximum period ends. When the engine finds no obligation (the law ended on 2.9.2024,
    or the age condition is not met) the notice is kept as refused with the engine's
    reasoning as the reason.
    """
    policy.require(actor, Capability.MANAGE_EMPLOYMENT)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="employment:obligation_create"
    )
    decision = engine.obligation_decision(
        birth_date=client.birth_date, max_period_end=max_period_end, as_of=now.date()
    )
    result = decision.result
    case = ObligatedEmployment.objects.create(
        client=client,
        status=(
            ObligatedEmployment.Status.NOTICE
            if result.eligible
            else ObligatedEmployment.Status.REFUSED
        ),
        notice_received_on=notice_received_on,
        max_period_end=max_period_end,
        job_must_start_by=result.job_must_start_by,
        duration_months=result.duration_months,
        refusal_reason="" if result.eligible else " ".join(step.text for step in decision.steps),
        created_by=actor.user,
        created_at=now,
    )
    audit.record(
        event=OBLIGATION_RECORDED if result.eligible else OBLIGATION_REFUSED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=case,
        client_id=client.pk,
        changes={
            "max_period_end": [None, max_period_end.isoformat()],
            "status": [None, case.status],
        },
    )
    return case


@transaction.atomic
def obligation_update(
    *,
    actor: Actor,
    client_id: int,
    case_id: int,
    version: int,
    steps: dict[str, Any],
    now: datetime,
) -> ObligatedEmployment:
    """Record the case's steps (dates, chosen job, costs); the status follows the latest.

    Only the steps given change (the API's PATCH sends some, the form sends all).

    Raises:
        ValueError: the case was refused (no obligation), the contract ends before it
            starts, or the employer is not a municipal unit of the register.
        EditConflict: someone else saved the case after it was opened.
    """
    policy.require(actor, Capability.MANAGE_EMPLOYMENT)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=now)
    case = ObligatedEmployment.objects.filter(
        client_id=client_id, client__organisation=actor.organisation, pk=case_id
    ).first()
    if case is None:
        raise Http404(_("Työllistämisvelvoitetta ei löydy."))
    if case.status == ObligatedEmployment.Status.REFUSED:
        raise ValueError(_("Velvoitetta ei synny, joten vaiheita ei kirjata."))
    unknown = set(steps) - set(STEP_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    employer = _employer(actor, steps.get("employer_id"))
    if employer is not None and not employer.is_municipal:
        raise ValueError(_("Velvoitetyö järjestetään kunnan yksikössä."))
    start, end = steps.get("contract_start"), steps.get("contract_end")
    if start and end and end < start:
        raise ValueError(_("Työsopimus päättyy ennen kuin se alkaa."))
    before = _values(case, (*STEP_FIELDS, "status"))
    fields = {**steps, "status": status_for({**before, **steps})}
    updated = ObligatedEmployment.objects.filter(pk=case.pk, version=version).update(
        **fields, version=version + 1
    )
    if not updated:
        raise EditConflict(current=case, attempted=steps)
    case.refresh_from_db()
    audit.record(
        event=OBLIGATION_UPDATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=case,
        client_id=case.client_id,
        changes=audit.changes_between(before, _values(case, (*STEP_FIELDS, "status"))),
    )
    return case


# ---------------------------------------------------------------- pay subsidy


@dataclass(frozen=True)
class SubsidyData:
    employer_id: int
    job_title: str
    basis: str
    unemployed_months_of_last_28: int
    start: date
    end: date
    monthly_wage_costs: Decimal
    applied_on: date
    unemployed_months_of_last_14: int | None = None
    long_term_unemployed: bool | None = None
    obligated_employment_id: int | None = None


@transaction.atomic
def subsidy_apply(*, actor: Actor, client_id: int, data: SubsidyData, now: datetime) -> PaySubsidy:
    """Record a pay-subsidy application with the engine's rate, duration and cap.

    Raises:
        SubsidyRefused: the engine does not allow a subsidy (e.g. a municipal employer
            from 2025) or needs a fact that was not given.
        ValueError: the employment ends before it starts or the employer is unknown.
    """
    policy.require(actor, Capability.MANAGE_EMPLOYMENT)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="employment:subsidy_create"
    )
    if data.end < data.start:
        raise ValueError(_("Työsuhde päättyy ennen kuin se alkaa."))
    employer = _employer(actor, data.employer_id)
    assert employer is not None  # noqa: S101 - employer_id is required
    if (
        data.obligated_employment_id is not None
        and not ObligatedEmployment.objects.filter(
            pk=data.obligated_employment_id, client=client
        ).exists()
    ):
        raise ValueError(_("Työllistämisvelvoitetta ei löydy."))
    facts = engine.SubsidyFacts(
        start=data.start,
        basis=data.basis,
        employer_type=employer.employer_type,
        birth_date=client.birth_date,
        unemployed_months_of_last_28=data.unemployed_months_of_last_28,
        unemployed_months_of_last_14=data.unemployed_months_of_last_14,
        long_term_unemployed=data.long_term_unemployed,
    )
    try:
        decision = engine.subsidy_decision(facts, now.date())
    except FactError as missing:
        raise SubsidyRefused(missing.message) from missing
    result = decision.result
    if result.allowed is False:
        raise SubsidyRefused(" ".join(step.text for step in decision.steps))
    subsidy = PaySubsidy.objects.create(
        client=client,
        employer=employer,
        obligated_employment_id=data.obligated_employment_id,
        job_title=data.job_title,
        basis=data.basis,
        unemployed_months_of_last_28=data.unemployed_months_of_last_28,
        unemployed_months_of_last_14=data.unemployed_months_of_last_14,
        long_term_unemployed=data.long_term_unemployed,
        start=data.start,
        end=data.end,
        monthly_wage_costs=data.monthly_wage_costs,
        applied_on=data.applied_on,
        allowed=result.allowed,
        rate=result.rate,
        duration_months=result.duration_months,
        monthly_cap=result.monthly_cap,
        created_by=actor.user,
        created_at=now,
    )
    audit.record(
        event=PAY_SUBSIDY_APPLIED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=subsidy,
        client_id=client.pk,
        changes={"employer": [None, employer.name], "start": [None, data.start.isoformat()]},
    )
    return subsidy


@transaction.atomic
def subsidy_decide(
    *,
    actor: Actor,
    client_id: int,
    subsidy_id: int,
    version: int,
    granted: bool,
    decision_on: date,
    decision_number: str,
    now: datetime,
) -> PaySubsidy:
    """Record the TE office's decision on the application.

    Raises:
        EditConflict: someone else saved the employment after it was opened.
    """
    policy.require(actor, Capability.MANAGE_EMPLOYMENT)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=now)
    subsidy = PaySubsidy.objects.filter(
        client_id=client_id, client__organisation=actor.organisation, pk=subsidy_id
    ).first()
    if subsidy is None:
        raise Http404(_("Palkkatukea ei löydy."))
    status = PaySubsidy.Status.GRANTED if granted else PaySubsidy.Status.REJECTED
    fields = {"status": status, "decision_on": decision_on, "decision_number": decision_number}
    updated = PaySubsidy.objects.filter(pk=subsidy.pk, version=version).update(
        **fields, version=version + 1
    )
    if not updated:
        raise EditConflict(current=subsidy, attempted=fields)
    audit.record(
        event=PAY_SUBSIDY_DECIDED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=subsidy,
        client_id=subsidy.client_id,
        changes={
            "status": [subsidy.status, status],
            "decision_on": [None, decision_on.isoformat()],
        },
    )
    subsidy.refresh_from_db()
    return subsidy


# ---------------------------------------------------------------- claims and budget


@transaction.atomic
def claim_create(
    *, actor: Actor, period_start: date, period_end: date, now: datetime
) -> PaySubsidyClaim:
    """Make the payment claim to KEHA-keskus for a period: one line per employment and month.

    The amounts are the engine's monthly subsidy; the claim's totals are the sums of its
    lines to the cent.

    Raises:
        ValueError: the period is reversed, not yet over, or has nothing to claim.
    """
    policy.require(actor, Capability.MANAGE_CLAIMS)
    if period_end < period_start:
        raise ValueError(_("Jakson loppu on ennen alkua."))
    if period_end >= now.date():
        raise ValueError(
            _("Tukea haetaan toteutuneelta ajalta: jakson on päätyttävä ennen tätä päivää.")
        )
    subsidies = PaySubsidy.objects.filter(
        client__organisation=actor.organisation,
        status=PaySubsidy.Status.GRANTED,
        start__lte=period_end,
        end__gte=period_start,
    ).order_by("client__last_name", "client__first_names", "start", "pk")
    lines = [
        PaySubsidyClaimLine(
            subsidy=subsidy,
            client_id=subsidy.client_id,
            month=month.month,
            days_covered=month.days_covered,
            days_in_month=month.days_in_month,
            wage_costs=month.wage_costs,
            amount=month.amount,
        )
        for subsidy in subsidies
        for month in engine.subsidy_months(subsidy, period_start, period_end)
    ]
    if not lines:
        raise ValueError(_("Jaksolla ei ole haettavaa palkkatukea."))
    claim = PaySubsidyClaim.objects.create(
        organisation=actor.organisation,
        period_start=period_start,
        period_end=period_end,
        amount=sum((line.amount for line in lines), Decimal("0.00")),
        wage_costs=sum((line.wage_costs for line in lines), Decimal("0.00")),
        created_by=actor.user,
        created_at=now,
    )
    for line in lines:
        line.claim = claim
    PaySubsidyClaimLine.objects.bulk_create(lines)
    audit.record(
        event=PAY_SUBSIDY_CLAIM_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=claim,
        changes={"amount": [None, f"{claim.amount:.2f}"], "lines": [None, len(lines)]},
    )
    return claim


@transaction.atomic
def budget_set(*, actor: Actor, year: int, amount: Decimal, now: datetime) -> SubsidyBudget:
    """Enter the year's pay-subsidy budget (replaces the earlier figure)."""
    policy.require(actor, Capability.MANAGE_CLAIMS)
    budget = SubsidyBudget.objects.filter(organisation=actor.organisation, year=year).first()
    before = None if budget is None else f"{budget.amount:.2f}"
    if budget is None:
        budget = SubsidyBudget.objects.create(
            organisation=actor.organisation, year=year, amount=amount
        )
    else:
        budget.amount = amount
        budget.version += 1
        budget.save(update_fields=["amount", "version"])
    audit.record(
        event=SUBSIDY_BUDGET_SET,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=budget,
        changes={"amount": [before, f"{amount:.2f}"]},
    )
    return budget
