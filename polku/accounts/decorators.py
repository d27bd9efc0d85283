from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from polku.accounts.roles import Actor
from polku.accounts.second_factor import is_fresh

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


def fresh_second_factor(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Ask for a new one-time code first when the last was entered too long ago.

    For acts that expose or change a lot (break-glass): a session left open on a
    shared computer must not be enough.
    """

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        request = args[0]
        assert isinstance(request, HttpRequest)  # noqa: S101 - a view's first argument
        if settings.POLKU_SECOND_FACTOR_REQUIRED and not is_fresh(request.session, timezone.now()):
            messages.info(request, _("Vahvista henkilöllisyytesi uudelleen ennen tätä toimintoa."))
            back = request.META.get("HTTP_REFERER", "") if request.method == "POST" else ""
            query = urlencode({"next": back or request.get_full_path()})
            return redirect(f"{reverse('accounts:second_factor')}?{query}")
        return view(*args, **kwargs)

    return wrapped
