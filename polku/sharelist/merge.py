"""Set-based merge of validated list rows (research §1.1: COPY to staging + one upsert).

PostgreSQL: binary ``COPY`` into a temporary staging table, one ``INSERT … SELECT`` of
the unknown persons as new clients (flagged for review) with their change-history rows,
and one ``INSERT … ON CONFLICT (row identity) DO UPDATE … WHERE IS DISTINCT FROM`` so an
unchanged row is never written. SQLite runs the same SQL after an ``executemany``
into the staging table. The caller holds the transaction.
"""

import json
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from polku.audit.events import CLIENT_CREATED
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client
from polku.sharelist.importer import STAGE_COLUMNS, StageRow
from polku.sharelist.models import ShareListRow

STAGE = "sharelist_stage"
NEW = "sharelist_stage_new"
STAGE_TYPES = (
    "text",
    "text",
    "text",
    "date",
    "text",
    "date",
    "date",
    "date",
    "date",
    "int4",
    "text",
    "text",
    "text",
    "int4",
)
CHUNK = 100_000  # rows merged at a time on PostgreSQL
AMOUNTS = {"paid", "share_percent", "share"}
COMPARED = ("days", "paid", "share_percent", "share", "accumulated_days", "month")
IDENTITY = ("client_id", "benefit", "payment_date", "period_start", "period_end")
# Client columns the import sets itself; every other column takes the model's default.
CLIENT_SET = {"id", "organisation", "hetu", "first_names", "last_name", "birth_date"}


