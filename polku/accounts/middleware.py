from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from polku.accounts.models import User
from polku.accounts.second_factor import is_verified
from polku.accounts.selectors import actor_for

SESSION_KEY = "polku_organisation_id"


class ActiveOrganisationMiddleware:
    """Attach ``request.actor``: the signed-in user in the organisation chosen for the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = None
        if isinstance(request.user, User) and request.user.is_authenticated:
            actor = actor_for(user=request.user, organisation_id=request.session.get(SESSION_KEY))
        request.actor = actor  # type: ignore[attr-defined]
        return self.get_response(request)


# Reachable before the second factor: signing in and out, enrolment, the language
# switch, the public accessibility statement, and the token-authenticated API.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:login",
    "accounts:logout",
    "accounts:second_factor",
    "accounts:second_factor_setup",
    "set_language",
    "accessibility",
    "questionnaire:answer",  # the client's one-time questionnaire link (no sign-in at all)
    # Single sign-on: the callback decides itself whether TOTP is still needed.
    "oidc:login",
    "oidc:callback",
    "oidc:failed",
}


class SecondFactorMiddleware:
    """Send a signed-in user whose session has passed no second factor to enter a TOTP code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.POLKU_SECOND_FACTOR_REQUIRED
            and user.is_authenticated
            and not is_verified(user, request.session)
            and not _open_before_second_factor(request.path_info)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{_second_factor_url()}?{query}")
        return self.get_response(request)


def _open_before_second_factor(path: str) -> bool:
    if path.startswith(("/api/", settings.STATIC_URL or "/static/")):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True  # a 404 shows nothing
    return match.view_name in OPEN_BEFORE_SECOND_FACTOR


def _second_factor_url() -> str:
    return reverse("accounts:second_factor")
