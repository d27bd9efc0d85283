"""Log lines: one JSON object per line in production, readable text in development.

Every line carries the request id (``polku.core.request_id``) and goes through
``hetu.redact``: code logs ids and event codes, never names or identity codes, and a
code that slips into an exception message or a path is replaced before it is written.
gunicorn's own lines use the same formatter (``config/gunicorn.py``).
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import PermissionDenied

from polku.core.hetu import redact
from polku.core.request_id import current_request_id

# Structured fields a caller may pass with ``extra=``; anything else in a record
# (django.request attaches the whole request) stays out of the line.
EXTRA_FIELDS = ("status_code", "method", "path", "duration_ms", "bytes")


def request_id_of(record: logging.LogRecord) -> str | None:
    """Given explicitly, attached by Django to a logged response's request, or current."""
    given = getattr(record, "request_id", None)
    if given:
        return str(given)
    attached = getattr(getattr(record, "request", None), "request_id", None)
    return attached or current_request_id()


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", ...}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_of(record),
        }
        entry.update(
            {name: getattr(record, name) for name in EXTRA_FIELDS if hasattr(record, name)}
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return redact(json.dumps(entry, ensure_ascii=False, default=str))


class PlainFormatter(logging.Formatter):
    """``time LEVEL logger [request id] message``, for a developer's terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = request_id_of(record) or "-"
        return redact(super().format(record))


class RefusalsWithoutTraceback(logging.Filter):
    """A 403 is an answer, not a fault: django.request's "Forbidden" warning line stays,
    the traceback Django attaches to it goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
