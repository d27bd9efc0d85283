"""Fail closed: with DEBUG off, the public development key stops start-up and check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(code: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    # A production start-up: none of the test run's own variables (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which check --deploy rightly refuses).
    unset = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "STATIC_ROOT", "CACHE_URL"}
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


PRODUCTION = {
    "DEBUG": "0",
    "HTTPS": "1",
    "ALLOWED_HOSTS": "polku.kunta.invalid",
    "SECRET_KEY": "k" * 20 + "Zq9!" * 12,
    "STATIC_ROOT": "/var/lib/polku/static",
    "CACHE_URL": "db://polku_cache",
}


def test_check_deploy__is_clean_for_production_settings() -> None:
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)

    assert result.returncode == 0, result.stderr


def test_check_deploy__warns_of_unhashed_static_files_and_a_per_process_cache() -> None:
    settings = {k: v for k, v in PRODUCTION.items() if k not in {"STATIC_ROOT", "CACHE_URL"}}

    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **settings)

    assert result.returncode != 0
    assert "polku.W002" in result.stderr
    assert "polku.W003" in result.stderr


def test_check__refuses_a_malformed_rate_limit() -> None:
    result = _run(["manage.py", "check"], POLKU_API_RATE="lots")

    assert result.returncode != 0
    assert "polku.E002" in result.stderr


def test_settings__refuse_a_malformed_trusted_proxy_or_cache_url() -> None:
    proxy = _run(["manage.py", "check"], POLKU_TRUSTED_PROXIES="10.0.0.0/8,balancer")
    cache = _run(["manage.py", "check"], CACHE_URL="memcached://127.0.0.1")

    assert "POLKU_TRUSTED_PROXIES" in proxy.stderr
    assert "CACHE_URL must start with" in cache.stderr
