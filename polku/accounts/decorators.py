from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from polku.accounts.roles import Actor

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, Actor, P], HttpResponse]


def actor_view(view: View[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Require a signed-in user with a role in an organisation and pass the Actor on."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        actor: Actor | None = getattr(request, "actor", None)
        if actor is None:
            raise PermissionDenied(_("Sinulla ei ole roolia yhdessäkään organisaatiossa."))
        return view(request, actor, *args, **kwargs)

    return wrapped
