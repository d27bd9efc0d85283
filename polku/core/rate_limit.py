"""Request rate limits counted in the shared cache (``settings.CACHES``, ``CACHE_URL``).

A fixed window per caller: the first request of a window creates its counter, every
request increments it, and past the limit the caller waits for the next window. The
counter lives in the cache every server process shares (the database or Redis), so
four gunicorn workers do not each allow the whole rate; with the per-process default
(locmem) each process counts alone, which ``check --deploy`` warns about (polku.W003).
"""

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """``"600/min"``, ``"30/m"``, ``"5/s"``, ``"1000/hour"``, ``"10000/day"``.

        Raises:
            ValueError: not of that form.
        """
        count, _slash, period = text.strip().partition("/")
        if not count.isdigit() or period not in PERIODS or int(count) < 1:
            raise ValueError(f"A rate is COUNT/PERIOD with a period in {sorted(PERIODS)}: {text!r}")
        return cls(requests=int(count), seconds=PERIODS[period])

    def retry_after(self, now: float) -> int:
        """Whole seconds until the window ``now`` falls in ends."""
        return max(1, math.ceil(self.seconds - now % self.seconds))


def count_request(*, scope: str, caller: str, rate: Rate, now: float) -> bool:
    """Count one request of ``caller``; False when it is over ``rate``.

    The caller (a user id or an address) is hashed: the cache holds no addresses.
    """
    window = int(now // rate.seconds)
    digest = hashlib.sha256(caller.encode()).hexdigest()[:32]
    key = f"polku:rate:{scope}:{digest}:{window}"
    # add() is a no-op when the counter exists. incr() is atomic in Redis and locmem; the
    # database cache reads and writes, so simultaneous requests may be counted as one: a
    # limit against floods and runaway scripts, not an exact quota.
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    return count <= rate.requests


def rate_limited(
    *, scope: str, rate: Callable[[], Rate], caller: Callable[[HttpRequest], str]
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view decorator answering 429 with ``Retry-After`` past the rate."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            now = timezone.now().timestamp()
            current = rate()
            if count_request(scope=scope, caller=caller(request), rate=current, now=now):
                return view(request, *args, **kwargs)
            response = render(request, "429.html", status=429)
            response["Retry-After"] = str(current.retry_after(now))
            return response

        return limited

    return decorate
