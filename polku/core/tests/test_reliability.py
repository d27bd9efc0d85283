"""A database connection the server dropped is replaced before the next request uses it."""

import io
from collections.abc import Callable
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections

from conftest import logged_in
from polku.accounts.models import User

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a server-side disconnect needs PostgreSQL"
    ),
    # The test's own connection is killed: it must not be holding the test's transaction.
    pytest.mark.django_db(transaction=True),
]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid: int = cursor.fetchone()[0]
    return pid


def _terminate_from_another_connection(pid: int) -> None:
    """What a database restart, failover or an idle-killing proxy does to our connection."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def _get_through_wsgi(path: str, session_id: str) -> str:
    """A request through the production handler, which checks connections as it starts."""
    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "GET",
        "HTTP_COOKIE": f"sessionid={session_id}",
        "wsgi.input": io.BytesIO(),
    }
    setup_testing_defaults(environ)
    statuses: list[str] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        statuses.append(status)
        return lambda data: None

    body = WSGIHandler()(environ, start_response)
    b"".join(body)
    return statuses[0]


def test_a_request_after_the_server_dropped_the_connection_succeeds(coach: User) -> None:
    session_id = logged_in(coach).cookies["sessionid"].value
    dropped = _backend_pid()

    _terminate_from_another_connection(dropped)
    status = _get_through_wsgi("/clients/", session_id)

    assert status == "200 OK"
    assert _backend_pid() != dropped
