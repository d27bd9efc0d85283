from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from polku.accounts.selectors import actor_for

SESSION_KEY = "polku_organisation_id"


class ActiveOrganisationMiddleware:
    """Attach ``request.actor``: the signed-in user in the organisation chosen for the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            request.actor = actor_for(  # type: ignore[attr-defined]
                user=request.user,  # type: ignore[arg-type]
                organisation_id=request.session.get(SESSION_KEY),
            )
        return self.get_response(request)
