"""Single sign-on against a real (tiny) OpenID Connect provider on 127.0.0.1.

The test client plays the browser: Polku sends it to the provider's authorization
endpoint, the test reads ``state`` and ``nonce`` from that redirect, the provider
"approves" and the browser returns to the callback with a code. Polku then talks to
the provider's token, JWKS and userinfo endpoints over real HTTP.
"""

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client as HttpClient
from django.urls import NoReverseMatch, reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from polku.accounts.models import User
from polku.accounts.second_factor import VERIFIED_AT
from polku.accounts.tests.oidc_provider import FakeProvider, RunningProvider, new_key
from polku.audit.events import SINGLE_SIGN_ON
from polku.audit.models import ChangeLogEntry

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

SUBJECT = "c0ffee00-1234-4a5b-8c9d-000000000001"


@pytest.fixture(scope="module")
def running_provider() -> Iterator[RunningProvider]:
    running = RunningProvider()
    yield running
    running.stop()


@pytest.fixture
def provider(
    running_provider: RunningProvider, settings: SettingsWrapper, db: None
) -> FakeProvider:
    for name, value in running_provider.settings().items():
        setattr(settings, name, value)
    settings.OIDC_TRUSTED_AMR = ["mfa"]
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "polku.accounts.oidc.MunicipalOIDCBackend",
    ]
    settings.ROOT_URLCONF = "tests.oidc_urlconf"  # outside polku: imports the API (config.urls)
    provider = running_provider.provider
    provider.signing_key = None
    provider.codes.clear()
    provider.token_requests.clear()
    return provider


@pytest.fixture
def linked_coach(coach: User) -> User:
    coach.oidc_subject = SUBJECT
    coach.save()
    return coach


def _to_provider(http: HttpClient) -> dict[str, str]:
    """Start single sign-on; the query Polku sends the browser to the provider with."""
    response = http.get(reverse("oidc:login"))
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == "/authorize"
    return {name: values[0] for name, values in parse_qs(location.query).items()}


def _sign_in(
    http: HttpClient, provider: FakeProvider, subject: str = SUBJECT, **claims: Any
) -> "_MonkeyPatchedWSGIResponse":
    query = _to_provider(http)
    claims.setdefault("nonce", query["nonce"])
    code = provider.approve(subject=subject, **claims)
    return http.get(reverse("oidc:callback"), {"code": code, "state": query["state"]})


def _signed_in(http: HttpClient) -> bool:
    return "_auth_user_id" in http.session


def test_without_configuration_there_is_no_button_and_no_single_sign_on_url(db: None) -> None:
    page = HttpClient().get(reverse("accounts:login")).content.decode()

    assert "tunnistuspalvelulla" not in page
    with pytest.raises(NoReverseMatch):
        reverse("oidc:login")
    assert HttpClient().get("/accounts/oidc/login/").status_code == 404


def test_the_login_page_offers_single_sign_on_when_configured(provider: FakeProvider) -> None:
    page = HttpClient().get(reverse("accounts:login")).content.decode()

    assert reverse("oidc:login") in page


def test_the_authorization_request_carries_state_nonce_and_pkce(provider: FakeProvider) -> None:
    query = _to_provider(HttpClient())

    assert query["client_id"] == "polku-test"
    assert query["scope"] == "openid"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32
    assert len(query["nonce"]) >= 32


def test_a_linked_user_signs_in_and_still_enters_our_code_after_a_password_only_sign_in(
    provider: FakeProvider, linked_coach: User
) -> None:
    http = HttpClient()

    response = _sign_in(http, provider, amr=["pwd"])

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert http.session["_auth_user_id"] == str(linked_coach.pk)
    assert http.get(reverse("clients:list"))["Location"].startswith(
        reverse("accounts:second_factor")
    )
    token_request = provider.token_requests[-1]
    assert token_request["redirect_uri"] == "http://testserver/accounts/oidc/callback/"
    assert token_request["code_verifier"]
    entry = ChangeLogEntry.objects.get(event=SINGLE_SIGN_ON.code)
    assert entry.actor == linked_coach
    assert entry.changes == {"provider_second_factor": [None, False]}


def test_the_providers_multi_factor_sign_in_replaces_our_code_when_trusted(
    provider: FakeProvider, linked_coach: User
) -> None:
    http = HttpClient()

    _sign_in(http, provider, amr=["pwd", "mfa"])

    assert http.get(reverse("clients:list")).status_code == 200
    assert VERIFIED_AT in http.session  # fresh enough for break-glass for a while
    entry = ChangeLogEntry.objects.get(event=SINGLE_SIGN_ON.code)
    assert entry.changes == {"provider_second_factor": [None, True]}


