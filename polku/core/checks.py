"""Start-up guards and deploy checks (``check --deploy``): a production server must not
run on the public development key, and should not serve unhashed static files or count
rate limits per process."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from polku.core.rate_limit import Rate

START_UP_REFUSAL = (
    "SECRET_KEY is not set. Polku refuses to serve with DEBUG off on the public development "
    "key: set SECRET_KEY to a long random value (the same on every server of a deployment)."
)
LOCAL_CACHE = "django.core.cache.backends.locmem.LocMemCache"


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


@register()
def check_rates(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for name in ("POLKU_API_RATE", "POLKU_PUBLIC_LINK_RATE"):
        try:
            Rate.parse(getattr(settings, name))
        except ValueError as error:
            errors.append(Error(f"{name}: {error}", id="polku.E002"))
    return errors


@register(Tags.staticfiles, deploy=True)
def check_static_files_are_collected(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.STATIC_COLLECTED:
        return []
    return [
        Warning(
            "Static files are served from the packages under unhashed names, so browsers may "
            "keep an old stylesheet or script after an upgrade.",
            hint="Set STATIC_ROOT (e.g. /var/lib/polku/static) and run collectstatic on deploy.",
            id="polku.W002",
        )
    ]


@register(Tags.caches, deploy=True)
def check_cache_is_shared(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.CACHE_URL or settings.CACHES["default"]["BACKEND"] != LOCAL_CACHE:
        return []
    return [
        Warning(
            "The cache is each process's own memory: every gunicorn worker counts the API "
            "and one-time link rate limits separately.",
            hint="Set CACHE_URL=db://polku_cache (and run createcachetable) or a redis:// URL; "
            "CACHE_URL=locmem:// says one process is all there is.",
            id="polku.W003",
        )
    ]
