"""The API's rate limit: ``settings.POLKU_API_RATE`` requests per user, counted in the
shared cache (``polku.core.rate_limit``), so a runaway script slows down instead of
taking the servers from everyone else. Past it: 429 ``throttled`` with Retry-After."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.throttling import BaseThrottle

from polku.api.auth import actor_of
from polku.core.rate_limit import Rate, count_request


class PerUserRateThrottle(BaseThrottle):
    """Counts per user, not per token: several tokens of one user share the rate."""

    def allow_request(self, request: HttpRequest) -> bool:
        return count_request(
            scope="api",
            caller=str(actor_of(request).user.pk),
            rate=Rate.parse(settings.POLKU_API_RATE),
            now=timezone.now().timestamp(),
        )

    def wait(self) -> float:
        return Rate.parse(settings.POLKU_API_RATE).retry_after(timezone.now().timestamp())
