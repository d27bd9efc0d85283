"""Shared measuring helpers of the ``benchmark`` command's figure modules."""

import statistics
import time
from collections.abc import Callable, Sequence


def timings(work: Callable[[], object], runs: int) -> list[float]:
    """Seconds of each of ``runs`` calls."""
    measured = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        measured.append(time.perf_counter() - started)
    return measured


def median_seconds(work: Callable[[], object], runs: int) -> float:
    return statistics.median(timings(work, runs))


def percentile_ms(seconds: Sequence[float], percent: int) -> float:
    """The nearest-rank percentile in milliseconds (p95 of 20 samples is the 19th)."""
    ordered = sorted(seconds)
    rank = max(1, -(-len(ordered) * percent // 100))
    return round(ordered[rank - 1] * 1000, 1)
