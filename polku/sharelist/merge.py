"""Set-based merge of validated list rows (research §1.1: COPY to staging + set-based SQL).

The valid rows go into a temporary staging table: on PostgreSQL through one ``COPY``
that stays open while the file is read, so the server parses each block while Python
checks the next; on SQLite through ``executemany``. Then, in the caller's transaction:
the rows that repeat an earlier row's identity are found (``duplicate_row``), unknown
persons become new clients (flagged for review) with their change-history rows, changed
rows are updated and new rows inserted, each once, by joins — a row whose values are
unchanged is never written, so importing the same file again writes nothing.
"""

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl
from django.db import DatabaseError, connection, transaction
from psycopg.copy import QueuedLibpqWriter

from polku.audit.events import CLIENT_CREATED
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client
from polku.sharelist.importer import STAGE_COLUMNS
from polku.sharelist.models import ShareListRow

STAGE = "sharelist_stage"
TEMP_BUFFERS = "256MB"
STAGE_TYPES = {
    "row": "integer",
    "birth_date": "date",
    "payment_date": "date",
    "period_start": "date",
    "period_end": "date",
    "month": "date",
    "days": "integer",
    "accumulated_days": "integer",
    "paid": "numeric(12, 2)",
    "share_percent": "numeric(5, 2)",
    "share": "numeric(12, 2)",
}
IDENTITY = ("benefit", "payment_date", "period_start", "period_end")
COMPARED = ("days", "paid", "share_percent", "share", "accumulated_days")
# Client columns the import sets itself; every other column takes the model's default.
CLIENT_SET = {"id", "organisation", "hetu", "first_names", "last_name", "birth_date"}


@dataclass(frozen=True)
class MergeCounts:
    imported: int  # rows inserted or changed
    new_clients: int


@dataclass(frozen=True)
class Duplicate:
    row: int
    first_row: int


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """Valid rows (``STAGE_COLUMNS``) as the CSV the staging table is loaded from."""
    return frame.write_csv(include_header=False, date_format="%Y-%m-%d").encode()


class Stage:
    """The staging table of one import, filled block by block."""

    def __init__(self, cursor: Any, *, stream: bool) -> None:
        self.cursor = cursor
        self.stream = stream
        self.copy: Any = None

    def add(self, frame: pl.DataFrame) -> None:
        if _is_postgres():
            self.add_csv(csv_bytes(frame))
        else:
            self._insert(frame.with_columns(pl.col(pl.Date).cast(pl.String)).rows())

    def add_csv(self, data: bytes) -> None:
        """Rows as ``csv_bytes`` wrote them."""
        if self.copy is not None:
            self.copy.write(data)
        elif _is_postgres():
            with self.cursor.copy(
                f"COPY {STAGE} ({', '.join(STAGE_COLUMNS)}) FROM STDIN (FORMAT csv)"
            ) as copy:
                copy.write(data)
        else:
            frame = pl.read_csv(
                data, has_header=False, new_columns=list(STAGE_COLUMNS), infer_schema=False
            )
            self._insert(frame.rows())

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
        self.cursor.executemany(
            f"INSERT INTO {STAGE} ({', '.join(STAGE_COLUMNS)}) VALUES ({marks})",  # noqa: S608
            rows,
        )


@contextmanager
def staging(*, stream: bool) -> Iterator[Stage]:
    """A fresh staging table and the ``Stage`` that fills it; ANALYZEd when done.

    ``stream``: on PostgreSQL one ``COPY`` stays open for every block (no other statement
    can run meanwhile). psycopg's queued writer sends the blocks from a thread of its
    own, so Python checks the next block while the server parses the last one; it
    holds at most 128 MB that the server has not taken yet. Without ``stream`` each
    block is its own statement, so progress can be written between blocks.
    """
    types = ", ".join(f"{name} {STAGE_TYPES.get(name, 'text')}" for name in STAGE_COLUMNS)
    with connection.cursor() as cursor:
        _temp_buffers(cursor)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({types})")
        stage = Stage(cursor, stream=stream)
        if stream and _is_postgres():
            columns = ", ".join(STAGE_COLUMNS)
            with cursor.copy(
                f"COPY {STAGE} ({columns}) FROM STDIN (FORMAT csv)",
                writer=QueuedLibpqWriter(cursor.cursor),
            ) as copy:
                stage.copy = copy
                yield stage
            stage.copy = None
        else:
            yield stage
        cursor.execute(f"ANALYZE {STAGE}")