def test_a_trusted_acr_also_counts_as_the_second_factor(
    provider: FakeProvider, linked_coach: User, settings: SettingsWrapper
) -> None:
    settings.OIDC_TRUSTED_ACR = ["http://ftn.ficora.fi/2017/loa3"]
    http = HttpClient()

    _sign_in(http, provider, acr="http://ftn.ficora.fi/2017/loa3")

    assert http.get(reverse("clients:list")).status_code == 200


@pytest.mark.parametrize(
    "misbehaviour",
    ["forged signature", "wrong nonce", "wrong issuer", "other audience", "expired"],
)
def test_a_token_that_does_not_verify_signs_no_one_in(
    provider: FakeProvider, linked_coach: User, misbehaviour: str
) -> None:
    claims: dict[str, dict[str, Any]] = {
        "forged signature": {},
        "wrong nonce": {"nonce": "not-the-nonce-we-sent"},
        "wrong issuer": {"iss": "https://attacker.invalid"},
        "other audience": {"aud": "another-client"},
        "expired": {"exp": 1_000_000},
    }
    if misbehaviour == "forged signature":
        provider.signing_key = new_key()
    http = HttpClient()

    response = _sign_in(http, provider, **claims[misbehaviour])

    assert not _signed_in(http)
    page = http.get(response["Location"]).content.decode()
    assert "Tunnistuspalvelun vastausta ei voitu vahvistaa" in page
    assert not ChangeLogEntry.objects.filter(event=SINGLE_SIGN_ON.code).exists()


def test_a_callback_with_a_state_we_did_not_send_signs_no_one_in(
    provider: FakeProvider, linked_coach: User
) -> None:
    http = HttpClient()
    query = _to_provider(http)
    code = provider.approve(subject=SUBJECT, nonce=query["nonce"])

    response = http.get(reverse("oidc:callback"), {"code": code, "state": "forged-state"})

    assert response["Location"].startswith(reverse("oidc:failed"))
    assert not _signed_in(http)


def test_a_code_is_not_accepted_twice(provider: FakeProvider, linked_coach: User) -> None:
    http = HttpClient()
    query = _to_provider(http)
    code = provider.approve(subject=SUBJECT, nonce=query["nonce"])
    http.get(reverse("oidc:callback"), {"code": code, "state": query["state"]})
    other = HttpClient()

    response = other.get(reverse("oidc:callback"), {"code": code, "state": query["state"]})

    assert response["Location"].startswith(reverse("oidc:failed"))
    assert not _signed_in(other)


@pytest.mark.parametrize("who", ["unknown subject", "inactive user"])
def test_an_identity_without_an_active_user_gets_a_finnish_explanation(
    provider: FakeProvider, linked_coach: User, who: str, caplog: pytest.LogCaptureFixture
) -> None:
    if who == "inactive user":
        linked_coach.is_active = False
        linked_coach.save()
    subject = "someone-else" if who == "unknown subject" else SUBJECT
    users_before = User.objects.count()
    http = HttpClient()

    with caplog.at_level(logging.DEBUG):
        response = _sign_in(http, provider, subject=subject)

    assert not _signed_in(http)
    assert User.objects.count() == users_before  # never created automatically
    page = http.get(response["Location"]).content.decode()
    assert "Polussa ei ole tunnistukseesi liitettyä voimassa olevaa käyttäjätunnusta" in page
    assert subject not in caplog.text
    assert linked_coach.username not in caplog.text


def test_the_provider_cancelling_shows_the_explanation(provider: FakeProvider) -> None:
    http = HttpClient()
    query = _to_provider(http)

    response = http.get(
        reverse("oidc:callback"), {"error": "access_denied", "state": query["state"]}
    )

    assert response["Location"].startswith(reverse("oidc:failed"))
    assert http.get(response["Location"]).status_code == 200


def test_failed_single_sign_ons_do_not_lock_out_the_address(
    provider: FakeProvider, linked_coach: User, settings: SettingsWrapper
) -> None:
    """An office behind one address must not lose single sign-on because a few people
    without a Polku account tried it; the provider guards its own password sign-in."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _sign_in(HttpClient(), provider, subject="ei-polussa")
    http = HttpClient()

    _sign_in(http, provider)

    assert _signed_in(http)
