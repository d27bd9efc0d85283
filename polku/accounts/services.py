"""Writes for users and their credentials."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts.models import ApiToken, Organisation, User
from polku.accounts.selectors import token_hash
from polku.audit import services as audit
from polku.audit.events import (
    API_TOKEN_CREATED,
    API_TOKEN_REVOKED,
    SECOND_FACTOR_ENROLLED,
    SECOND_FACTOR_RESET,
    SECOND_FACTOR_VERIFIED,
    SINGLE_SIGN_ON,
    Event,
)


@transaction.atomic
def api_token_create(
    *, user: User, organisation: Organisation, now: datetime, days: int | None = None
) -> str:
    """Create a bearer token and return it; only its hash is kept, so show it once.

    It works for ``days`` (by default ``POLKU_API_TOKEN_DAYS``) unless revoked sooner.
    """
    raw = secrets.token_urlsafe(32)
    valid_days = settings.POLKU_API_TOKEN_DAYS if days is None else days
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        key_hash=token_hash(raw),
        prefix=raw[:8],
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    audit.record(
        event=API_TOKEN_CREATED,
        at=now,
        actor=user,
        organisation=organisation,
        target=token,
        changes={
            "prefix": [None, token.prefix],
            "expires_at": [None, token.expires_at.isoformat()],
        },
    )
    return raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, revoked_by: User | None, now: datetime) -> bool:
    """Revoke a token for good; False when it already was. ``revoked_by`` is None for the
    command line, whose operator the server's own log names."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    audit.record(
        event=API_TOKEN_REVOKED,
        at=now,
        actor=revoked_by,
        organisation=token.organisation,
        target=token,
        changes={"revoked_at": [None, now.isoformat()]},
    )
    return True


class ResetRefused(ValueError):
    """A second-factor reset needs a reason and an organisation to record it under."""


@transaction.atomic
def second_factor_reset(*, user: User, administrator: User, reason: str, now: datetime) -> int:
    """Delete the user's authenticator devices so that the next sign-in enrols a new one.

    The administrator never sees or sets a key: a reset is the only thing the admin can
    do to someone's second factor, and the history keeps who did it and why.

    Raises:
        ResetRefused: no reason was given, or neither the user nor the administrator
            belongs to an organisation to record the reset under.
    """
    reason = reason.strip()
    if not reason:
        raise ResetRefused(_("Kirjoita nollauksen syy."))
    organisation = _home_organisation(user) or _home_organisation(administrator)
    if organisation is None:
        raise ResetRefused(_("Käyttäjä ei kuulu mihinkään organisaatioon."))
    deleted: int = TOTPDevice.objects.filter(user=user).delete()[0]
    audit.record(
        event=SECOND_FACTOR_RESET,
        at=now,
        actor=administrator,
        organisation=organisation,
        target=user,
        changes={"devices": [deleted, 0], "reason": [None, reason]},
    )
    return deleted


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
