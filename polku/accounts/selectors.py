"""Who is acting, in which organisation, with which roles."""

import hashlib
from base64 import b32encode
from datetime import datetime, timedelta

from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts.models import ApiToken, Membership, Organisation, User
from polku.accounts.roles import Actor, Role


def user_organisations(*, user: User) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__user=user).distinct().order_by("name"))


def actor_for(*, user: User, organisation_id: int | None, channel: str = "ui") -> Actor | None:
    """The actor for ``user`` in the chosen organisation, or in their first one.

    None when the user belongs to no organisation (or not to the chosen one).
    """
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    rows = list(memberships.order_by("organisation__name", "organisation_id"))
    if not rows:
        return None
    organisation = rows[0].organisation
    roles = frozenset(Role(row.role) for row in rows if row.organisation_id == organisation.pk)
    return Actor(user=user, organisation=organisation, roles=roles, channel=channel)


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


# A token's last use is written when the stored one is older than this: enough to see
# which tokens are in use, without a write on every API call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def actor_for_api_token(*, raw_token: str, now: datetime) -> Actor | None:
    """The actor behind a bearer token; None for unknown, revoked, expired or inactive.

    Notes the token's use (``last_used_at``), like the access log notes a read.
    """
    token = (
        ApiToken.objects.filter(
            key_hash=token_hash(raw_token), revoked_at__isnull=True, expires_at__gt=now
        )
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return actor_for(user=token.user, organisation_id=token.organisation_id, channel="api")


def user_for_oidc_subject(*, subject: str) -> User | None:
    """The active user the identity provider's subject belongs to, if any."""
    if not subject:
        return None
    return User.objects.filter(oidc_subject=subject, is_active=True).first()


def has_second_factor(*, user: User) -> bool:
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    return bool(devices.exists())


def key_for_typing(key: str) -> str:
    """The TOTP key in base32, in groups of four, for apps without a camera."""
    text = b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
