"""Back up and restore the whole database: pg_dump/pg_restore on PostgreSQL, the sqlite3
backup API on SQLite. Both copy a consistent snapshot while the application runs.

A backup is written beside its final name and renamed when complete, so a file at
``path`` is always a whole backup. A restore replaces everything in the database and
refuses to touch a database that has tables unless ``force`` says so.
"""

import os
import sqlite3
import subprocess  # nosec B404 - runs only pg_dump/pg_restore with an argument list
from contextlib import closing
from pathlib import Path
from sqlite3 import connect as sqlite_file  # a file, not a signal: see test_conventions

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient as PostgresClient


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why."""


def _has_tables(connection: BaseDatabaseWrapper) -> bool:
    return bool(connection.introspection.table_names())


def backup(path: Path, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[alias]
    partial = path.with_name(path.name + ".partial")
    try:
        if connection.vendor == "postgresql":
            _pg_dump(connection, partial)
        elif connection.vendor == "sqlite":
            # The online backup API copies page by page: a consistent snapshot.
            with closing(sqlite_file(partial)) as target:
                _sqlite(connection).backup(target)
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def restore(path: Path, *, force: bool, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the database's contents with the backup at ``path``.

    Raises:
        BackupError: the file is missing, the database has tables and ``force`` is off,
            or the restore tool failed (PostgreSQL restores in one transaction, so a
            failure leaves the database as it was).
    """
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    connection = connections[alias]
    if _has_tables(connection) and not force:
        raise BackupError(
            "The database is not empty; restoring would replace all of its data. "
            "Use --force to replace it."
        )
    if connection.vendor == "postgresql":
        connection.close()  # hold no locks on the tables pg_restore drops
        _pg_restore(connection, path)
    elif connection.vendor == "sqlite":
        with closing(sqlite_file(path)) as source:
            source.backup(_sqlite(connection))
    else:
        raise BackupError(f"Restoring {connection.vendor} databases is not supported.")


def _sqlite(connection: BaseDatabaseWrapper) -> sqlite3.Connection:
    connection.ensure_connection()
    raw: sqlite3.Connection = connection.connection
    return raw


def _pg_run(
    connection: BaseDatabaseWrapper, program: str, options: list[str], tail: list[str]
) -> None:
    args, env = PostgresClient.settings_to_cmd_args_env(connection.settings_dict, options)
    command = [program, *args[1:], *tail]
    result = subprocess.run(  # noqa: S603 # nosec B603 - fixed program, no shell
        command, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


def _pg_dump(connection: BaseDatabaseWrapper, target: Path) -> None:
    _pg_run(connection, "pg_dump", ["--format=custom", f"--file={target}"], [])


def _pg_restore(connection: BaseDatabaseWrapper, source: Path) -> None:
    # --clean drops what the backup recreates; --single-transaction makes it all or nothing.
    options = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
    _pg_run(connection, "pg_restore", [*options, "--dbname"], [str(source)])
