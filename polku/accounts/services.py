"""Writes for users and their credentials."""

import secrets
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts.models import ApiToken, Organisation, User
from polku.accounts.selectors import token_hash
from polku.audit import services as audit
from polku.audit.events import (
    API_TOKEN_CREATED,
    SECOND_FACTOR_ENROLLED,
    SECOND_FACTOR_VERIFIED,
    SINGLE_SIGN_ON,
    Event,
)


@transaction.atomic
def api_token_create(*, user: User, organisation: Organisation, now: datetime) -> str:
    """Create a bearer token and return it; only its hash is kept, so show it once."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        key_hash=token_hash(raw),
        prefix=raw[:8],
        created_at=now,
    )
    audit.record(
        event=API_TOKEN_CREATED,
        at=now,
        actor=user,
        organisation=organisation,
        target=token,
        changes={"prefix": [None, token.prefix]},
    )
    return raw


TOTP_STEP_SECONDS = 30


class InvalidCode(ValueError):
    """The one-time code was wrong, expired or already used."""


def _home_organisation(user: User) -> Organisation | None:
    membership = user.memberships.select_related("organisation").order_by("pk").first()
    return membership.organisation if membership else None


class SecondFactorRequired(PermissionError):
    """Only a session already verified with the current device may add another."""


def _code_matches(key: str, token: str, now: datetime) -> int | None:
    """The 30-second step the code belongs to (now, or one step either side), or None."""
    totp = TOTP(bytes.fromhex(key), step=TOTP_STEP_SECONDS, digits=6)
    now_step = int(now.timestamp()) // TOTP_STEP_SECONDS
    for step in (now_step, now_step - 1, now_step + 1):
        totp.time = step * TOTP_STEP_SECONDS
        if token.strip() == f"{totp.token():06d}":
            return step
    return None


@transaction.atomic
def second_factor_enrol(
    *, user: User, key: str, token: str, session_verified: bool, now: datetime
) -> TOTPDevice:
    """Save the user's authenticator app once a code from it matches the new key.

    Raises:
        SecondFactorRequired: the user has a device and this session has not used it; a
            stolen password alone must not be enough to enrol the thief's phone.
        InvalidCode: the code does not match the key.
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists() and not session_verified:
        raise SecondFactorRequired(_("Vahvista ensin kirjautuminen nykyisellä sovelluksella."))
    step = _code_matches(key, token, now)
    if step is None:
        raise InvalidCode(_("Koodi ei kelpaa. Tarkista sovelluksen koodi ja yritä uudelleen."))
    device = TOTPDevice.objects.create(
        user=user, name="Polku", key=key, confirmed=True, last_t=step
    )
    _record_sign_in_event(SECOND_FACTOR_ENROLLED, user, device, now)
    return device


# Wrong codes in a row that do not yet slow the next attempt down.
FREE_CODE_FAILURES = 1


def second_factor_verify(*, user: User, token: str, now: datetime) -> TOTPDevice:
    """Check a sign-in code against the user's devices; each code works once.

    Failures slow the device down (django-otp's throttling), so six digits cannot
    be guessed; a failure is saved even though the call raises. The first failure is
    free: a mistyped code must not also refuse the right one typed straight after it
    (the wait would be one second); from the second failure in a row on, each attempt
    waits 2, 4, 8 … seconds.

    Raises:
        InvalidCode: no device accepts the code, or the device is still throttled.
    """
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        throttled = device.throttling_failure_count > FREE_CODE_FAILURES
        if throttled and not device.verify_is_allowed()[0]:
            raise InvalidCode(_("Liian monta väärää koodia. Odota hetki ja yritä uudelleen."))
        step = _code_matches(device.key, token, now)
        if step is not None and step > device.last_t:
            device.last_t = step
            device.save(update_fields=["last_t"])
            device.throttle_reset()
            _record_sign_in_event(SECOND_FACTOR_VERIFIED, user, device, now)
            return device
        device.throttle_increment()
    raise InvalidCode(_("Koodi ei kelpaa. Tarkista sovelluksen koodi ja yritä uudelleen."))


@transaction.atomic
def single_sign_on_record(*, user: User, provider_second_factor: bool, now: datetime) -> None:
    """Record a sign-in through the identity provider, and whether its own multi-factor
    sign-in stood in for our TOTP."""
    _record_sign_in_event(
        SINGLE_SIGN_ON,
        user,
        user,
        now,
        changes={"provider_second_factor": [None, provider_second_factor]},
    )


def _record_sign_in_event(
    event: Event,
    user: User,
    target: TOTPDevice | User,
    now: datetime,
    changes: audit.Changes | None = None,
) -> None:
    organisation = _home_organisation(user)
    if organisation is not None:  # a user without a role can do nothing to record
        audit.record(
            event=event,
            at=now,
            actor=user,
            organisation=organisation,
            target=target,
            changes=changes,
        )
