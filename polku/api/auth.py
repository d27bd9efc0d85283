from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from polku.accounts.roles import Actor
from polku.accounts.selectors import actor_for_api_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer TOKEN``; the token acts in the organisation it was made for."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        return actor_for_api_token(raw_token=token, now=timezone.now())


def actor_of(request: HttpRequest) -> Actor:
    actor: Actor = request.auth  # type: ignore[attr-defined]
    return actor
