"""Error reports to Sentry or a Sentry-compatible service (GlitchTip), on only when
``SENTRY_DSN`` is set.

A report describes the code, never the person: no request bodies, cookies, query
strings, headers (the user agent and request id excepted), user details, SQL parameter
values or local variables are collected, and every string left in a report is passed
through ``hetu.redact`` before it is sent. The report carries the request id, so it can
be matched with the log lines of the same request. Performance tracing stays off unless
``SENTRY_TRACES_SAMPLE_RATE`` is set; its spans hold URL paths and SQL text without
parameter values.
"""

import logging
from collections.abc import Mapping
from typing import Any, cast

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.types import Breadcrumb, BreadcrumbHint, DataCollectionUserOptions, Event, Hint

from polku.core.hetu import redact
from polku.core.request_id import current_request_id

# What the SDK may collect by itself (sentry-sdk 3 ``data_collection``).
DATA_COLLECTION: DataCollectionUserOptions = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "allowlist", "terms": ["user-agent", "x-request-id"]}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "database_query_data": False,
    "stack_frame_variables": False,
}


def scrubbed(value: Any) -> Any:
    """``value`` with identity codes redacted from every string inside it."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {key: scrubbed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrubbed(item) for item in value]
    return value


def before_send(event: Event, hint: Hint) -> Event:
    """The last look at a report before it leaves: tag the request, redact the rest."""
    request = event.get("request")
    if isinstance(request, dict):
        for collected in ("query_string", "data", "cookies"):
            request.pop(collected, None)
        url = request.get("url")
        if isinstance(url, str):
            request["url"] = url.split("?", 1)[0]
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return cast("Event", scrubbed(event))


def before_breadcrumb(crumb: Breadcrumb, hint: BreadcrumbHint) -> Breadcrumb:
    return cast("Breadcrumb", scrubbed(crumb))


def start_error_reporting(
    *, dsn: str, environment: str, release: str | None, traces_sample_rate: float, **options: Any
) -> None:
    """Called by the settings when ``SENTRY_DSN`` is set; ``options`` go to the SDK as they are
    (the tests pass their own transport)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        integrations=[
            DjangoIntegration(),
            # ERROR lines (a failed health check, say) become reports; INFO and up the
            # trail of what happened before one.
            LoggingIntegration(
                level=None, event_level=logging.ERROR, breadcrumb_level=logging.INFO
            ),
        ],
        data_collection=DATA_COLLECTION,
        max_request_body_size="never",
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
        **options,
    )
