from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from polku.access import policy
from polku.accounts.decorators import actor_view
from polku.accounts.roles import Actor, Capability
from polku.accounts.selectors import actor_for, token_hash
from polku.clients.models import Client
from polku.clients.selectors import client_get
from polku.core.documents import PDF_MIME, download, pdf_render
from polku.core.forms import keep_typed
from polku.referrals import ical, selectors, services
from polku.referrals.disclosure import ConsentRequired
from polku.referrals.forms import (
    BookingOutcomeForm,
    CalendarFeedForm,
    MeetingEditForm,
    MeetingForm,
    ReferralForm,
    ReferralOutcomeForm,
    SummaryDiscloseForm,
    SummaryForm,
    TeamBookingForm,
)
from polku.referrals.models import Meeting

FORM_TEMPLATE = "referrals/form.html"


def _open(actor: Actor, client_id: int, view: str) -> Client:
    return client_get(actor=actor, client_id=client_id, now=timezone.now(), view=view)


def _to_client(client_id: int) -> HttpResponse:
    return redirect(reverse("clients:detail", kwargs={"client_id": client_id}) + "#referrals")


def _form_page(
    request: HttpRequest, form: Any, client: Client, title: str, **extra: Any
) -> HttpResponse:
    conflict = extra.get("conflict")
    if conflict is not None:
        extra["conflict_rows"] = _saved_values(conflict, form)
    return render(request, FORM_TEMPLATE, {"form": form, "client": client, "title": title, **extra})


def _saved_values(saved: Any, form: Any) -> list[tuple[str, Any]]:
    """The saved version's values of the fields on the form, for the conflict notice."""
    rows = []
    for field in saved._meta.get_fields():
        if field.name in form.fields and field.concrete and field.name != "version":
            display = getattr(saved, f"get_{field.name}_display", None)
            rows.append(
                (str(field.verbose_name), display() if display else getattr(saved, field.name))
            )
    return rows


def _field_error(form: Any, error: services.InvalidInput, mapping: dict[str, str]) -> None:
    field = mapping.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, str(error))


def _versioned_save(
    request: HttpRequest,
    form: Any,
    save: Callable[[], object],
    success: str,
    field_map: dict[str, str] | None = None,
) -> tuple[bool, Any]:
    """Run ``save``; on a conflict keep what was typed and return the saved version."""
    try:
        save()
    except services.StaleVersion as clash:
        keep_typed(form, clash.current.version)  # type: ignore[attr-defined]
        form.add_error(None, str(clash))
        return False, clash.current
    except services.InvalidInput as invalid:
        _field_error(form, invalid, field_map or {})
        return False, None
    messages.success(request, success)
    return True, None


