"""Brute force: password guessing locks the username out (django-axes).

``polku/accounts/tests/test_second_factor.py`` already shows the default: five wrong
passwords lock the username, and then even the right one is refused (429), and wrong
TOTP codes are throttled. This suite adds that the limit is the configured one and
that the lockout hits only the guessed username, so an attacker cannot lock out a
whole office from one address by guessing one colleague's password, and that it hits
that username whatever addresses the guesses come from (issue 16, finding 10e).
"""

import io

from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django.fixtures import Settings

from polku.accounts.models import Organisation
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory

PASSWORD = "Pitkä-salasana-2026"


def _sign_in(http: HttpClient, username: str, password: str) -> int:
    response = http.post(reverse("accounts:login"), {"username": username, "password": password})
    return int(response.status_code)


def test_the_lockout_follows_the_configured_limit_and_only_for_the_guessed_username(
    organisation: Organisation, settings: Settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    victim, colleague = (
        UserFactory.create(username=name, memberships=[(organisation, Role.PERSONAL_COACH)])
        for name in ("uhri", "kollega")
    )
    for user in (victim, colleague):
        user.set_password(PASSWORD)
        user.save()
    http = HttpClient()

    answers = [_sign_in(http, victim.username, "väärä") for _ in range(3)]

    assert answers[:2] == [200, 200]  # the form again, with an error
    assert _sign_in(http, victim.username, PASSWORD) == 429  # even the right password
    assert _sign_in(HttpClient(), colleague.username, PASSWORD) == 302


def test_failures_from_different_addresses_lock_the_username_everywhere(
    organisation: Organisation, settings: Settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    victim = UserFactory.create(username="uhri", memberships=[(organisation, Role.PERSONAL_COACH)])
    victim.set_password(PASSWORD)
    victim.save()

    assert _sign_in(HttpClient(REMOTE_ADDR="198.51.100.7"), "uhri", "väärä") == 200
    assert _sign_in(HttpClient(REMOTE_ADDR="192.0.2.44"), "uhri", "väärä") == 429

    at_her_desk = HttpClient(REMOTE_ADDR="203.0.113.9")
    assert _sign_in(at_her_desk, "uhri", PASSWORD) == 429  # until the cool-off or an unlock
    call_command("axes_reset_username", "uhri", stdout=io.StringIO())
    assert _sign_in(at_her_desk, "uhri", PASSWORD) == 302
