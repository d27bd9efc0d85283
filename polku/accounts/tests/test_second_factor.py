"""Signing in: password, then a TOTP code; lockout after repeated failures; fresh codes for
sensitive acts; a content security policy without inline code."""

from datetime import datetime, timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import logged_in
from polku.accounts.models import User
from polku.accounts.second_factor import VERIFIED_AT
from polku.accounts.services import InvalidCode, second_factor_verify
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client

PASSWORD = "Pitkä-salasana-2026"


def _code(key: str, at: datetime) -> str:
    totp = TOTP(bytes.fromhex(key), step=30, digits=6)
    totp.time = at.timestamp()
    return f"{totp.token():06d}"


@pytest.fixture
def user(coach: User) -> User:
    coach.set_password(PASSWORD)
    coach.save()
    return coach


def _password_only(user: User) -> HttpClient:
    http = HttpClient()
    response = http.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return http


def test_password_alone_leads_to_enrolment_of_an_authenticator_app(user: User) -> None:
    http = _password_only(user)

    response = http.get(reverse("clients:list"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second_factor_setup"))
    page = response.content.decode()
    assert "<svg" in page
    assert "otpauth" not in page  # the key is in the picture and the grouped text only


def test_enrolment_with_a_matching_code_signs_in_and_returns_to_the_page(user: User) -> None:
    http = _password_only(user)
    http.get(reverse("accounts:second_factor_setup"))
    key = http.session["polku_second_factor_pending_key"]

    response = http.post(
        reverse("accounts:second_factor_setup"),
        {"token": _code(key, timezone.now()), "next": reverse("clients:list")},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("clients:list")
    assert http.get(reverse("clients:list")).status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed
    assert ChangeLogEntry.objects.filter(event="accounts.second_factor.enrolled").exists()


def test_enrolment_with_a_wrong_code_keeps_the_user_out(user: User) -> None:
    http = _password_only(user)
    http.get(reverse("accounts:second_factor_setup"))

    response = http.post(reverse("accounts:second_factor_setup"), {"token": "000000"})

    assert "Koodi ei kelpaa" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_a_stolen_password_cannot_enrol_a_second_app(user: User) -> None:
    TOTPDevice.objects.create(user=user, name="puhelin", confirmed=True)
    http = _password_only(user)

    response = http.get(reverse("accounts:second_factor_setup"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    assert "setup" not in response["Location"]


def test_sign_in_code_works_once_and_wrong_codes_are_throttled(user: User) -> None:
    device = TOTPDevice.objects.create(user=user, name="puhelin", confirmed=True)
    now = timezone.now()
    code = _code(device.key, now)

    assert second_factor_verify(user=user, token=code, now=now) == device
    with pytest.raises(InvalidCode):
        second_factor_verify(user=user, token=code, now=now)  # replayed
    with pytest.raises(InvalidCode, match="Koodi ei kelpaa"):
        second_factor_verify(user=user, token="000000", now=now)
    device.refresh_from_db()
    assert device.throttling_failure_count == 2
    with pytest.raises(InvalidCode, match="Liian monta"):
        second_factor_verify(
            user=user, token=_code(device.key, now + timedelta(seconds=30)), now=now
        )


def test_one_wrong_code_does_not_refuse_the_right_code_typed_straight_after(user: User) -> None:
    device = TOTPDevice.objects.create(user=user, name="puhelin", confirmed=True)
    http = _password_only(user)
    wrong = "000000" if _code(device.key, timezone.now()) != "000000" else "111111"

    refused = http.post(reverse("accounts:second_factor"), {"token": wrong, "next": "/"})
    accepted = http.post(
        reverse("accounts:second_factor"),
        {"token": _code(device.key, timezone.now()), "next": "/"},
    )

    assert "Koodi ei kelpaa" in refused.content.decode()
    assert accepted.status_code == 302
    assert accepted["Location"] == "/"


def test_the_code_page_shows_no_main_menu_before_the_code_is_accepted(user: User) -> None:
    TOTPDevice.objects.create(user=user, name="puhelin", confirmed=True)
    http = _password_only(user)

    page = http.get(reverse("accounts:second_factor")).content.decode()

    assert "Päävalikko" not in page
    assert reverse("clients:list") not in page
    assert "Kirjaudu ulos" in page  # signing out stays possible


def test_sign_in_with_password_and_code_opens_the_client_list(user: User) -> None:
    device = TOTPDevice.objects.create(user=user, name="puhelin", confirmed=True)
    http = _password_only(user)

    response = http.post(
        reverse("accounts:second_factor"),
        {"token": _code(device.key, timezone.now()), "next": reverse("clients:list")},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("clients:list")


def test_break_glass_asks_for_a_fresh_code_when_the_last_is_old(
    user: User, colleague: User, coach_client: Client
) -> None:
    http = logged_in(colleague)
    session = http.session
    session[VERIFIED_AT] = (timezone.now() - timedelta(minutes=16)).isoformat()
    session.save()
    url = reverse("clients:break_glass", kwargs={"client_id": coach_client.pk})

    response = http.post(url, {"reason": "Asiakas soitti, vastuutyöntekijä lomalla"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor"))


def test_five_wrong_passwords_lock_the_username(user: User) -> None:
    http = HttpClient()
    for _ in range(5):
        http.post(reverse("accounts:login"), {"username": user.username, "password": "väärä"})

    response = http.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "estetty" in response.content.decode()


def test_pages_carry_a_content_security_policy_without_inline_code(user: User) -> None:
    response = logged_in(user).get(reverse("clients:list"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
