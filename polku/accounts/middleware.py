from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from polku.accounts.models import User
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