# --- Referrals ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view
def referral_create(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_REFERRALS)
    client = _open(actor, client_id, "referrals:create")
    form = ReferralForm(
        request.POST or None,
        initial={
            "sent_on": timezone.localdate(),
            "kind": request.GET.get("kind"),
            "receiving_organisation": actor.organisation.pk,
        },
    )
    recipients = selectors.referral_recipients(actor=actor)
    form.fields["receiving_organisation"].queryset = recipients  # type: ignore[attr-defined]
    form.fields["receiving_worker"].queryset = selectors.receiving_workers(  # type: ignore[attr-defined]
        organisation_ids=[organisation.pk for organisation in recipients]
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        worker = data["receiving_worker"]
        try:
            services.referral_send(
                actor=actor,
                client_id=client_id,
                data=services.ReferralData(
                    kind=data["kind"],
                    receiving_organisation_id=data["receiving_organisation"].pk,
                    receiving_unit=data["receiving_unit"],
                    receiving_worker_id=worker.pk if worker else None,
                    reason=data["reason"],
                    sent_on=data["sent_on"],
                    te_referral=data["te_referral"],
                ),
                now=timezone.now(),
            )
        except ConsentRequired as refused:
            refusal = refused.message
            form.add_error(None, refused.message)
        except services.InvalidInput as invalid:
            _field_error(
                form,
                invalid,
                {
                    "receiving_organisation_id": "receiving_organisation",
                    "receiving_worker_id": "receiving_worker",
                },
            )
        else:
            messages.success(request, _("Lähete lähetetty."))
            return _to_client(client_id)
    return _form_page(
        request, form, client, _("Uusi lähete tai saattaen vaihtaminen"), consent_refusal=refusal
    )


@require_http_methods(["GET", "POST"])
@actor_view
def referral_detail(
    request: HttpRequest, actor: Actor, client_id: int, referral_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_REFERRALS)
    client = _open(actor, client_id, "referrals:detail")
    referral = selectors.referral_get(client=client, referral_id=referral_id)
    form = ReferralOutcomeForm(
        request.POST or None,
        initial={
            "status": referral.status,
            "outcome": referral.outcome,
            "te_referral": referral.te_referral,
            "feedback_received_on": referral.feedback_received_on,
            "version": referral.version,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.REFERRAL_OUTCOME_FIELDS}
        saved, conflict = _versioned_save(
            request,
            form,
            lambda: services.referral_record_outcome(
                actor=actor,
                client_id=client_id,
                referral_id=referral_id,
                version=form.cleaned_data["version"],
                fields=fields,
                now=timezone.now(),
            ),
            _("Lähetteen tiedot tallennettu."),
        )
        if saved:
            return _to_client(client_id)
    context = {
        "form": form,
        "client": client,
        "referral": referral,
        "conflict": conflict,
        "conflict_rows": _saved_values(conflict, form) if conflict else [],
        "title": referral.get_kind_display(),
    }
    return render(request, "referrals/referral_detail.html", context)


@require_POST
@actor_view
def referral_acknowledge(request: HttpRequest, actor: Actor, referral_id: int) -> HttpResponse:
    try:
        services.referral_acknowledge(actor=actor, referral_id=referral_id, now=timezone.now())
    except services.InvalidInput as invalid:
        messages.error(request, str(invalid))
    else:
        messages.success(request, _("Lähete kuitattu vastaanotetuksi."))
    return redirect("referrals:inbox")


@require_GET
@actor_view
def referral_inbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    referrals = selectors.referral_inbox(actor=actor, now=timezone.now(), view="referrals:inbox")
    return render(request, "referrals/inbox.html", {"referrals": referrals})


# --- Team bookings ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view
def booking_create(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_REFERRALS)
    client = _open(actor, client_id, "referrals:booking_create")
    form = TeamBookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.team_booking_create(
                actor=actor,
                client_id=client_id,
                data=services.TeamBookingData(
                    team=data["team"],
                    mode=data["mode"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    question=data["question"],
                    client_permission_on=data["client_permission_on"],
                ),
                now=timezone.now(),
            )
        except services.InvalidInput as invalid:
            _field_error(form, invalid, {"ends_at": "end"})
        else:
            messages.success(request, _("Sote-tiimin aika varattu."))
            return _to_client(client_id)
    return _form_page(request, form, client, _("Varaa monialaisen sote-tiimin aika"))


@require_http_methods(["GET", "POST"])
@actor_view
def booking_edit(
    request: HttpRequest, actor: Actor, client_id: int, booking_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_REFERRALS)
    client = _open(actor, client_id, "referrals:booking_edit")
    booking = selectors.booking_get(client=client, booking_id=booking_id)
    form = BookingOutcomeForm(
        request.POST or None, initial={"outcome": booking.outcome, "version": booking.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = _versioned_save(
            request,
            form,
            lambda: services.team_booking_record_outcome(
                actor=actor,
                client_id=client_id,
                booking_id=booking_id,
                version=form.cleaned_data["version"],
                outcome=form.cleaned_data["outcome"],
                now=timezone.now(),
            ),
            _("Tulos tallennettu."),
        )
        if saved:
            return _to_client(client_id)
    return _form_page(
        request, form, client, _("Sote-tiimin varaus"), booking=booking, conflict=conflict
    )


# --- Meetings and the calendar ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view
def meeting_create(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_MEETINGS)
    client = _open(actor, client_id, "referrals:meeting_create")
    form = MeetingForm(
        request.POST or None, initial={"worker": actor.user.pk, "day": timezone.localdate()}
    )
    form.fields["worker"].queryset = selectors.meeting_workers(actor=actor)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=actor,
                client_id=client_id,
                data=services.MeetingData(
                    worker_id=data["worker"].pk,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    kind=data["kind"],
                    channel=data["channel"],
                    title=data["title"],
                    location=data["location"],
                ),
                now=timezone.now(),
            )
        except services.InvalidInput as invalid:
            _field_error(form, invalid, {"ends_at": "end", "worker_id": "worker"})
        else:
            messages.success(request, _("Tapaaminen sovittu."))
            _warn_of_overlaps(request, meeting)
            return _to_client(client_id)
    return _form_page(request, form, client, _("Uusi tapaaminen"))


@require_http_methods(["GET", "POST"])
@actor_view
def meeting_edit(
    request: HttpRequest, actor: Actor, client_id: int, meeting_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_MEETINGS)
    client = _open(actor, client_id, "referrals:meeting_edit")
    meeting = selectors.meeting_get(client=client, meeting_id=meeting_id)
    form = MeetingEditForm(request.POST or None)
    if not form.is_bound:
        form.initial = {
            **form.slot_initial(meeting.starts_at, meeting.ends_at),
            **{name: getattr(meeting, name) for name in ("kind", "channel", "title", "location")},
            "attendance": meeting.attendance,
            "notes": meeting.notes,
            "version": meeting.version,
        }
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in services.MEETING_EDITABLE}
        saved, conflict = _versioned_save(
            request,
            form,
            lambda: services.meeting_update(
                actor=actor,
                client_id=client_id,
                meeting_id=meeting_id,
                version=data["version"],
                fields=fields,
                now=timezone.now(),
            ),
            _("Tapaaminen tallennettu."),
            {"ends_at": "end"},
        )
        if saved:
            meeting.refresh_from_db()
            _warn_of_overlaps(request, meeting)
            return _to_client(client_id)
    return _form_page(request, form, client, _("Tapaaminen"), meeting=meeting, conflict=conflict)


def _warn_of_overlaps(request: HttpRequest, meeting: Meeting) -> None:
    """Saved, but the worker is already booked then: say when, so it can be moved."""
    overlapping = selectors.meetings_overlapping(meeting=meeting)
    if meeting.attendance == Meeting.Attendance.CANCELLED or not overlapping:
        return
    times = ", ".join(
        f"{formats.date_format(localtime(other.starts_at), 'SHORT_DATE_FORMAT')} "
        f"{formats.time_format(localtime(other.starts_at))}–"
        f"{formats.time_format(localtime(other.ends_at))}"
        for other in overlapping
    )
    messages.warning(
        request,
        ngettext(
            "Työntekijällä on samaan aikaan toinen tapaaminen: %(times)s.",
            "Työntekijällä on samaan aikaan %(count)d muuta tapaamista: %(times)s.",
            len(overlapping),
        )
        % {"count": len(overlapping), "times": times},
    )


@require_GET
@actor_view
def calendar(request: HttpRequest, actor: Actor) -> HttpResponse:
    monday = selectors.parse_week(request.GET.get("week"), timezone.localdate())
    week = selectors.calendar_week(
        actor=actor, monday=monday, now=timezone.now(), view="referrals:calendar"
    )
    context = {"week": week, "feed_form": CalendarFeedForm(), "today": timezone.localdate()}
    return render(request, "referrals/calendar.html", context)


@require_GET
@actor_view
def calendar_ics(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Download one's own calendar as .ics; client names only with ``?names=1``."""
    policy.require(actor, Capability.MANAGE_MEETINGS)
    now = timezone.now()
    meetings = selectors.meetings_for_export(
        organisation_id=actor.organisation.pk, worker_id=actor.user.pk, today=timezone.localdate()
    )
    names = request.GET.get("names") == "1"
    if names:
        policy.client_ids_shown(
            actor=actor,
            client_ids=sorted({meeting.client_id for meeting in meetings}),
            now=now,
            view="referrals:calendar_ics",
        )
    content = ical.calendar_ics(
        meetings=meetings, name=str(actor.user), show_client_names=names, now=now
    )
    return download(content, filename="tapaamiset.ics", mime="text/calendar")


@require_POST
@actor_view
def feed_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = CalendarFeedForm(request.POST)
    form.is_valid()
    _feed, raw = services.calendar_feed_create(
        actor=actor,
        show_client_names=form.cleaned_data.get("show_client_names", False),
        now=timezone.now(),
    )
    url = request.build_absolute_uri(reverse("referrals:feed", kwargs={"token": raw}))
    return render(request, "referrals/feed_created.html", {"url": url})


@require_POST
@actor_view
def feed_revoke(request: HttpRequest, actor: Actor) -> HttpResponse:
    services.calendar_feed_revoke(actor=actor, now=timezone.now())
    messages.success(request, _("Kalenteritilaus peruttu. Vanha osoite ei enää toimi."))
    return redirect("referrals:calendar")


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription address: no sign-in, the secret token is the key."""
    subscription = selectors.feed_by_token(token_hash=token_hash(token))
    if subscription is None or not subscription.worker.is_active:
        raise Http404
    owner = actor_for(user=subscription.worker, organisation_id=subscription.organisation_id)
    if owner is None or not owner.can(Capability.MANAGE_MEETINGS):
        raise Http404
    now = timezone.now()
    meetings = selectors.meetings_for_export(
        organisation_id=subscription.organisation_id,
        worker_id=subscription.worker_id,
        today=timezone.localdate(),
    )
    if subscription.show_client_names:
        policy.client_ids_shown(
            actor=replace(owner, channel="api"),
            client_ids=sorted({meeting.client_id for meeting in meetings}),
            now=now,
            view="referrals:feed",
        )
    content = ical.calendar_ics(
        meetings=meetings,
        name=str(subscription.worker),
        show_client_names=subscription.show_client_names,
        now=now,
    )
    return HttpResponse(content, content_type="text/calendar; charset=utf-8")


# --- Work-ability support summary ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_view
def summary_create(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_REFERRALS)
    client = _open(actor, client_id, "referrals:summary_create")
    form = SummaryForm(
        request.POST or None,
        initial=selectors.summary_prefill(client=client, today=timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        summary = services.summary_save(
            actor=actor,
            client_id=client_id,
            summary_id=None,
            version=None,
            fields={name: form.cleaned_data[name] for name in services.SUMMARY_FIELDS},
            now=timezone.now(),
        )
        messages.success(request, _("Työkyvyn tuen koonti tallennettu."))
        return redirect("referrals:summary_edit", client_id=client_id, summary_id=summary.pk)
    return _form_page(request, form, client, _("Työkyvyn tuen koonti"))


@require_http_methods(["GET", "POST"])
@actor_view
def summary_edit(
    request: HttpRequest, actor: Actor, client_id: int, summary_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_REFERRALS)
    client = _open(actor, client_id, "referrals:summary_edit")
    summary = selectors.summary_get(client=client, summary_id=summary_id)
    form = SummaryForm(request.POST or None, instance=summary, initial={"version": summary.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = _versioned_save(
            request,
            form,
            lambda: services.summary_save(
                actor=actor,
                client_id=client_id,
                summary_id=summary_id,
                version=form.cleaned_data["version"],
                fields={name: form.cleaned_data[name] for name in services.SUMMARY_FIELDS},
                now=timezone.now(),
            ),
            _("Työkyvyn tuen koonti tallennettu."),
        )
        if saved:
            return redirect("referrals:summary_edit", client_id=client_id, summary_id=summary_id)
    disclose_form = SummaryDiscloseForm()
    disclose_form.fields["recipient"].queryset = selectors.referral_recipients(  # type: ignore[attr-defined]
        actor=actor
    ).exclude(pk=client.organisation_id)
    return _form_page(
        request,
        form,
        client,
        _("Työkyvyn tuen koonti"),
        summary=summary,
        conflict=conflict,
        disclose_form=disclose_form,
        versions=selectors.summary_versions(summary=summary),
    )


@require_GET
@actor_view
def summary_pdf(
    request: HttpRequest, actor: Actor, client_id: int, summary_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_REFERRALS)
    client = _open(actor, client_id, "referrals:summary_pdf")
    summary = selectors.summary_get(client=client, summary_id=summary_id)
    content = pdf_render(
        "referrals/summary_pdf.html",
        {"client": client, "summary": summary, "today": timezone.localdate()},
    )
    return download(content, filename=f"tyokyvyn-tuen-koonti-{summary.pk}.pdf", mime=PDF_MIME)


@require_POST
@actor_view
def summary_disclose(
    request: HttpRequest, actor: Actor, client_id: int, summary_id: int
) -> HttpResponse:
    """Send the summary to another organisation: the consent gate decides, the log remembers."""
    policy.require(actor, Capability.MANAGE_REFERRALS)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=timezone.now())
    form = SummaryDiscloseForm(request.POST)
    form.fields["recipient"].queryset = selectors.referral_recipients(actor=actor)  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, _("Valitse vastaanottava organisaatio luettelosta."))
        return redirect("referrals:summary_edit", client_id=client_id, summary_id=summary_id)
    try:
        summary = services.summary_disclose(
            actor=actor,
            client_id=client_id,
            summary_id=summary_id,
            recipient_id=form.cleaned_data["recipient"].pk,
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except (ConsentRequired, services.InvalidInput) as refused:
        messages.error(request, str(refused))
        return redirect("referrals:summary_edit", client_id=client_id, summary_id=summary_id)
    content = pdf_render(
        "referrals/summary_pdf.html",
        {"client": summary.client, "summary": summary, "today": timezone.localdate()},
    )
    return download(content, filename=f"tyokyvyn-tuen-koonti-{summary.pk}.pdf", mime=PDF_MIME)
