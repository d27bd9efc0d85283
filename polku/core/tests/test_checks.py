"""Fail closed: with DEBUG off, the public development key stops start-up and check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(code: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    # A production start-up: none of the test run's own variables (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which check --deploy rightly refuses).
    unset = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(  # noqa: S603 - our own interpreter with fixed arguments
        [sys.executable, *code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_wsgi__refuses_to_start_with_debug_off_and_no_secret_key() -> None:
    result = _run(["-c", "import config.wsgi"], DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_wsgi__starts_with_a_secret_key_or_in_debug() -> None:
    assert _run(["-c", "import config.wsgi"], DEBUG="0", SECRET_KEY="x" * 60).returncode == 0
    assert _run(["-c", "import config.wsgi"], DEBUG="1").returncode == 0


def test_check_deploy__fails_on_the_development_key() -> None:
    result = _run(["manage.py", "check", "--deploy"], DEBUG="0")

    assert result.returncode != 0
    assert "polku.E001" in result.stderr


def test_check_deploy__is_clean_for_production_settings() -> None:
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        HTTPS="1",
        ALLOWED_HOSTS="polku.kunta.invalid",
        SECRET_KEY="k" * 20 + "Zq9!" * 12,
    )

    assert result.returncode == 0, result.stderr
