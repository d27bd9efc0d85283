from django.http import HttpRequest

from polku.accounts.selectors import user_organisations


def active_organisation(request: HttpRequest) -> dict[str, object]:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"actor": None}
    return {
        "actor": actor,
        "organisations": user_organisations(user=actor.user),
    }
