"""The monthly monitoring report and questionnaires (SPEC C8)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from polku.access import policy
from polku.accounts.decorators import actor_view
from polku.accounts.roles import Actor, Capability
from polku.core.client_ip import client_ip
from polku.core.rate_limit import Rate, rate_limited
from polku.exports.registry import no_progress
from polku.reports import exports, questionnaire_selectors, services
from polku.reports.forms import CloseMonthForm, FollowUpForm, LinkForm, answers_form
from polku.reports.models import QuestionnaireKind


@actor_view
def monthly(request: HttpRequest, actor: Actor) -> HttpResponse:
    report = exports.monthly_report_of(actor, request.GET)
    ended = report.month < timezone.localdate().replace(day=1)
    context = {"report": report, "can_close": ended and actor.can(Capability.MANAGE_GOALS)}
    return render(request, "reports/monthly.html", context)


def _closed_message(closed: services.MonthClosed) -> str:
    month = f"{closed.snapshot.month:%m/%Y}"
    if closed.first:
        return _("Kuukausi %(month)s on suljettu ja sen luvut tallennettu.") % {"month": month}
    return ngettext(
        "Kuukausi %(month)s oli jo suljettu; %(count)d korjaus kirjattiin.",
        "Kuukausi %(month)s oli jo suljettu; %(count)d korjausta kirjattiin.",
        closed.corrections,
    ) % {"month": month, "count": closed.corrections}


@require_POST
@actor_view
def monthly_close(request: HttpRequest, actor: Actor) -> HttpResponse:
    """A manager closes an ended month from the report page (``close_month`` in the UI)."""
    policy.require(actor, Capability.MANAGE_GOALS)
    form = CloseMonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Valitse suljettava kuukausi."))
        return redirect("monitoring:monthly")
    month = form.cleaned_data["month"]
    try:
        closed = services.month_close_by(
            actor=actor, month=month, today=timezone.localdate(), now=timezone.now()
        )
    except services.MonthNotOver as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _closed_message(closed))
    return redirect(f"{reverse('monitoring:monthly')}?month={month:%Y-%m}")


@actor_view
def monthly_pdf(request: HttpRequest, actor: Actor) -> HttpResponse:
    return exports.monthly_report_pdf(actor, request.GET, no_progress).response()


@actor_view
def monthly_xlsx(request: HttpRequest, actor: Actor) -> HttpResponse:
    return exports.monthly_report_xlsx(actor, request.GET, no_progress).response()


@actor_view
@require_http_methods(["GET", "POST"])
def questionnaire_link(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLANS)
    now = timezone.now()
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="monitoring:questionnaire_link"
    )
    form = LinkForm(request.POST or None)
    url = None
    if request.method == "POST" and form.is_valid():
        _link, token = services.link_create(
            actor=actor,
            client_id=client.pk,
            kind=form.cleaned_data["kind"],
            plain_language=form.cleaned_data["plain_language"],
            now=now,
        )
        url = request.build_absolute_uri(reverse("questionnaire:answer", args=[token]))
    context = {"client": client, "form": form, "url": url}
    return render(request, "reports/questionnaire_link.html", context)


@actor_view
@require_http_methods(["GET", "POST"])
def questionnaire_record(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    """Answers given with a worker; ``?kind=capacity`` or feedback, ``&selko=1`` plain language."""
    policy.require(actor, Capability.MANAGE_PLANS)
    kind = request.GET.get("kind", QuestionnaireKind.FEEDBACK)
    if kind not in QuestionnaireKind.values:
        raise Http404
    now = timezone.now()
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="monitoring:questionnaire_record"
    )
    version = services.questionnaire_version_current(
        organisation=actor.organisation, kind=kind, now=now
    )
    plain = request.GET.get("selko") == "1"
    form = answers_form(version.questions, plain=plain, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.response_record(
            actor=actor,
            client_id=client.pk,
            kind=kind,
            answers=form.cleaned_data,
            plain_language=plain,
            today=timezone.localdate(),
            now=now,
        )
        return redirect("clients:detail", client.pk)
    context: dict[str, Any] = {"client": client, "form": form, "version": version, "plain": plain}
    return render(request, "reports/questionnaire_record.html", context)


@require_http_methods(["GET", "POST"])
@rate_limited(
    scope="questionnaire_link",
    rate=lambda: Rate.parse(settings.POLKU_PUBLIC_LINK_RATE),
    caller=client_ip,
)
def answer(request: HttpRequest, questionnaire_token: str) -> HttpResponse:
    """The client's page behind the one-time link: no sign-in, only a first-name greeting.

    An unknown, expired or used token gives the same neutral page with status 404.
    """
    token, now = questionnaire_token, timezone.now()
    link = questionnaire_selectors.link_usable(token=token, now=now)
    if link is None:
        return render(request, "reports/answer_unavailable.html", status=404)
    form = answers_form(
        link.version.questions, plain=link.plain_language, data=request.POST or None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.link_answer(token=token, answers=form.cleaned_data, now=now)
        except services.LinkNotUsable:
            return render(request, "reports/answer_unavailable.html", status=404)
        return render(request, "reports/answer_thanks.html", {"plain": link.plain_language})
    context = {
        "form": form,
        "first_name": questionnaire_selectors.greeting_name(link),
        "title": link.version.title,
        "plain": link.plain_language,
    }
    return render(request, "reports/answer.html", context)


@actor_view
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    """Record where the client is 3, 6 or 12 months after a service ended."""
    policy.require(actor, Capability.MANAGE_PLANS)
    now = timezone.now()
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="monitoring:follow_up"
    )
    episodes = questionnaire_selectors.client_ended_episodes(client=client)
    form = FollowUpForm(request.POST or None)
    form.fields["episode"].choices = [  # type: ignore[attr-defined]
        (e.pk, f"{e.service_type.name} {e.ended_on:%d.%m.%Y}") for e in episodes
    ]
    if request.method == "POST" and form.is_valid():
        services.follow_up_record(
            actor=actor,
            client_id=client.pk,
            episode_id=form.cleaned_data["episode"],
            months=form.cleaned_data["months"],
            situation=form.cleaned_data["situation"],
            today=timezone.localdate(),
            now=now,
        )
        return redirect("monitoring:follow_up", client.pk)
    context = {
        "client": client,
        "form": form,
        "episodes": episodes,
        "follow_ups": questionnaire_selectors.follow_ups_of(episodes),
    }
    return render(request, "reports/follow_up.html", context)
