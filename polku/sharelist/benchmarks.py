"""Benchmark figures of the share-list import (SPEC §4: 500,000 rows ≤ 10 s on PostgreSQL;
issue 18: within 8× of a raw ``COPY`` of the same file, on bounded memory).

Synthetic lists (identity codes with individual numbers 900–999) are written to a
temporary directory and imported from the file into a throw-away organisation:
September's list into the empty organisation (every person a new client), then
October's list for the same persons (the monthly case), then October's again
(idempotent: nothing written). Right before each import the same file is loaded with a
raw ``COPY`` into a temporary table of text columns — the least work that gets the file
into PostgreSQL — so each figure carries its ratio to that, measured under the same load.
The naive approach it replaces — parse a row, ``get_or_create`` the client,
``update_or_create`` the row, one ORM round trip after another — runs on a sample and is
extrapolated. Everything runs in one transaction that is rolled back, so the database is
left as it was; each figure includes the foreign-key checks the commit would run.

Memory: the peak resident set of this process during the monthly import, after Linux's
peak counter is reset (``/proc/self/clear_refs``), beside the resident set before it; the
PostgreSQL server's memory is its own and not counted.
"""

import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
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
STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


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


def _naive_import(path: Path, organisation: Organisation, aliases: dict[str, Any]) -> int:
    """The per-row ORM import the set-based merge replaces (validation is shared)."""
    now = timezone.now()
    frames: list[pl.DataFrame] = []
    with path.open("rb") as source:
        validate(source, aliases, frames.append)
    written = 0
    for frame in frames:
        for row in frame.iter_rows(named=True):
            client, _created = Client.objects.get_or_create(
                organisation=organisation,
                hetu=row["hetu"],
                defaults={
                    "first_names": row["first_names"],
                    "last_name": row["last_name"],
                    "birth_date": row["birth_date"],
                    "needs_review": True,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            ShareListRow.objects.update_or_create(
                organisation=organisation,
                client=client,
                benefit=row["benefit"],
                payment_date=row["payment_date"],
                period_start=row["period_start"],
                period_end=row["period_end"],
                defaults={
                    "month": row["month"],
                    "days": row["days"],
                    "paid": Decimal(row["paid"]),
                    "share_percent": row["share_percent"],
                    "share": Decimal(row["share"]),
                    "accumulated_days": row["accumulated_days"],
                },
            )
            written += 1
    return written


def _timed(work: Callable[[], Any]) -> tuple[Any, float]:
    """``work``'s result and its seconds, including the foreign-key checks its commit
    would run."""
    started = time.perf_counter()
    result = work()
    constraints_checked()
    return result, time.perf_counter() - started


def raw_copy_seconds(path: Path) -> float:
    """A plain ``COPY`` of the file into a temporary table of text columns: no checks, no
    index, no write-ahead log — the floor any import of the file stands on."""
    columns = ", ".join(f"c{index} text" for index in range(len(FIELDS)))
    started = time.perf_counter()
    with connection.cursor() as cursor, path.open("rb") as source:
        cursor.execute(f"CREATE TEMPORARY TABLE sharelist_raw_copy ({columns})")
        with cursor.copy(
            "COPY sharelist_raw_copy FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)"
        ) as copy:
            while block := source.read(1024 * 1024):
                copy.write(block)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE sharelist_raw_copy")
    return seconds


def constraints_checked() -> None:
    """Run now the foreign-key checks PostgreSQL defers to the commit: the benchmark
    rolls back, and an import's cost must include them (250,000 new clients: ~1 s)."""
    if connection.vendor != "postgresql":
        return  # SQLite has no SET CONSTRAINTS; the bar is for PostgreSQL
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _kilobytes(name: str) -> int | None:
    for line in STATUS.read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    return None


def peak_memory(work: Callable[[], Any]) -> tuple[Any, dict[str, Any]]:
    """Run ``work`` and report the process's resident set before it and at its peak."""
    try:
        CLEAR_REFS.write_text("5")  # resets the peak (VmHWM) to the current size
    except OSError:
        return work(), {"peak_rss_mb": None, "note": "peak RSS needs Linux /proc"}
    before = _kilobytes("VmRSS") or 0
    result = work()
    peak = _kilobytes("VmHWM") or 0
    return result, {
        "rss_before_mb": round(before / 1024),
        "peak_rss_mb": round(peak / 1024),
        "peak_rss_added_mb": round((peak - before) / 1024),
    }


def figures(clients: int) -> dict[str, Any]:
    rows = clients
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        first_file, monthly_file, sample_file = (
            folder / "syyskuu.csv",
            folder / "lokakuu.csv",
            folder / "otos.csv",
        )
        write_list(first_file, rows)
        write_list(monthly_file, rows, month=date(2026, 10, 1))
        write_list(sample_file, min(NAIVE_SAMPLE, rows), seed=7)
        return _measure(rows, first_file, monthly_file, sample_file)


def _measure(rows: int, first_file: Path, monthly_file: Path, sample_file: Path) -> dict[str, Any]:
    postgres = connection.vendor == "postgresql"
    loads: list[float] = [os.getloadavg()[0]]
    with transaction.atomic():
        organisation = Organisation.objects.create(
            slug=f"bench-sharelist-{time.time_ns()}", name="Benchmark", kind="municipality"
        )
        mapping = mapping_get(organisation=organisation, name=services.DEFAULT_MAPPING)

        def run(path: Path) -> dict[str, Any]:
            with path.open("rb") as source:
                return services.share_list_import(
                    organisation=organisation,
                    mapping_name=services.DEFAULT_MAPPING,
                    source=source,
                    filename=path.name,
                    accept_valid=False,
                    dry_run=False,
                    now=timezone.now(),
                )

        def case(path: Path, *, memory: bool = False) -> dict[str, Any]:
            copy_seconds = raw_copy_seconds(path) if postgres else None
            if memory:
                (summary, seconds), rss = peak_memory(lambda: _timed(lambda: run(path)))
            else:
                (summary, seconds), rss = _timed(lambda: run(path)), {}
            loads.append(os.getloadavg()[0])
            return {"summary": summary, "seconds": seconds, "copy": copy_seconds, **rss}

        first = case(first_file)
        monthly = case(monthly_file, memory=True)
        again = case(monthly_file)
        naive_organisation = Organisation.objects.create(
            slug=f"bench-naive-{time.time_ns()}", name="Benchmark naive", kind="municipality"
        )
        sampled, naive_seconds = _timed(
            lambda: _naive_import(sample_file, naive_organisation, mapping.aliases)
        )
        transaction.set_rollback(True)  # leave the database as it was
    if monthly["summary"]["imported"] != rows or again["summary"]["unchanged"] != rows:
        raise RuntimeError(f"share-list benchmark miscounted: {monthly} {again}")
    naive_total = naive_seconds * rows / max(sampled, 1)
    common = {
        "size": rows,
        "unit": "rows/s",
        "database": connection.vendor,
        "file_mb": round(monthly_file.stat().st_size / 1e6, 1),
        "load_average": round(max(loads), 2),
        "naive_seconds_extrapolated": round(naive_total, 1),
        "naive": f"per-row ORM get_or_create + update_or_create, {sampled} rows, extrapolated",
    }

    def figure(measured: dict[str, Any], note: str, **extra: Any) -> dict[str, Any]:
        seconds, copy_seconds = measured["seconds"], measured["copy"]
        return {
            **common,
            "value": round(rows / seconds),
            "seconds": round(seconds, 2),
            "ratio": round(naive_total / seconds, 1),
            "copy_seconds": None if copy_seconds is None else round(copy_seconds, 2),
            "copy_ratio": None if copy_seconds is None else round(seconds / copy_seconds, 1),
            "copy": "raw COPY of the same file into a temporary text table, just before",
            **{key: measured[key] for key in measured if key.startswith(("peak", "rss"))},
            **extra,
            "note": note,
        }

    return {
        "share_list_import": figure(
            monthly,
            "a month's list, persons already clients: read + validate every row + COPY to "
            "staging + one MERGE, all in one transaction (SPEC §4 bar: 10 s; issue 18: "
            "copy_ratio ≤ 8)",
            naive_value=round(sampled / naive_seconds),
        ),
        "share_list_first_import": figure(
            first,
            "into an empty organisation: every person becomes a new client with a "
            "change-history row",
            new_clients=first["summary"]["new_clients"],
        ),
        "share_list_reimport": figure(
            again,
            "the same file again: every row matched, nothing written",
            unchanged=again["summary"]["unchanged"],
        ),
    }
