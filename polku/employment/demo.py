"""Demo stage: employers, legacy obligated-employment cases, pay subsidies, a claim, a budget.

Obligated employment ended on 2.9.2024, so the cases are legacy ones in various steps
(obligation dates before the end) and one new notice refused by the rules engine. The
pay-subsidised employments start on both sides of 1.7.2023; rates, durations and caps
are the engine's. ``toimisto`` finds last month's claim to KEHA-keskus and this year's
budget; ``valmentaja`` sees open cases on the worklist.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from polku.accounts.models import User
from polku.accounts.selectors import actor_for
from polku.audit.events import OBLIGATION_RECORDED, OBLIGATION_REFUSED, PAY_SUBSIDY_APPLIED
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client
from polku.demo.context import DemoContext
from polku.employment import engine, services, steps
from polku.employment.models import (
    Employer,
    EmployerContact,
    ObligatedEmployment,
    PaySubsidy,
    SubsidyBudget,
)
from polku.rules.engine.calendar import add_months
from polku.rules.engine.errors import FactError
from polku.rules.engine.obligated_employment import ObligatedEmploymentResult

# (name, type, contact)
EMPLOYERS = (
    ("Kunnan tekninen toimi", "municipality", "Tapio Tekninen"),
    ("Kunnan kotihoito", "municipality", "Hanna Hoiva"),
    ("Kunnan kirjasto", "municipality", "Kirsi Kirja"),
    ("Rakennus Oy", "company", "Rami Rakentaja"),
    ("Kauppa Koivunen Ky", "company", "Kalle Koivunen"),
    ("Siivous Sini Oy", "company", "Sini Siivo"),
    ("Kierrätyskeskus ry", "association", "Riikka Kierto"),
)
JOBS = ("Kiinteistötyöntekijä", "Hoiva-avustaja", "Kirjastoavustaja", "Varastotyöntekijä")
LEGACY_STEPS = (
    # (days after the notice the last step was reached, fields filled)
    "meeting",
    "job_chosen",
    "subsidy_applied",
    "employed",
    "ended",
    "ktt_chosen",
)
SUBSIDIES = 20
OBLIGATION_END = date(2024, 9, 1)  # the last day the law was in force (HE 13/2024)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def populate(context: DemoContext) -> str:
    organisation = context.organisation
    if Employer.objects.filter(organisation=organisation).exists():
        return "Employment: already there."
    _rng, today = context.rng, context.now.date()
    employers = Employer.objects.bulk_create(
        Employer(
            organisation=organisation,
            name=name,
            employer_type=kind,
            business_id="" if kind == "municipality" else f"{1234560 + index}-{index}",
        )
        for index, (name, kind, _contact) in enumerate(EMPLOYERS)
    )
    EmployerContact.objects.bulk_create(
        EmployerContact(employer=employer, name=contact, phone=f"040 555 01{index:02d}")
        for index, (employer, (_n, _k, contact)) in enumerate(
            zip(employers, EMPLOYERS, strict=True)
        )
    )
    municipal = [e for e in employers if e.employer_type == "municipality"]
    others = [e for e in employers if e.employer_type != "municipality"]
    workers = {context.users["valmentaja"].pk, context.users["sosiaaliohjaaja"].pk}
    clients = sorted(
        (c for c in context.clients if c.responsible_worker_id),
        key=lambda c: (c.responsible_worker_id not in workers, c.pk),
    )
    cases = _obligations(context, clients, municipal)
    used = {case.client_id for case in cases}
    subsidies = _subsidies(context, [c for c in clients if c.pk not in used], municipal, others)
    _timeline(context, cases, subsidies)
    SubsidyBudget.objects.create(organisation=organisation, year=today.year, amount=Decimal(250000))
    claim = _claim(context, today)
    return (
        f"Employment: {len(employers)} employers, {len(cases)} obligated-employment cases, "
        f"{len(subsidies)} pay subsidies, {claim}"
    )


def _obligations(
    context: DemoContext, clients: list[Client], municipal: list[Employer]
) -> list[ObligatedEmployment]:
    """Legacy cases of clients aged 57–59 when their maximum period ended before 2.9.2024."""
    creator = context.users["valmentaja"]
    cases: list[ObligatedEmployment] = []
    for client in clients:
        if len(cases) == len(LEGACY_STEPS):
            break
        end = _max_period_end(client.birth_date)
        if end is None:
            continue
        decision = engine.obligation_decision(
            birth_date=client.birth_date, max_period_end=end, as_of=context.now.date()
        )
        if not decision.result.eligible:
            continue
        step = LEGACY_STEPS[len(cases)]
        cases.append(_legacy_case(client, end, decision.result, step, municipal, creator, context))
    refused_client = next(c for c in clients if c.pk not in {case.client_id for case in cases})
    refused_end = date(2024, 12, 31)
    refusal = engine.obligation_decision(
        birth_date=refused_client.birth_date, max_period_end=refused_end, as_of=context.now.date()
    )
    cases.append(
        ObligatedEmployment(
            client=refused_client,
            status=ObligatedEmployment.Status.REFUSED,
            notice_received_on=date(2024, 10, 7),
            max_period_end=refused_end,
            refusal_reason=" ".join(step.text for step in refusal.steps),
            created_by=creator,
            created_at=_at(date(2024, 10, 7)),
        )
    )
    return ObligatedEmployment.objects.bulk_create(cases)


def _max_period_end(birth_date: date) -> date | None:
    """A day when the person was 58 and the obligation still in force, if there is one."""
    end = add_months(birth_date, 58 * 12 + 3)
    return end if date(2022, 6, 1) <= end <= OBLIGATION_END else None


def _legacy_case(
    client: Client,
    end: date,
    result: ObligatedEmploymentResult,
    step: str,
    municipal: list[Employer],
    creator: User,
    context: DemoContext,
) -> ObligatedEmployment:
    notice = end - timedelta(days=120)
    start_by, months = result.job_must_start_by, result.duration_months
    if start_by is None or months is None:
        raise ValueError("an eligible case has a deadline and a duration")
    case = ObligatedEmployment(
        client=client,
        notice_received_on=notice,
        max_period_end=end,
        job_must_start_by=start_by,
        duration_months=months,
        created_by=creator,
        created_at=_at(notice),
        meeting_on=notice + timedelta(days=14),
    )
    order = LEGACY_STEPS.index(step)
    if order >= 1 and step != "ktt_chosen":
        case.employer = municipal[order % len(municipal)]
        case.job_title = JOBS[order % len(JOBS)]
        case.job_chosen_on = notice + timedelta(days=30)
    if order >= 2 and step != "ktt_chosen":
        case.subsidy_applied_on = notice + timedelta(days=45)
    if step in {"employed", "ended"}:
        case.decision_on = notice + timedelta(days=70)
        case.contract_start = start_by
        case.contract_end = add_months(start_by, months) - timedelta(days=1)
        case.costs = Decimal("13200.00")
    if step == "ended":
        case.ended_on = case.contract_end
    if step == "ktt_chosen":
        case.ktt_chosen_on = notice + timedelta(days=40)
    case.status = steps.status_for(
        {name: getattr(case, name) for name in steps.STEP_FIELDS if name != "employer_id"}
    )
    return case


def _subsidies(
    context: DemoContext,
    clients: list[Client],
    municipal: list[Employer],
    others: list[Employer],
) -> list[PaySubsidy]:
    """Employments starting from early 2023 to last month, across 1.7.2023."""
    rng, today = context.rng, context.now.date()
    creator = context.users["toimisto"]
    first = date(2023, 1, 2)
    span = (today - timedelta(days=20) - first).days
    rows: list[PaySubsidy] = []
    for client in clients:
        if len(rows) == SUBSIDIES:
            break
        start = (first + timedelta(days=span * len(rows) // SUBSIDIES)).replace(day=1)
        municipal_employer = len(rows) % 3 == 0
        employer = rng.choice(municipal if municipal_employer else others)
        basis = "reduced_work_ability" if len(rows) % 4 == 1 else "skills"
        if employer.employer_type == "association" and start >= date(2023, 7, 1):
            basis = "association"
        if employer.employer_type == "municipality" and start >= date(2025, 1, 1):
            basis = "reduced_work_ability"  # the only ground left for municipalities
        months_28 = rng.choice((8, 14, 20, 26))
        facts = engine.SubsidyFacts(
            start=start,
            basis=basis,
            employer_type=employer.employer_type,
            birth_date=client.birth_date,
            unemployed_months_of_last_28=months_28,
            unemployed_months_of_last_14=min(months_28, 14) - 2,
            long_term_unemployed=True,
        )
        try:
            result = engine.subsidy_decision(facts, today).result
        except FactError:
            continue
        if not result.allowed or result.rate is None:
            continue
        months = result.duration_months or 12
        rows.append(
            PaySubsidy(
                client=client,
                employer=employer,
                job_title=JOBS[len(rows) % len(JOBS)],
                basis=basis,
                unemployed_months_of_last_28=months_28,
                unemployed_months_of_last_14=facts.unemployed_months_of_last_14,
                long_term_unemployed=True,
                start=start,
                end=add_months(start, months) - timedelta(days=1),
                monthly_wage_costs=Decimal(rng.choice((1900, 2150, 2400, 2800, 3100))),
                status=PaySubsidy.Status.GRANTED,
                applied_on=start - timedelta(days=30),
                decision_on=start - timedelta(days=10),
                decision_number=f"PT-{start:%Y}-{len(rows) + 1:03d}",
                allowed=result.allowed,
                rate=result.rate,
                duration_months=result.duration_months,
                monthly_cap=result.monthly_cap,
                created_by=creator,
                created_at=_at(start - timedelta(days=30)),
            )
        )
    return PaySubsidy.objects.bulk_create(rows)


def _timeline(
    context: DemoContext, cases: list[ObligatedEmployment], subsidies: list[PaySubsidy]
) -> None:
    rows = [
        ChangeLogEntry(
            at=_at(case.notice_received_on),
            actor=case.created_by,
            organisation=context.organisation,
            event=(OBLIGATION_REFUSED if case.status == "refused" else OBLIGATION_RECORDED).code,
            object_type=ObligatedEmployment._meta.label,
            object_id=str(case.pk),
            client_id=case.client_id,
            changes={"max_period_end": [None, case.max_period_end.isoformat()]},
        )
        for case in cases
    ]
    rows += [
        ChangeLogEntry(
            at=_at(subsidy.applied_on),
            actor=subsidy.created_by,
            organisation=context.organisation,
            event=PAY_SUBSIDY_APPLIED.code,
            object_type=PaySubsidy._meta.label,
            object_id=str(subsidy.pk),
            client_id=subsidy.client_id,
            changes={"start": [None, subsidy.start.isoformat()]},
        )
        for subsidy in subsidies
    ]
    ChangeLogEntry.objects.bulk_create(rows)


def _claim(context: DemoContext, today: date) -> str:
    """Last month's payment claim, made through the service like the clerk would."""
    end = today.replace(day=1) - timedelta(days=1)
    actor = actor_for(user=context.users["toimisto"], organisation_id=context.organisation.pk)
    if actor is None:
        return "no claim made."
    try:
        claim = services.claim_create(
            actor=actor, period_start=end.replace(day=1), period_end=end, now=context.now
        )
    except ValueError:
        return "no claim for last month."
    return f"claim {end:%m/%Y}: {claim.amount} €."
