"""The second factor (TOTP) every user signs in with, and the freshness of the last code.

A session counts as verified when django-otp has recorded the device that checked
the code; ``VERIFIED_AT`` says when, so sensitive acts can ask for a fresh code.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django_otp.util import random_hex

VERIFIED_AT = "polku_second_factor_at"
# The identity provider's own multi-factor sign-in stood in for our TOTP (see oidc.py).
VERIFIED_BY_PROVIDER = "polku_second_factor_by_provider"


def mark_fresh(session: SessionBase, now: datetime) -> None:
    session[VERIFIED_AT] = now.isoformat()


def mark_verified_by_provider(session: SessionBase, now: datetime) -> None:
    session[VERIFIED_BY_PROVIDER] = True
    mark_fresh(session, now)


def is_verified(user: AbstractBaseUser | AnonymousUser, session: SessionBase) -> bool:
    """Has this session passed a second factor: our TOTP or a trusted provider's?"""
    return bool(user.is_verified() or session.get(VERIFIED_BY_PROVIDER))  # type: ignore[union-attr]


def is_fresh(session: SessionBase, now: datetime) -> bool:
    """Was the last code entered within ``POLKU_REAUTHENTICATE_MINUTES``?"""
    verified_at = session.get(VERIFIED_AT)
    if not verified_at:
        return False
    age = now - datetime.fromisoformat(verified_at)
    return age <= timedelta(minutes=settings.POLKU_REAUTHENTICATE_MINUTES)


def new_key() -> str:
    """A random TOTP key (hex) kept in the session until the user proves the app has it."""
    return random_hex(20)
