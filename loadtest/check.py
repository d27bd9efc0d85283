"""Read locust's CSV, print p50/p95/p99 per request, write a JSON summary, apply the bars.

``python -m loadtest.check PREFIX P95_MS``: fails (exit 1) on any failed request or
when a page's p95 reaches ``P95_MS`` (0: no p95 bar). Sign-in requests are reported
but kept out of the p95 bar: password hashing is slow on purpose (PBKDF2).
"""

import csv
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

LOGIN_PREFIX = "login:"


@dataclass(frozen=True)
class RequestFigures:
    name: str
    method: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def is_login(self) -> bool:
        return self.name.startswith(LOGIN_PREFIX)


def _ms(value: str) -> float:
    return 0.0 if value == "N/A" else float(value)  # locust writes N/A for no requests


def _figures(row: dict[str, str]) -> RequestFigures:
    return RequestFigures(
        name=row["Name"],
        method=row["Type"],
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        p50_ms=_ms(row["50%"]),
        p95_ms=_ms(row["95%"]),
        p99_ms=_ms(row["99%"]),
        max_ms=_ms(row["Max Response Time"]),
    )


def read_stats(stats_csv: Path) -> tuple[list[RequestFigures], RequestFigures]:
    """Per-request rows and the ``Aggregated`` row of locust's ``*_stats.csv``."""
    with stats_csv.open(newline="") as handle:
        rows = [_figures(row) for row in csv.DictReader(handle)]
    return rows[:-1], rows[-1]


def problems(rows: list[RequestFigures], total: RequestFigures, p95_limit_ms: float) -> list[str]:
    found = [f"{total.failures} failed requests"] if total.failures else []
    found += [
        f"{row.name}: p95 {row.p95_ms:.0f} ms >= {p95_limit_ms:.0f} ms"
        for row in rows
        if p95_limit_ms and not row.is_login and row.p95_ms >= p95_limit_ms
    ]
    if total.requests == 0:
        found.append("no requests were made")
    return found


def report(rows: list[RequestFigures], total: RequestFigures) -> str:
    header = f"{'request':<58} {'n':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}"
    return "\n".join(
        [header]
        + [
            f"{row.name:<58} {row.requests:>6} {row.failures:>5} {row.p50_ms:>6.0f} "
            f"{row.p95_ms:>6.0f} {row.p99_ms:>6.0f} {row.max_ms:>7.0f}"
            for row in [*rows, total]
        ]
    )


def main(prefix: str, p95_limit_ms: float) -> int:
    rows, total = read_stats(Path(f"{prefix}_stats.csv"))
    found = problems(rows, total, p95_limit_ms)
    summary = {
        "p95_limit_ms": p95_limit_ms,
        "requests": [asdict(row) for row in rows],
        "total": asdict(total),
        "problems": found,
    }
    Path(f"{prefix}_summary.json").write_text(json.dumps(summary, indent=1))
    print(report(rows, total))
    print("times in ms; sign-in (login:) is outside the p95 bar")
    for problem in found:
        print(f"FAIL: {problem}")
    if not found:
        bar = f"every page's p95 under {p95_limit_ms:.0f} ms" if p95_limit_ms else "no p95 bar"
        print(f"OK: no failed requests, {bar}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
