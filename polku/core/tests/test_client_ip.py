"""The client's address behind a load balancer: for the sign-in lockout and rate limits."""

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse
from pytest_django.fixtures import Settings

from polku.accounts.models import Organisation
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.core.client_ip import client_ip

BALANCER = "10.0.0.2"
PASSWORD = "Pitkä-salasana-2026"


@pytest.fixture
def behind_balancer(settings: Settings) -> None:
    settings.POLKU_TRUSTED_PROXY_NETWORKS = (
        ipaddress.ip_network("10.0.0.0/24"),
        ipaddress.ip_network("::1"),
    )


@pytest.mark.usefixtures("behind_balancer")
@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        (BALANCER, "198.51.100.7", "198.51.100.7"),
        # What the client wrote itself stands left of what the balancer appended.
        (BALANCER, "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        (BALANCER, "10.0.0.9, 198.51.100.7", "198.51.100.7"),
        # Two trusted hops (balancer, then nginx): the first untrusted from the right.
        (BALANCER, "198.51.100.7, 10.0.0.3", "198.51.100.7"),
        ("::1", "2001:db8::7", "2001:db8::7"),
        # A direct connection from outside: its header is anyone's invention.
        ("198.51.100.7", "203.0.113.66", "198.51.100.7"),
        # Not an address where a trusted proxy wrote one: believe nothing further.
        (BALANCER, "198.51.100.7, unknown", BALANCER),
        (BALANCER, "", BALANCER),
    ],
)
def test_client_ip__is_the_first_untrusted_hop_from_the_right(
    remote: str, forwarded: str, client: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == client


def test_client_ip__ignores_the_header_when_no_proxy_is_trusted() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert client_ip(request) == BALANCER


def _sign_in(address: str, username: str, password: str) -> int:
    http = HttpClient(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=address)
    response = http.post(reverse("accounts:login"), {"username": username, "password": password})
    return int(response.status_code)


@pytest.fixture
def guessed_three_times(organisation: Organisation, settings: Settings) -> None:
    """Three wrong passwords for ``uhri`` from 198.51.100.7, through the balancer: a lockout."""
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory.create(username="uhri", memberships=[(organisation, Role.PERSONAL_COACH)])
    user.set_password(PASSWORD)
    user.save()
    for _ in range(3):
        _sign_in("198.51.100.7", "uhri", "väärä")


@pytest.mark.usefixtures("behind_balancer", "guessed_three_times")
def test_behind_a_balancer_the_failures_record_the_guessing_address() -> None:
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
    assert _sign_in("198.51.100.7", "uhri", PASSWORD) == 429  # the guesser stays locked out


@pytest.mark.usefixtures("guessed_three_times")
def test_without_trusted_proxies_every_failure_records_the_balancers_address() -> None:
    """Why POLKU_TRUSTED_PROXIES exists: unset, the balancer's address is everyone's."""
    assert AccessAttempt.objects.get().ip_address == BALANCER