def _temp_buffers(cursor: Any) -> None:
    """Keep the staging table in memory: PostgreSQL's default (8 MB) holds ~70,000 staged
    rows and spills the rest to disk. It can be raised only before the connection's first
    temporary table; later tries fail harmlessly and the import runs a little slower."""
    if not _is_postgres():
        return
    cursor.execute("SHOW temp_buffers")
    if cursor.fetchone()[0] == TEMP_BUFFERS:
        return
    try:
        with transaction.atomic():
            cursor.execute(f"SET temp_buffers = '{TEMP_BUFFERS}'")
    except DatabaseError:
        return


def _roomy(cursor: Any) -> None:
    """Set-based plans for the caller's transaction: hash joins in memory, no nested loops.

    Clients and rows an import has just written are not in the planner's statistics yet
    (nor after a first import until autovacuum analyzes them), so it may think the
    organisation has one client and probe an index once per staged row — measured: a
    MERGE that ran for over 10 minutes instead of seconds. Every statement here touches
    all staged rows, where hashing is right whatever the estimates say.
    """
    if _is_postgres():
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL enable_nestloop = off")


def drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


def _same_identity(left: str, right: str) -> str:
    return " AND ".join(f"{left}.{name} = {right}.{name}" for name in ("hetu", *IDENTITY))


def _create_repeats(cursor: Any, repeats: pl.DataFrame) -> None:
    cursor.execute(f"CREATE TEMPORARY TABLE {STAGE}_repeat (row integer, first_row integer)")
    if not repeats.is_empty():
        cursor.executemany(
            f"INSERT INTO {STAGE}_repeat (row, first_row) VALUES (%s, %s)",  # noqa: S608
            repeats.rows(),
        )


def _repeats_confirmed(cursor: Any) -> bool:
    """Whether every candidate pair really has the same identity (no hash collision)."""
    cursor.execute(
        f"SELECT COUNT(*) FROM {STAGE}_repeat p JOIN {STAGE} a ON a.row = p.row "  # noqa: S608
        f"JOIN {STAGE} b ON b.row = p.first_row WHERE NOT ({_same_identity('a', 'b')})"
    )
    (collisions,) = cursor.fetchone()
    return not collisions


def _repeats_by_grouping(cursor: Any) -> None:
    """Every repeat found exactly, the slow way (only after a hash collision)."""
    keys = ", ".join(("hetu", *IDENTITY))
    cursor.execute(f"DELETE FROM {STAGE}_repeat")  # noqa: S608
    cursor.execute(
        f"INSERT INTO {STAGE}_repeat (row, first_row) SELECT s.row, f.first_row "  # noqa: S608
        f"FROM {STAGE} s JOIN (SELECT {keys}, MIN(row) AS first_row FROM {STAGE} "
        f"GROUP BY {keys} HAVING COUNT(*) > 1) f ON {_same_identity('s', 'f')} "
        "WHERE s.row > f.first_row"
    )


def duplicates_remove(repeats: pl.DataFrame | None) -> tuple[list[Duplicate], int]:
    """Take the rows that repeat an earlier row's identity out of the staging table: the
    first 1,000 by row (with the row they repeat) and how many there were.

    ``repeats`` are the reader's candidates (rows whose identity hashes like an earlier
    row's): usually none, and then nothing is queried. None: not known, group them all.
    """
    if repeats is not None and repeats.is_empty():
        return [], 0
    with connection.cursor() as cursor:
        _create_repeats(cursor, repeats if repeats is not None else pl.DataFrame())
        if repeats is None or not _repeats_confirmed(cursor):
            _repeats_by_grouping(cursor)
        cursor.execute(f"SELECT COUNT(*) FROM {STAGE}_repeat")  # noqa: S608
        (count,) = cursor.fetchone()
        cursor.execute(f"SELECT row, first_row FROM {STAGE}_repeat ORDER BY row LIMIT 1000")  # noqa: S608
        found = [Duplicate(row, first) for row, first in cursor.fetchall()]
        cursor.execute(f"DELETE FROM {STAGE} WHERE row IN (SELECT row FROM {STAGE}_repeat)")  # noqa: S608
        cursor.execute(f"DROP TABLE {STAGE}_repeat")
    return found, count


def _client_defaults(now: datetime) -> tuple[list[str], list[Any]]:
    names: list[str] = []
    values: list[Any] = []
    for model_field in Client._meta.concrete_fields:
        if model_field.name in CLIENT_SET:
            continue
        if model_field.name == "needs_review":
            value: Any = True
        elif model_field.name in {"created_at", "updated_at"}:
            value = now
        else:
            value = model_field.get_default()
        names.append(model_field.column)
        values.append(model_field.get_db_prep_save(value, connection))
    return names, values


