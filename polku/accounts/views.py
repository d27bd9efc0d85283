import io
import logging

import django_otp
import qrcode
import qrcode.image.svg
import requests
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from polku.accounts import selectors, services
from polku.accounts.decorators import actor_view
from polku.accounts.forms import OneTimeCodeForm
from polku.accounts.middleware import SESSION_KEY
from polku.accounts.models import User
from polku.accounts.navigation import landing_url
from polku.accounts.oidc import PROVIDER_SECOND_FACTOR
from polku.accounts.roles import Actor
from polku.accounts.second_factor import mark_fresh, mark_verified_by_provider, new_key
from polku.accounts.selectors import actor_for

PENDING_KEY = "polku_second_factor_pending_key"
logger = logging.getLogger(__name__)


@require_GET
@actor_view
def home(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Each role starts from its own work (polku.accounts.navigation)."""
    return redirect(landing_url(actor))


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {**super().get_context_data(**kwargs), "oidc_enabled": settings.OIDC_ENABLED}


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """The identity provider's answer: sign in the matching user, or say in Finnish why not."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            response: HttpResponse = super().get(request)
        except (SuspiciousOperation, requests.RequestException):
            # Wrong state, nonce, signature, issuer or audience, or the provider failed.
            logger.warning("single sign-on refused: the provider's answer did not verify")
            return _oidc_failed("provider")
        return response

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        now = timezone.now()
        trusted = bool(getattr(self.user, PROVIDER_SECOND_FACTOR, False))
        if trusted:
            mark_verified_by_provider(self.request.session, now)
        services.single_sign_on_record(user=self.user, provider_second_factor=trusted, now=now)
        return response

    def login_failure(self) -> HttpResponse:
        # The answer verified but named no active user (``self.user`` is set only then),
        # or the user cancelled at the provider.
        return _oidc_failed("account" if hasattr(self, "user") else "provider")


def _oidc_failed(reason: str) -> HttpResponse:
    return redirect(f"{reverse('oidc:failed')}?{urlencode({'reason': reason})}")


@require_GET
def oidc_failed(request: HttpRequest) -> HttpResponse:
    """Why single sign-on did not sign the user in."""
    context = {"no_account": request.GET.get("reason") == "account"}
    return render(request, "accounts/oidc_failed.html", context)


@require_POST
@actor_view
def organisation_switch(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Act in another of the user's organisations for the rest of the session."""
    organisation_id = int(request.POST.get("organisation", "0") or 0)
    if actor_for(user=actor.user, organisation_id=organisation_id) is not None:
        request.session[SESSION_KEY] = organisation_id
    return _to_next(request, request.POST.get("next", ""))


def _to_next(request: HttpRequest, next_url: str) -> HttpResponse:
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(next_url)
    return redirect("home")


def _signed_in_with(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    django_otp.login(request, device)
    mark_fresh(request.session, timezone.now())
    return _to_next(request, request.POST.get("next", ""))


@require_http_methods(["GET", "POST"])
@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the authenticator app (after the password, or again before
    a sensitive act)."""
    user: User = request.user  # type: ignore[assignment]
    if not selectors.has_second_factor(user=user):
        return redirect(f"{request.path}setup/?{request.GET.urlencode()}")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(
                user=user, token=form.cleaned_data["token"], now=timezone.now()
            )
        except services.InvalidCode as wrong:
            form.add_error("token", str(wrong))
        else:
            return _signed_in_with(request, device)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: show a new key as a QR code, confirm it with a code."""
    user: User = request.user  # type: ignore[assignment]
    verified = user.is_verified()  # type: ignore[attr-defined]
    if selectors.has_second_factor(user=user) and not verified:
        return redirect(f"{request.path.removesuffix('setup/')}?{request.GET.urlencode()}")
    key = request.session.get(PENDING_KEY) or new_key()
    request.session[PENDING_KEY] = key
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_enrol(
                user=user,
                key=key,
                token=form.cleaned_data["token"],
                session_verified=verified,
                now=timezone.now(),
            )
        except (services.InvalidCode, services.SecondFactorRequired) as refused:
            form.add_error("token", str(refused))
        else:
            del request.session[PENDING_KEY]
            return _signed_in_with(request, device)
    pending = TOTPDevice(user=user, name="Polku", key=key)
    context = {
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "qr_svg": _qr_svg(pending.config_url),
        "secret": selectors.key_for_typing(key),
    }
    return render(request, "accounts/second_factor_setup.html", context)


def _qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]
