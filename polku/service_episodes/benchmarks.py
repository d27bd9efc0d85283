"""Benchmark figures of C4: a half-year reimbursement claim and one week's attendance grid.

The claim is computed from synthetic attendance held in memory (5,000 participants, half a
year, 2–4 days a week) with the same function the claim service uses, against the naive
per-participant, per-day computation (an engine call for every attended day). The grid
figure saves a 30-person week through the service inside a transaction that is rolled back.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from polku.accounts.models import Membership, Organisation, User
from polku.accounts.roles import Role
from polku.accounts.selectors import actor_for
from polku.clients.models import CareAssignment, Client
from polku.core import hetu as hetu_codes
from polku.rules.engine.ktt_reimbursement import KttReimbursementFacts, decide_ktt_reimbursement
from polku.service_episodes import services
from polku.service_episodes.claim_computation import claim_compute

PARTICIPANTS = 5_000
HALF_YEAR_START = date(2026, 1, 5)
WEEKS = 26
NAIVE_SAMPLE = 200  # the naive computation is measured on a sample and scaled
GROUP = 30


class _Rollback(Exception):
    pass


def _synthetic_attendance(participants: int, seed: int) -> list[tuple[int, list[date]]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic benchmark data, not security
    rows = []
    for client_id in range(1, participants + 1):
        per_week = rng.choice((2, 3, 4, 5))
        days = [
            HALF_YEAR_START + timedelta(days=7 * week + weekday)
            for week in range(WEEKS)
            for weekday in range(per_week)
            if rng.random() < 0.9
        ]
        rows.append((client_id, days))
    return rows


def _naive(rows: list[tuple[int, list[date]]], as_of: date) -> Decimal:
    """One engine call per attended day: is this day within the week's cap, and its amount."""
    total = Decimal(0)
    for _client_id, days in rows:
        for index, day in enumerate(days):
            monday = day - timedelta(days=day.weekday())
            same_week = [d for d in days[: index + 1] if d >= monday]
            before = decide_ktt_reimbursement(KttReimbursementFacts(tuple(same_week[:-1])), as_of)
            after = decide_ktt_reimbursement(KttReimbursementFacts(tuple(same_week)), as_of)
            total += after.result.amount - before.result.amount
    return total


def claim_figure(participants: int) -> dict[str, Any]:
    rows = _synthetic_attendance(participants, seed=2026)
    as_of = HALF_YEAR_START + timedelta(weeks=WEEKS)
    started = time.perf_counter()
    computed = claim_compute(rows, as_of)
    seconds = time.perf_counter() - started
    sample = rows[:NAIVE_SAMPLE]
    started = time.perf_counter()
    naive_total = _naive(sample, as_of)
    naive_seconds = (time.perf_counter() - started) * len(rows) / len(sample)
    sample_total = sum((line.amount for line in computed.lines[:NAIVE_SAMPLE]), Decimal(0))
    return {
        "size": participants,
        "unit": "s",
        "value": round(seconds, 3),
        "attended_days": computed.attended_days,
        "amount": f"{computed.amount:.2f}",
        "naive_value": round(naive_seconds, 3),
        "naive": f"an engine call per participant-day (measured on {len(sample)}, scaled)",
        "naive_agrees": naive_total == sample_total,
        "ratio": round(naive_seconds / seconds, 1),
    }


def grid_figure() -> dict[str, Any]:
    """Saving a 30-person week: one request, one transaction; queries and time measured."""
    figure: dict[str, Any] = {}
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(slug="benchmark-c4", name="Benchmark")
            user = User.objects.create(username="benchmark-c4-instructor")
            Membership.objects.create(user=user, organisation=organisation, role=Role.WORK_COACH)
            now = datetime(2026, 11, 27, 15, tzinfo=UTC)
            clients = Client.objects.bulk_create(
                Client(
                    organisation=organisation,
                    hetu=hetu_codes.build(date(1980, 1, 1 + index), 900 + index),
                    first_names="Testi",
                    last_name=f"Osallistuja{index}",
                    birth_date=date(1980, 1, 1 + index),
                    created_at=now,
                    updated_at=now,
                )
                for index in range(GROUP)
            )
            CareAssignment.objects.bulk_create(
                CareAssignment(client=c, worker=user, basis="service", started_on=now.date())
                for c in clients
            )
            actor = actor_for(user=user, organisation_id=organisation.pk)
            if actor is None:
                raise _Rollback
            cells = [
                services.Cell(client.pk, date(2026, 11, 23) + timedelta(days=offset), "present")
                for client in clients
                for offset in range(5)
            ]
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                changed = services.attendance_record(actor=actor, cells=cells, now=now)
            figure = {
                "size": GROUP,
                "unit": "ms",
                "value": round((time.perf_counter() - started) * 1000, 1),
                "requests": 1,
                "cells": changed,
                "queries": len(queries),
                "naive": "a request per cell",
                "ratio": len(cells),  # requests saved
            }
            raise _Rollback
    except _Rollback:
        pass
    return figure


def figures(clients: int) -> dict[str, dict[str, Any]]:
    return {
        "ktt_claim_half_year": claim_figure(min(PARTICIPANTS, max(clients, 1))),
        "ktt_attendance_week_30": grid_figure(),
    }
