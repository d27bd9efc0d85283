"""Request ids on responses and log lines; JSON lines; no identity code in any line."""

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse

from conftest import logged_in
from polku.accounts.models import Organisation
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.core.log_format import JsonFormatter, PlainFormatter
from polku.core.request_id import RequestIdMiddleware, current_request_id

OFFERED = "lb-7f3a9c21-0001"


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """What the JSON formatter writes for the polku and django.request loggers."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("polku.test", "django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)


def _parsed(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_response_carries_the_balancers_request_id_or_a_new_one(db: None) -> None:
    http = HttpClient()

    offered = http.get("/health/", HTTP_X_REQUEST_ID=OFFERED)
    fresh = http.get("/health/")

    assert offered["X-Request-ID"] == OFFERED
    assert len(fresh["X-Request-ID"]) == 32
    assert fresh["X-Request-ID"] != http.get("/health/")["X-Request-ID"]


@pytest.mark.parametrize("offered", ["short", "x" * 129, "abc def ghi", "id\nforged line"])
def test_an_offered_id_that_is_not_a_short_token_is_replaced(db: None, offered: str) -> None:
    response = HttpClient().get("/health/", HTTP_X_REQUEST_ID=offered)

    assert response["X-Request-ID"] != offered
    assert len(response["X-Request-ID"]) == 32


def test_lines_logged_while_serving_carry_the_id_and_lines_after_do_not(
    lines: io.StringIO,
) -> None:
    logger = logging.getLogger("polku.test")

    def view(request: HttpRequest) -> HttpResponse:
        logger.info("serving")
        return HttpResponse()

    RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID=OFFERED))
    logger.info("afterwards")

    serving, afterwards = _parsed(lines)
    assert serving == {
        "time": serving["time"],
        "level": "INFO",
        "logger": "polku.test",
        "message": "serving",
        "request_id": OFFERED,
    }
    assert afterwards["request_id"] is None
    assert current_request_id() is None


def test_djangos_line_for_a_404_written_after_the_middleware_still_has_the_id(
    db: None, lines: io.StringIO
) -> None:
    HttpClient().get("/no-such-page/", HTTP_X_REQUEST_ID=OFFERED)

    (line,) = _parsed(lines)
    assert (line["level"], line["status_code"], line["request_id"]) == ("WARNING", 404, OFFERED)
    assert line["message"] == "Not Found: /no-such-page/"


def test_an_identity_code_in_a_message_or_an_exception_is_never_written(
    lines: io.StringIO,
) -> None:
    logger = logging.getLogger("polku.test")
    logger.warning("unmatched row %s", "010190Y999W")
    try:
        raise ValueError("bad code 131052-308t in row 4")
    except ValueError:
        logger.exception("import failed")

    written = lines.getvalue()
    assert "010190Y999W" not in written
    assert "131052-308t" not in written
    warning, failure = _parsed(lines)
    assert warning["message"] == "unmatched row [henkilötunnus]"
    assert "bad code [henkilötunnus] in row 4" in str(failure["exception"])


def test_the_plain_format_shows_the_id_and_redacts_too() -> None:
    record = logging.LogRecord(
        "polku", logging.INFO, __file__, 1, "hetu %s", ("010190Y999W",), None
    )
    record.request_id = OFFERED

    assert PlainFormatter().format(record).endswith(f"INFO polku [{OFFERED}] hetu [henkilötunnus]")


def test_a_refusal_is_logged_as_one_line_without_a_traceback(
    organisation: Organisation, caplog: pytest.LogCaptureFixture
) -> None:
    manager = UserFactory.create(username="esihenkilo", memberships=[(organisation, Role.MANAGER)])

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = logged_in(manager).get(reverse("clients:list"))

    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Forbidden")
    assert record.exc_info is None
