"""Single sign-on with the municipality's OpenID Connect identity provider.

Only existing, active users can sign in: the id_token's subject (``sub``) must equal a
user's ``oidc_subject``, which an administrator enters. Users are never created here.
"""

import logging
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from polku.accounts import selectors
from polku.accounts.models import User

logger = logging.getLogger(__name__)

# Set on the user the backend returns, read by the callback view after sign-in.
PROVIDER_SECOND_FACTOR = "polku_provider_second_factor"


def provider_second_factor(claims: dict[str, Any]) -> bool:
    """Did the provider sign the user in with a method we accept instead of our TOTP?

    Only what ``OIDC_TRUSTED_AMR`` / ``OIDC_TRUSTED_ACR`` name counts; by default nothing
    does, so a password at the provider is never enough on its own.
    """
    amr = claims.get("amr") or []
    methods = {amr} if isinstance(amr, str) else set(amr)
    return bool(methods & set(settings.OIDC_TRUSTED_AMR)) or (
        claims.get("acr") in settings.OIDC_TRUSTED_ACR
    )


def exempt_from_lockout(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """django-axes counts password guesses. A failed single sign-on guesses no password
    (the provider guards its own sign-in) and carries no username, so counting it would
    lock single sign-on for everyone behind the same address after a few failures."""
    match = request.resolver_match
    return match is not None and match.view_name == "oidc:callback"


class MunicipalOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc, matched on the subject and checked for issuer and audience."""

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        try:
            payload: dict[str, Any] = super().verify_token(token, **kwargs)
        except jwt.InvalidTokenError as invalid:
            # The library turns only a bad signature into SuspiciousOperation; an expired
            # or not-yet-valid token would otherwise be a server error.
            raise SuspiciousOperation("id_token not valid") from invalid
        # The library leaves these to us; a token for another client or from another
        # issuer must not sign anyone in here.
        if settings.OIDC_ISSUER and payload.get("iss") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("id_token from another issuer")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id_token for another client")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):  # OpenID Connect Core 5.3.2
            raise SuspiciousOperation("userinfo describes another subject")
        user = selectors.user_for_oidc_subject(subject=str(payload.get("sub", "")))
        if user is None:
            logger.info("single sign-on refused: no active user has this subject")
            return None
        setattr(user, PROVIDER_SECOND_FACTOR, provider_second_factor(payload))
        return user
