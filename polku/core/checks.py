"""Start-up guards: a production server must not run on the public development key."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

START_UP_REFUSAL = (
    "SECRET_KEY is not set. Polku refuses to serve with DEBUG off on the public development "
    "key: set SECRET_KEY to a long random value (the same on every server of a deployment)."
)


def uses_development_secret_key() -> bool:
    return bool(settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY)


def require_secret_key_unless_debug() -> None:
    """Called by the WSGI entry point, so gunicorn and runserver fail at start-up, not later."""
    if not settings.DEBUG and uses_development_secret_key():
        raise ImproperlyConfigured(START_UP_REFUSAL)


@register(Tags.security, deploy=True)
def check_secret_key_is_set(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if uses_development_secret_key():
        return [Error(START_UP_REFUSAL, id="polku.E001")]
    return []
