"""Checks for .ci/wheel-check, which installs the wheel the way a server does.

    python .ci/wheel_check.py contents WHEEL        the wheel holds what a server needs
    python .ci/wheel_check.py serve URL TOKEN LOG   the started gunicorn answers as it should
    python .ci/wheel_check.py idempotent JOB FIRST SECOND   a timer job's second run did nothing

Standard library only: ``serve`` runs with the installed wheel's interpreter, which has
no test tools.
"""

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUEST_ID = "wheel-check-0001"


def contents(wheel: str) -> None:
    """Every tracked file of polku/ and config/ outside tests, and a compiled catalogue for
    every .po, is in the wheel; nothing else but its metadata."""
    tracked = subprocess.run(
        ["git", "ls-files", "polku", "config"],  # noqa: S607 - git from PATH, fixed arguments
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    expected = {path for path in tracked if "/tests/" not in path}
    expected |= {path[:-3] + ".mo" for path in expected if path.endswith(".po")}
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if ".dist-info/" not in name}
        entry_points = next(n for n in archive.namelist() if n.endswith("entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    missing, extra = sorted(expected - shipped), sorted(shipped - expected)
    templates = [name for name in shipped if name.endswith(".html")]
    print(
        f"wheel: {len(shipped)} files, {len(templates)} templates, "
        f"{sum(n.endswith('.mo') for n in shipped)} compiled catalogues, "
        f"{sum('/static/' in n for n in shipped)} static files"
    )
    if missing or extra:
        sys.exit(f"wheel differs from git: missing {missing}, unexpected {extra}")
    if "polku = config.manage:main" not in scripts:
        sys.exit("the wheel has no `polku` command")


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _check(what: str, ok: bool) -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        sys.exit(f"wheel check failed: {what}")


def serve(url: str, token: str, log: str) -> None:
    """The health check, a login page with hashed static files, the static file itself
    (compressed), the API docs with their own assets, the API's shared rate limit, and
    JSON log lines carrying the request id."""
    proxied = {"X-Forwarded-Proto": "https", "Host": "polku.kunta.invalid"}

    status, _headers, body = _get(f"{url}/health/", Host="polku.kunta.invalid")
    _check("/health/ over plain HTTP: 200 and the database answers", status == 200)
    _check("/health/ body", json.loads(body) == {"status": "ok", "database": "ok"})

    status, headers, body = _get(
        f"{url}/accounts/login/", **proxied, **{"X-Request-ID": REQUEST_ID}
    )
    page = body.decode()
    _check(
        "login page renders (200, the sign-in form)", status == 200 and 'name="username"' in page
    )
    _check("the request id comes back", headers.get("X-Request-ID") == REQUEST_ID)
    _check(
        "a content security policy is sent",
        "default-src 'self'" in headers.get("Content-Security-Policy", ""),
    )
    stylesheet = re.search(r"/static/polku/polku\.[0-9a-f]{12}\.css", page)
    if stylesheet is None:
        sys.exit("FAIL the page links the hashed stylesheet")
    _check(f"the page links the hashed stylesheet {stylesheet.group()}", True)

    status, headers, _body = _get(
        f"{url}{stylesheet.group()}", **proxied, **{"Accept-Encoding": "br"}
    )
    _check(
        "the hashed stylesheet is served brotli-compressed",
        status == 200 and headers.get("Content-Encoding") == "br",
    )
    _check("and cached for good", "immutable" in headers.get("Cache-Control", ""))

    status, _headers, body = _get(f"{url}/api/v1/docs", **proxied)
    _check(
        "API docs load Swagger UI from our own static files",
        status == 200
        and re.search(rb"/static/ninja/swagger-ui-bundle\.[0-9a-f]{12}\.js", body) is not None,
    )

    bearer = {**proxied, "Authorization": f"Bearer {token}"}
    statuses = [_get(f"{url}/api/v1/clients/", **bearer)[0] for _ in range(6)]
    _check(
        f"API rate limit of 5/min counted across the gunicorn workers: {statuses}",
        statuses == [200] * 5 + [429],
    )

    lines = Path(log).read_text().splitlines()
    parsed = [json.loads(line) for line in lines if line.startswith("{")]
    _check(f"every log line is JSON ({len(lines)} lines)", len(parsed) == len(lines))
    tagged = [line for line in parsed if line.get("request_id") == REQUEST_ID]
    _check(
        "gunicorn's access line carries the request id",
        any(line["logger"] == "gunicorn.access" for line in tagged),
    )


PURGED = re.compile(
    r"(\d+) (clients anonymised|change-history rows deleted|rows deleted|counters deleted|"
    r"expired sessions deleted|unconfirmed files deleted)"
)


def idempotent(job: str, first: str, second: str) -> None:
    """The first run of a scheduled job did its work and the second changed nothing."""
    before, after = Path(first).read_text(), Path(second).read_text()
    if job == "retention":
        done = {kind: int(count) for count, kind in PURGED.findall(before) if int(count)}
        again = {kind: int(count) for count, kind in PURGED.findall(after) if int(count)}
        _check(f"apply_retention: the first run purged {done}", bool(done))
        _check(f"apply_retention: the second run purged nothing {again}", not again)
    elif job == "close-month":
        closed, repeated = before.splitlines(), after.splitlines()
        _check(
            f"close_month: the first run closed every organisation's month {closed}", bool(closed)
        )
        _check(
            "close_month: the second run found every month closed, no corrections",
            len(repeated) == len(closed)
            and all(line.endswith("already closed, 0 corrections recorded") for line in repeated),
        )


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "contents":
        contents(*arguments)
    elif command == "serve":
        serve(*arguments)
    else:
        idempotent(*arguments)
