"""Error reports leave without personal data: a real Sentry client in its own process
(error_report_probe), whose transport keeps the reports instead of sending them."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SENTRY_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC"))
    }
    environment["SQLITE_PATH"] = str(tmp_path_factory.mktemp("probe") / "db.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "polku.core.tests.error_report_probe"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    parsed: list[dict[str, Any]] = json.loads(result.stdout)
    return parsed


def test_a_failing_request_sends_one_report_tagged_with_its_request_id(
    reports: list[dict[str, Any]],
) -> None:
    (report,) = reports

    assert report["exception"]["values"][0]["type"] == "ValueError"
    assert report["tags"]["request_id"] == "probe-request-0001"


def test_the_report_holds_no_identity_code_name_body_cookie_or_query(
    reports: list[dict[str, Any]],
) -> None:
    (report,) = reports
    sent = json.dumps(report, ensure_ascii=False)

    assert "010190Y999W" not in sent
    assert "Korhonen" not in sent
    message = report["exception"]["values"][0]["value"]
    assert message == "no client [henkilötunnus] with a name of 8 letters"
    assert not {"data", "cookies", "query_string"} & set(report.get("request", {}))
    frames = report["exception"]["values"][0]["stacktrace"]["frames"]
    assert not any("vars" in frame for frame in frames)


def test_the_trail_of_log_lines_before_the_error_is_redacted_too(
    reports: list[dict[str, Any]],
) -> None:
    (report,) = reports

    messages = [crumb.get("message") for crumb in report["breadcrumbs"]["values"]]
    assert "looking up [henkilötunnus]" in messages


@pytest.mark.parametrize(
    ("dsn", "active"), [("https://key@errors.invalid/1", "True"), ("", "False")]
)
def test_the_settings_start_error_reporting_only_with_a_dsn(dsn: str, active: str) -> None:
    code = (
        "import django, sentry_sdk; django.setup(); "
        "print(sentry_sdk.get_client().is_active(), end='')"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    environment.update(SENTRY_DSN=dsn, DJANGO_SETTINGS_MODULE="config.settings")

    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )

    assert result.stdout == active