def _unknown_persons(organisation_id: int) -> tuple[str, list[Any]]:
    """SQL for the staged persons who are not clients of the organisation, one row each."""
    return (
        "SELECT s.hetu, MIN(s.first_names) AS first_names, MIN(s.last_name) AS last_name, "  # noqa: S608
        f"MIN(s.birth_date) AS birth_date FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM "
        f"{Client._meta.db_table} c WHERE c.organisation_id = %s AND c.hetu = s.hetu) "
        "GROUP BY s.hetu",
        [organisation_id],
    )


def _insert_new_clients(
    cursor: Any, *, organisation_id: int, actor_id: int | None, now: datetime
) -> int:
    client_table = Client._meta.db_table
    names, values = _client_defaults(now)
    marks = ", ".join(["%s"] * len(values))
    jsonb = "CAST(%s AS jsonb)" if _is_postgres() else "%s"
    unknown, parameters = _unknown_persons(organisation_id)
    cursor.execute(f"CREATE TEMPORARY TABLE {STAGE}_new AS {unknown}", parameters)
    cursor.execute(
        f"INSERT INTO {client_table} (organisation_id, hetu, first_names, last_name, "  # noqa: S608
        f"birth_date, {', '.join(names)}) SELECT %s, n.hetu, n.first_names, n.last_name, "
        f"n.birth_date, {marks} FROM {STAGE}_new n ORDER BY n.hetu",
        [organisation_id, *values],
    )
    created = max(cursor.rowcount, 0)
    if created:
        cursor.execute(
            f"INSERT INTO {ChangeLogEntry._meta.db_table} (at, actor_id, organisation_id, "  # noqa: S608
            f"event, object_type, object_id, client_id, changes) SELECT %s, %s, %s, %s, %s, "
            f"CAST(c.id AS varchar(64)), c.id, {jsonb} FROM {STAGE}_new n JOIN {client_table} c "
            "ON c.organisation_id = %s AND c.hetu = n.hetu ORDER BY c.id",
            [
                now,
                actor_id,
                organisation_id,
                CLIENT_CREATED.code,
                Client._meta.label,
                json.dumps({"needs_review": [None, True], "source": [None, "share_list"]}),
                organisation_id,
            ],
        )
    cursor.execute(f"DROP TABLE {STAGE}_new")
    return created


def _listed(organisation_id: int, *, ordered: bool = False) -> str:
    """The staged rows with their client: ``m`` in the statements below.

    ``ordered``: by client, the order of the rows' identity index, so inserting them
    walks the index once instead of landing on a random page for each row (measured:
    about a quarter less time for the insert of 500,000 rows).
    """
    order = " ORDER BY c.id" if ordered else ""
    return (
        f"(SELECT c.id AS client_id, s.* FROM {STAGE} s JOIN {Client._meta.db_table} c "  # noqa: S608
        f"ON c.organisation_id = {int(organisation_id)} AND c.hetu = s.hetu{order}) m"
    )


def _in_months(organisation_id: int, months: Sequence[date]) -> str:
    """The organisation's stored rows ``r`` of the staged months. A row with the same
    identity has the same payment date, so the same month: the month index finds them."""
    listed = ", ".join(f"'{month.isoformat()}'" for month in sorted(months)) or "NULL"
    return f"r.organisation_id = {int(organisation_id)} AND r.month IN ({listed})"


def _matches() -> str:
    return " AND ".join(
        ["r.client_id = m.client_id", *(f"r.{name} = m.{name}" for name in IDENTITY)]
    )


def _differs() -> str:
    return " OR ".join(
        f"r.{name} IS DISTINCT FROM m.{name}" if _is_postgres() else f"r.{name} IS NOT m.{name}"
        for name in COMPARED
    )


def _update_changed(
    cursor: Any, *, organisation_id: int, months: Sequence[date], import_id: int | None
) -> int:
    table = ShareListRow._meta.db_table
    assignments = ", ".join(f"{name} = m.{name}" for name in COMPARED)
    cursor.execute(
        f"UPDATE {table} AS r SET {assignments}, last_import_id = %s "  # noqa: S608
        f"FROM {_listed(organisation_id)} WHERE {_in_months(organisation_id, months)} "
        f"AND {_matches()} AND ({_differs()})",
        [import_id],
    )
    return max(cursor.rowcount, 0)


