"""Demo stage: a year of Kela's municipal-share lists for about 400 clients.

Daily amounts come from the engine's parameters and the municipal share from the rules
engine, like a real list would show. The latest list has a few unknown persons (new
clients flagged for review), contact attempts and contact owners for part of it.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from polku.accounts.models import User
from polku.clients.models import CareAssignment, Client, MainIncome
from polku.demo.context import DemoContext
from polku.rules.engine.municipal_share import (
    Benefit as EngineBenefit,
)
from polku.rules.engine.municipal_share import (
    MunicipalShareFacts,
    Payment,
    PaymentBasis,
    decide_municipal_share,
)
from polku.rules.engine.parameters import parameter
from polku.sharelist.models import (
    Benefit,
    ContactAttempt,
    ContactOwner,
    ShareListImport,
    ShareListRow,
)
from polku.sharelist.selectors import mapping_get
from polku.sharelist.services import LIST_NOTE

PERSONS = 400
MONTHS = 12
NEW_PERSONS = 6
ENGINE = {
    Benefit.LMS: EngineBenefit.LMS,
    Benefit.BASIC_ALLOWANCE: EngineBenefit.BASIC_ALLOWANCE,
    Benefit.EARNINGS_ALLOWANCE: EngineBenefit.EARNINGS_ALLOWANCE,
}


def _month(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _weekdays(start: date, end: date) -> int:
    return sum(1 for n in range((end - start).days + 1) if (start + timedelta(n)).weekday() < 5)


def _rows_for(
    client: Client, months: list[date], rng: random.Random, job_ids: dict[date, int]
) -> list[ShareListRow]:
    benefit = Benefit.LMS if rng.random() < 0.8 else Benefit.BASIC_ALLOWANCE
    counter = rng.randint(80, 1300)
    joined = rng.randint(0, len(months) - 1) if rng.random() < 0.3 else 0
    left = rng.randint(joined + 1, len(months)) if rng.random() < 0.15 else len(months)
    rows: list[ShareListRow] = []
    for month in months[joined:left]:
        period_end = month - timedelta(days=1)
        period_start = period_end.replace(day=1)
        days = _weekdays(period_start, period_end) - (
            rng.randint(0, 8) if rng.random() < 0.2 else 0
        )
        daily = parameter("benefit.basic_daily_amount", period_start).money()
        paid = (daily * days).quantize(Decimal("0.01"))
        payment = Payment(
            period_start, period_end, days, paid, ENGINE[benefit], PaymentBasis.UNEMPLOYMENT
        )
        decision = decide_municipal_share(MunicipalShareFacts((payment,), counter), period_end)
        counter += days
        share = decision.result.share
        rows.append(
            ShareListRow(
                organisation_id=client.organisation_id,
                client=client,
                benefit=benefit,
                payment_date=month + timedelta(days=rng.randint(2, 8)),
                period_start=period_start,
                period_end=period_end,
                month=month,
                days=days,
                paid=paid,
                share_percent=decision.result.lines[-1].rate if decision.result.lines else None,
                share=share,
                accumulated_days=counter,
                last_import_id=job_ids[month],
            )
        )
        if rng.random() < 0.04 and days > 1:
            rows.append(
                ShareListRow(
                    organisation_id=client.organisation_id,
                    client=client,
                    benefit=benefit,
                    payment_date=month + timedelta(days=20),
                    period_start=period_end,
                    period_end=period_end,
                    month=month,
                    days=-1,
                    paid=-(paid / days).quantize(Decimal("0.01")),
                    share_percent=None,
                    share=-(share / days).quantize(Decimal("0.01")),
                    accumulated_days=counter - 1,
                    last_import_id=job_ids[month],
                )
            )
    return rows


def _new_clients(context: DemoContext, chosen: list[Client], rng: random.Random) -> list[Client]:
    """A few persons who appear on the latest list for the first time, flagged for review.

    They are demo clients not otherwise on the lists (the demo's client count stays as
    asked), preferably without a responsible worker, as an import would have left them.
    """
    taken = {client.pk for client in chosen}
    candidates = sorted(
        (client for client in context.clients if client.pk not in taken),
        key=lambda client: (client.responsible_worker_id is not None, client.pk),
    )
    newcomers = candidates[:NEW_PERSONS]
    Client.objects.filter(pk__in=[client.pk for client in newcomers]).update(needs_review=True)
    return newcomers


def _follow_up(
    context: DemoContext, latest: date, clients: list[Client], rng: random.Random
) -> tuple[int, int]:
    workers: list[User] = context.caseworkers
    owners, assignments, attempts = [], [], []
    today = context.now.date()
    for client in clients:
        if rng.random() < 0.35:
            worker = rng.choice(workers)
            owners.append(
                ContactOwner(client=client, worker=worker, assigned_on=latest + timedelta(days=40))
            )
            assignments.append(
                CareAssignment(
                    client=client,
                    worker=worker,
                    basis=CareAssignment.Basis.LIST,
                    note=LIST_NOTE,
                    started_on=latest + timedelta(days=40),
                )
            )
        if rng.random() < 0.3:
            method = rng.choice(list(ContactAttempt.Method))
            result = {
                ContactAttempt.Method.LETTER: ContactAttempt.Result.LETTER_SENT,
                ContactAttempt.Method.PHONE: rng.choice(
                    [ContactAttempt.Result.REACHED, ContactAttempt.Result.NOT_REACHED]
                ),
                ContactAttempt.Method.IN_PERSON: ContactAttempt.Result.APPOINTMENT,
            }[method]
            attempts.append(
                ContactAttempt(
                    client=client,
                    method=method,
                    result=result,
                    made_on=min(today, latest + timedelta(days=rng.randint(35, 70))),
                    made_by=client.responsible_worker or rng.choice(workers),
                    recorded_at=context.now,
                )
            )
    ContactOwner.objects.bulk_create(owners)
    CareAssignment.objects.bulk_create(assignments)
    ContactAttempt.objects.bulk_create(attempts)
    return len(owners), len(attempts)


def populate(context: DemoContext) -> str:
    if ShareListRow.objects.filter(organisation=context.organisation).exists():
        return "Share lists: already there."
    rng = random.Random(context.rng.random())  # noqa: S311 - synthetic demo data
    # Kela bills a month in arrears: the newest list is the month before last.
    months = [_month(context.now.date(), back) for back in range(MONTHS + 1, 1, -1)]
    mapping = mapping_get(organisation=context.organisation, name="polku")
    jobs = ShareListImport.objects.bulk_create(
        ShareListImport(
            organisation=context.organisation,
            mapping=mapping,
            filename=f"kuntaosuuslista-{month:%Y-%m}.csv",
            sha256="demo",
            status=ShareListImport.Status.DONE,
            created_by=context.users["toimisto"],
            created_at=context.now - timedelta(days=30 * (MONTHS + 1 - index)),
            finished_at=context.now - timedelta(days=30 * (MONTHS + 1 - index)),
        )
        for index, month in enumerate(months)
    )
    job_ids = {month: job.pk for month, job in zip(months, jobs, strict=True)}
    subsidy = [c for c in context.clients if c.main_income == MainIncome.LABOUR_MARKET_SUBSIDY]
    others = [c for c in context.clients if c.main_income != MainIncome.LABOUR_MARKET_SUBSIDY]
    persons = min(PERSONS, len(context.clients) - NEW_PERSONS)  # leave room for newcomers
    chosen = rng.sample(subsidy, min(persons, len(subsidy)))
    chosen += rng.sample(others, min(persons - len(chosen), len(others)))
    rows = [row for client in chosen for row in _rows_for(client, months, rng, job_ids)]
    newcomers = _new_clients(context, chosen, rng)
    rows += [row for client in newcomers for row in _rows_for(client, months[-1:], rng, job_ids)]
    ShareListRow.objects.bulk_create(rows, batch_size=2000)
    for job, month in zip(jobs, months, strict=True):
        count = sum(1 for row in rows if row.month == month)
        job.summary = {
            "rows": count,
            "imported": count,
            "unchanged": 0,
            "new_clients": 0,
            "rejected": False,
            "errors": [],
        }
    jobs[-1].summary["new_clients"] = len(newcomers)
    ShareListImport.objects.bulk_update(jobs, ["summary"])
    latest_ids = {row.client_id for row in rows if row.month == months[-1]}
    on_latest = [c for c in [*chosen, *newcomers] if c.pk in latest_ids]
    owners, attempts = _follow_up(context, months[-1], on_latest, rng)
    return (
        f"Share lists: {len(months)} months, {len(rows)} rows, {len(newcomers)} new persons, "
        f"{owners} contact owners, {attempts} contact attempts."
    )
