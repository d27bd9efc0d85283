"""Benchmark figures of the share-list import (SPEC §4: 500,000 rows ≤ 10 s on PostgreSQL).

Synthetic lists (identity codes with individual numbers 900–999) are written to a
temporary directory and imported into a throw-away organisation: September's list into
the empty organisation (every person a new client), then October's list for the same
persons (the monthly case the SPEC bar is about), then October's again (idempotent:
nothing written). The naive approach it replaces — parse a row, ``get_or_create`` the client,
``update_or_create`` the row, one ORM round trip after another — runs on a sample
and is extrapolated. Everything runs in one transaction that is rolled back, so the
database is left as it was.
"""

import os
import random
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from polku.accounts.models import Organisation
from polku.clients.models import Client
from polku.core import hetu as hetu_codes
from polku.sharelist import services
from polku.sharelist.importer import validate
from polku.sharelist.models import FIELDS, ShareListRow
from polku.sharelist.selectors import mapping_get

NAIVE_SAMPLE = 5_000
LIST_MONTH = date(2026, 9, 1)
SIGNS = ("-", "-", "-", "Y", "X", "W", "V", "U")
SIGNS_2000 = ("A", "A", "A", "B", "C", "D", "E", "F")


def _money(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def write_list(path: Path, rows: int, seed: int = 2026, month: date = LIST_MONTH) -> None:
    """A share-list CSV like Kela's: two payment periods a person, ``;`` and decimal comma."""
    rng = random.Random(seed)  # noqa: S311 - synthetic benchmark data, not security
    persons = max(rows // 2, 1)
    base = date(1960, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(";".join(FIELDS) + "\n")
        written = 0
        for person in range(persons):
            birth = base + timedelta(days=person // 100)
            individual = 900 + person % 100
            signs = SIGNS_2000 if birth.year >= 2000 else SIGNS
            code = hetu_codes.build(birth, individual, signs[person % len(signs)])
            accumulated = rng.randint(120, 1500)
            for period in range(2):
                if written == rows:
                    break
                start = month + timedelta(days=15 * period - 30)
                end = start + timedelta(days=13)
                days = 10
                paid = Decimal(rng.randint(30000, 80000)) / 100
                percent = 50 if accumulated < 1000 else 70
                share = (paid * percent / 100).quantize(Decimal("0.01"))
                payment = month + timedelta(days=3 + 14 * period)
                out.write(
                    f"{code};Testinen;Aino;TMT;{payment:%d.%m.%Y};{start:%d.%m.%Y};"
                    f"{end:%d.%m.%Y};{days};{_money(paid)};{percent};{_money(share)};"
                    f"{accumulated + days * (period + 1)}\n"
                )
                written += 1


def _naive_import(content: bytes, organisation: Organisation, aliases: dict[str, Any]) -> int:
    """The per-row ORM import the set-based merge replaces (validation is shared)."""
    now = timezone.now()
    written = 0
    for row in validate(content, aliases).valid:
        (
            code,
            last,
            first,
            birth,
            benefit,
            paid_on,
            start,
            end,
            month,
            days,
            paid,
            pct,
            share,
            acc,
        ) = row
        client, _created = Client.objects.get_or_create(
            organisation=organisation,
            hetu=code,
            defaults={
                "first_names": first,
                "last_name": last,
                "birth_date": birth,
                "needs_review": True,
                "created_at": now,
                "updated_at": now,
            },
        )
        ShareListRow.objects.update_or_create(
            organisation=organisation,
            client=client,
            benefit=benefit,
            payment_date=paid_on,
            period_start=start,
            period_end=end,
            defaults={
                "month": month,
                "days": days,
                "paid": paid,
                "share_percent": pct,
                "share": share,
                "accumulated_days": acc,
            },
        )
        written += 1
    return written


def _timed(work: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def figures(clients: int) -> dict[str, Any]:
    rows = clients
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        write_list(folder / "syyskuu.csv", rows)
        write_list(folder / "lokakuu.csv", rows, month=date(2026, 10, 1))
        write_list(folder / "otos.csv", min(NAIVE_SAMPLE, rows), seed=7)
        first_file = (folder / "syyskuu.csv").read_bytes()
        monthly_file = (folder / "lokakuu.csv").read_bytes()
        sample_file = (folder / "otos.csv").read_bytes()
    load_before = os.getloadavg()[0]
    with transaction.atomic():
        organisation = Organisation.objects.create(
            slug=f"bench-sharelist-{time.time_ns()}", name="Benchmark", kind="municipality"
        )
        mapping = mapping_get(organisation=organisation, name=services.DEFAULT_MAPPING)

        def run(content: bytes) -> dict[str, Any]:
            return services.share_list_import(
                organisation=organisation,
                mapping_name=services.DEFAULT_MAPPING,
                content=content,
                filename="lista.csv",
                accept_valid=False,
                dry_run=False,
                now=timezone.now(),
            )

        _validated, validate_seconds = _timed(lambda: validate(monthly_file, mapping.aliases))
        first, first_seconds = _timed(lambda: run(first_file))
        monthly, monthly_seconds = _timed(lambda: run(monthly_file))
        again, again_seconds = _timed(lambda: run(monthly_file))
        naive_organisation = Organisation.objects.create(
            slug=f"bench-naive-{time.time_ns()}", name="Benchmark naive", kind="municipality"
        )
        sampled, naive_seconds = _timed(
            lambda: _naive_import(sample_file, naive_organisation, mapping.aliases)
        )
        transaction.set_rollback(True)  # leave the database as it was
    if monthly["imported"] != rows or again["unchanged"] != rows:
        raise RuntimeError(f"share-list benchmark miscounted: {monthly} {again}")
    naive_total = naive_seconds * rows / max(sampled, 1)
    common = {
        "size": rows,
        "unit": "rows/s",
        "database": connection.vendor,
        "load_average": round(max(load_before, os.getloadavg()[0]), 2),
        "naive_seconds_extrapolated": round(naive_total, 1),
        "naive": f"per-row ORM get_or_create + update_or_create, {sampled} rows, extrapolated",
    }
    return {
        "share_list_import": {
            **common,
            "value": round(rows / monthly_seconds),
            "seconds": round(monthly_seconds, 2),
            "validate_seconds": round(validate_seconds, 2),
            "naive_value": round(sampled / naive_seconds),
            "ratio": round(naive_total / monthly_seconds, 1),
            "note": "a month's list, persons already clients: read + validate + COPY to "
            "staging + one set-based upsert, all in one transaction (SPEC §4 bar: 10 s)",
        },
        "share_list_first_import": {
            **common,
            "value": round(rows / first_seconds),
            "seconds": round(first_seconds, 2),
            "new_clients": first["new_clients"],
            "ratio": round(naive_total / first_seconds, 1),
            "note": "into an empty organisation: every person becomes a new client with "
            "a change-history row",
        },
        "share_list_reimport": {
            **common,
            "value": round(rows / again_seconds),
            "seconds": round(again_seconds, 2),
            "unchanged": again["unchanged"],
            "ratio": round(naive_total / again_seconds, 1),
            "note": "the same file again: every row matched, nothing written",
        },
    }
