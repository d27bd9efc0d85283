"""Run by test_error_reporting as ``python -m polku.core.tests.error_report_probe``: error
reporting on, with a transport that keeps the reports instead of sending them; one
failing request; the reports printed as JSON. A process of its own, because the SDK's
Django integration patches Django for the rest of the process."""

import json
import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

import sentry_sdk  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from sentry_sdk.envelope import Envelope  # noqa: E402
from sentry_sdk.transport import Transport  # noqa: E402

from polku.core.error_reporting import start_error_reporting  # noqa: E402

reports: list[Any] = []


class KeptTransport(Transport):
    def capture_envelope(self, envelope: Envelope) -> None:
        reports.extend(item.payload.json for item in envelope.items if item.type == "event")


start_error_reporting(
    dsn="https://public@errors.invalid/1",
    environment="test",
    release="probe",
    traces_sample_rate=0.0,
    transport=KeptTransport,
)
with override_settings(ROOT_URLCONF="polku.core.tests.failing_urls"):
    Client(raise_request_exception=False).post(
        "/fail/?search=Korhonen+010190Y999W",
        {"last_name": "Korhonen", "hetu": "010190Y999W"},
        HTTP_X_REQUEST_ID="probe-request-0001",
        HTTP_COOKIE="tracking=Korhonen",
        HTTP_USER_AGENT="Probe/1.0",
    )
sentry_sdk.flush()
print(json.dumps(reports, ensure_ascii=False))
