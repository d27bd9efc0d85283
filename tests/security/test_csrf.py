"""CSRF: no URL of the access matrix accepts a form post without the token.

Django's CSRF middleware checks every POST before the view runs, so the test posts to
every URL (also those shown with GET in the matrix: their forms post back to them) as a
signed-in user who may use them all, and checks that nothing was written.
"""

from django.apps import apps
from django.db.models import Model
from django.test import Client as HttpClient

from conftest import logged_in
from tests.matrix import World
from tests.security.conftest import every_role_user, page_url
from tests.test_access_matrix import PAGES


def _row_counts() -> dict[str, int]:
    models: list[type[Model]] = list(apps.get_models())
    return {model._meta.label: model._default_manager.count() for model in models}


def test_no_page_accepts_a_post_without_the_csrf_token(world: World) -> None:
    signed_in = logged_in(every_role_user(world))
    http = HttpClient(enforce_csrf_checks=True)
    http.cookies = signed_in.cookies
    urls = {name: page_url(name, page, world) for name, page in PAGES.items()}  # may add rows
    before = _row_counts()

    accepted = {}
    for name, page in sorted(PAGES.items()):
        response = http.post(urls[name], page.data(world))
        if response.status_code != 403:
            accepted[name] = response.status_code

    assert accepted == {}
    after = _row_counts()
    # Sessions are the one table a request may touch (SESSION_SAVE_EVERY_REQUEST).
    changed = {label for label in before if before[label] != after[label]}
    assert changed <= {"sessions.Session"}


def test_the_same_post_with_the_token_is_accepted(world: World) -> None:
    """The check above is not vacuous: the forms' own token passes it."""
    signed_in = logged_in(every_role_user(world))
    http = HttpClient(enforce_csrf_checks=True)
    http.cookies = signed_in.cookies
    page = PAGES["accounts:organisation_switch"]
    http.get(page_url("clients:list", PAGES["clients:list"], world))
    token = http.cookies["csrftoken"].value

    response = http.post(
        page_url("accounts:organisation_switch", page, world),
        {**page.data(world), "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