def _insert_new_rows(
    cursor: Any, *, organisation_id: int, months: Sequence[date], import_id: int | None
) -> int:
    table = ShareListRow._meta.db_table
    values = ("client_id", *IDENTITY, "month", *COMPARED)
    cursor.execute(
        f"INSERT INTO {table} (organisation_id, {', '.join(values)}, last_import_id) "  # noqa: S608
        f"SELECT %s, {', '.join(f'm.{name}' for name in values)}, %s FROM "
        f"{_listed(organisation_id)} WHERE NOT EXISTS (SELECT 1 FROM {table} r WHERE "
        f"{_in_months(organisation_id, months)} AND {_matches()})",
        [organisation_id, import_id],
    )
    return max(cursor.rowcount, 0)


def _merge_rows(
    cursor: Any, *, organisation_id: int, months: Sequence[date], import_id: int | None
) -> int:
    """PostgreSQL: one ``MERGE`` joins the staged rows to the stored ones once, updates the
    changed and inserts the new (unchanged matches are not touched, not even locked)."""
    table = ShareListRow._meta.db_table
    values = ("client_id", *IDENTITY, "month", *COMPARED)
    assignments = ", ".join(f"{name} = m.{name}" for name in COMPARED)
    cursor.execute(
        f"MERGE INTO {table} AS r USING {_listed(organisation_id, ordered=True)} "  # noqa: S608
        f"ON {_in_months(organisation_id, months)} AND r.month = m.month AND {_matches()} "
        f"WHEN MATCHED AND ({_differs()}) THEN UPDATE SET {assignments}, last_import_id = %s "
        f"WHEN NOT MATCHED THEN INSERT (organisation_id, {', '.join(values)}, last_import_id) "
        f"VALUES ({int(organisation_id)}, {', '.join(f'm.{name}' for name in values)}, %s)",
        [import_id, import_id],
    )
    return max(cursor.rowcount, 0)


def merge(
    *,
    organisation_id: int,
    months: Sequence[date],
    import_id: int | None,
    actor_id: int | None,
    now: datetime,
) -> MergeCounts:
    """Write the staged rows, in the caller's transaction."""
    with connection.cursor() as cursor:
        _roomy(cursor)
        new_clients = _insert_new_clients(
            cursor, organisation_id=organisation_id, actor_id=actor_id, now=now
        )
        if _is_postgres():
            imported = _merge_rows(
                cursor, organisation_id=organisation_id, months=months, import_id=import_id
            )
        else:
            imported = _update_changed(
                cursor, organisation_id=organisation_id, months=months, import_id=import_id
            ) + _insert_new_rows(
                cursor, organisation_id=organisation_id, months=months, import_id=import_id
            )
    return MergeCounts(imported=imported, new_clients=new_clients)


@dataclass(frozen=True)
class Outlook:
    """What confirming would do, computed without writing: the preview's figures."""

    imported: int
    new_clients: int
    persons: int
    month: date | None  # the list's month: the latest payment month on it
    previous_persons: int  # persons on the organisation's list of the month before


def outlook(*, organisation_id: int, months: Sequence[date]) -> Outlook:
    """Counts of the staged rows against what is stored (read only)."""
    unknown, parameters = _unknown_persons(organisation_id)
    table = ShareListRow._meta.db_table
    with connection.cursor() as cursor:
        _roomy(cursor)
        cursor.execute(f"SELECT COUNT(*) FROM ({unknown}) n", parameters)  # noqa: S608
        (new_clients,) = cursor.fetchone()
        cursor.execute(f"SELECT COUNT(*) FROM {STAGE}")  # noqa: S608
        (staged,) = cursor.fetchone()
        cursor.execute(
            f"SELECT COUNT(*) FROM {_listed(organisation_id)} WHERE EXISTS (SELECT 1 FROM "  # noqa: S608
            f"{table} r WHERE {_in_months(organisation_id, months)} AND {_matches()} "
            f"AND NOT ({_differs()}))"
        )
        (unchanged,) = cursor.fetchone()
        cursor.execute(f"SELECT COUNT(DISTINCT hetu), MAX(month) FROM {STAGE}")  # noqa: S608
        persons, month = cursor.fetchone()
        previous = 0
        if month is not None:
            cursor.execute(
                f"SELECT COUNT(DISTINCT client_id) FROM {table} WHERE organisation_id = %s "  # noqa: S608
                f"AND month = (SELECT MAX(month) FROM {table} WHERE organisation_id = %s "
                "AND month < %s)",
                [organisation_id, organisation_id, month],
            )
            (previous,) = cursor.fetchone()
    if isinstance(month, str):  # SQLite returns the text
        month = date.fromisoformat(month)
    return Outlook(
        imported=staged - unchanged,
        new_clients=new_clients,
        persons=persons,
        month=month,
        previous_persons=previous,
    )
