from django.conf import settings
from django.http import HttpRequest

from polku.accounts.navigation import main_menu
from polku.accounts.roles import Capability
from polku.accounts.second_factor import is_verified
from polku.accounts.selectors import user_organisations


def active_organisation(request: HttpRequest) -> dict[str, object]:
    actor = getattr(request, "actor", None)
    if actor is None or not second_factor_passed(request):
        # Before the one-time code is accepted the page offers nothing to go to.
        return {"actor": None, "can": {}}
    return {
        "actor": actor,
        # {% if can.record_attendance %}: what the actor's roles allow, for menus and buttons.
        "can": {capability.value: actor.can(capability) for capability in Capability},
        "organisations": user_organisations(user=actor.user),
        "main_menu": main_menu(actor, request.resolver_match),
    }


def second_factor_passed(request: HttpRequest) -> bool:
    if not settings.POLKU_SECOND_FACTOR_REQUIRED:
        return True
    return is_verified(request.user, request.session)