@dataclass(frozen=True)
class MergeCounts:
    imported: int  # rows inserted or changed
    new_clients: int


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def staging() -> Iterator[Callable[[StageRow], object]]:
    """A fresh staging table and a function that adds one row to it.

    On PostgreSQL the rows stream into ``COPY`` while the file is still being validated,
    so the server parses them on the other core.
    """
    types = ", ".join(
        f"{name} {'numeric' if kind == 'numeric' else ('integer' if kind == 'int4' else kind)}"
        for name, kind in zip(STAGE_COLUMNS, STAGE_TYPES, strict=True)
    )
    columns = ", ".join(STAGE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"DROP TABLE IF EXISTS {NEW}")
        if _is_postgres():  # the hash joins of a 500,000-row list fit in memory
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({types})")
        if _is_postgres():
            with cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(STAGE_TYPES)
                yield copy.write_row
        else:
            rows: list[StageRow] = []
            yield rows.append
            marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
            cursor.executemany(f"INSERT INTO {STAGE} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        cursor.execute(f"ANALYZE {STAGE}")


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


def _insert_new_clients(
    cursor: Any, *, organisation_id: int, actor_id: int | None, now: datetime
) -> int:
    client_table = Client._meta.db_table
    names, values = _client_defaults(now)
    marks = ", ".join(["%s"] * len(values))
    jsonb = "CAST(%s AS jsonb)" if _is_postgres() else "%s"
    cursor.execute(f"DROP TABLE IF EXISTS {NEW}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {NEW} AS SELECT s.hetu, MIN(s.first_names) AS first_names, "  # noqa: S608
        f"MIN(s.last_name) AS last_name, MIN(s.birth_date) AS birth_date FROM {STAGE} s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {client_table} c WHERE c.organisation_id = %s "
        "AND c.hetu = s.hetu) GROUP BY s.hetu",
        [organisation_id],
    )
    cursor.execute(
        f"INSERT INTO {client_table} (organisation_id, hetu, first_names, last_name, "  # noqa: S608
        f"birth_date, {', '.join(names)}) SELECT %s, n.hetu, n.first_names, n.last_name, "
        f"n.birth_date, {marks} FROM {NEW} n",
        [organisation_id, *values],
    )
    created = max(cursor.rowcount, 0)
    if created:
        cursor.execute(
            f"INSERT INTO {ChangeLogEntry._meta.db_table} (at, actor_id, organisation_id, "  # noqa: S608
            f"event, object_type, object_id, client_id, changes) SELECT %s, %s, %s, %s, %s, "
            f"CAST(c.id AS varchar(64)), c.id, {jsonb} FROM {NEW} n JOIN {client_table} c "
            "ON c.organisation_id = %s AND c.hetu = n.hetu",
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
    return created


def _cast(name: str) -> str:
    return f"CAST(s.{name} AS NUMERIC)" if name in AMOUNTS else f"s.{name}"


def _upsert_rows(cursor: Any, *, organisation_id: int, import_id: int | None) -> int:
    table = ShareListRow._meta.db_table
    client_table = Client._meta.db_table
    values = [
        c for c in STAGE_COLUMNS if c not in {"hetu", "last_name", "first_names", "birth_date"}
    ]
    changed = " OR ".join(f"{table}.{name} IS DISTINCT FROM excluded.{name}" for name in COMPARED)
    updates = ", ".join(f"{name} = excluded.{name}" for name in (*COMPARED, "last_import_id"))
    cursor.execute(
        f"INSERT INTO {table} (organisation_id, client_id, {', '.join(values)}, "  # noqa: S608
        f"last_import_id) SELECT %s, c.id, "
        f"{', '.join(_cast(name) for name in values)}, %s FROM {STAGE} s "
        f"JOIN {client_table} c ON c.organisation_id = %s AND c.hetu = s.hetu WHERE 1 = 1 "
        f"ON CONFLICT ({', '.join(IDENTITY)}) DO UPDATE SET {updates} WHERE {changed}",
        [organisation_id, import_id, organisation_id],
    )
    return max(cursor.rowcount, 0)


def _drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"DROP TABLE IF EXISTS {NEW}")


def _merge_chunk(
    cursor: Any, *, organisation_id: int, import_id: int | None, actor_id: int | None, now: datetime
) -> MergeCounts:
    new_clients = _insert_new_clients(
        cursor, organisation_id=organisation_id, actor_id=actor_id, now=now
    )
    imported = _upsert_rows(cursor, organisation_id=organisation_id, import_id=import_id)
    return MergeCounts(imported=imported, new_clients=new_clients)


class Merger:
    """Takes validated rows one by one and merges them in chunks, all in the caller's
    transaction (a rollback undoes every chunk).

    On PostgreSQL each chunk is copied to the staging table and merged by the server
    while Python validates the next chunk (the merge runs in a helper thread on the same
    database connection, which only waits for the server). SQLite stages and merges
    everything at the end.
    """

    def __init__(
        self,
        *,
        organisation_id: int,
        import_id: int | None,
        actor_id: int | None,
        now: datetime,
        chunk: int | None = None,
    ) -> None:
        self.arguments = {
            "organisation_id": organisation_id,
            "import_id": import_id,
            "actor_id": actor_id,
            "now": now,
        }
        self.postgres = _is_postgres()
        self.chunk = (chunk or CHUNK) if self.postgres else 0
        self.rows: list[StageRow] = []
        self.imported = self.new_clients = 0
        self.pending: Future[MergeCounts] | None = None
        self.executor = ThreadPoolExecutor(max_workers=1) if self.postgres else None
        self.stopped = False

    def __enter__(self) -> "Merger":
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Never leave the helper thread using the connection (e.g. after an error)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None

    def add(self, row: StageRow) -> None:
        self.rows.append(row)
        if self.chunk and len(self.rows) >= self.chunk and not self.stopped:
            self._flush()

    def stop(self) -> None:
        """Merge nothing more (the file will be rejected anyway)."""
        self.stopped = True

    def _wait(self) -> None:
        if self.pending is not None:
            counts, self.pending = self.pending.result(), None
            self.imported += counts.imported
            self.new_clients += counts.new_clients

    def _flush(self) -> None:
        self._wait()
        rows, self.rows = self.rows, []
        with staging() as emit:
            for row in rows:
                emit(row)
        if self.executor is None:
            with connection.cursor() as cursor:
                counts = _merge_chunk(cursor, **self.arguments)  # type: ignore[arg-type]
            self.imported += counts.imported
            self.new_clients += counts.new_clients
            return
        raw = connection.connection
        self.pending = self.executor.submit(self._merge_raw, raw)

    def _merge_raw(self, raw: Any) -> MergeCounts:
        with raw.cursor() as cursor:
            return _merge_chunk(cursor, **self.arguments)  # type: ignore[arg-type]

    def finish(self) -> MergeCounts:
        """Merge what is left and wait for the server; the counts of the whole file."""
        if self.rows and not self.stopped:
            self._flush()
        self._wait()
        _drop()
        return MergeCounts(imported=self.imported, new_clients=self.new_clients)
