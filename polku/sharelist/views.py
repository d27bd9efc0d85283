from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from polku.access import policy
from polku.accounts.decorators import actor_view
from polku.accounts.roles import Actor, Capability
from polku.clients.retention import RecordType, retention_period
from polku.clients.selectors import client_get, responsible_worker_candidates
from polku.clients.services import NotAWorker
from polku.core.documents import PDF_MIME, XLSX_MIME, Sheet, download, pdf_render, xlsx_render
from polku.sharelist import selectors, services
from polku.sharelist.forms import (
    BulkAssignForm,
    ConfirmForm,
    ContactForm,
    ImportForm,
    ReviewFilterForm,
    SavingForm,
    too_large_message,
)
from polku.sharelist.models import ShareListImport

ERRORS_SHOWN = 200
ERROR_KINDS = {
    "invalid_hetu": gettext_lazy("virheellinen henkilötunnus"),
    "missing_value": gettext_lazy("puuttuva arvo"),
    "invalid_date": gettext_lazy("virheellinen päivämäärä"),
    "invalid_amount": gettext_lazy("virheellinen luku"),
    "invalid_text": gettext_lazy("virheellinen nimi"),
    "duplicate_row": gettext_lazy("sama maksu kahdesti"),
    "unknown_benefit": gettext_lazy("tuntematon etuus"),
    "period_order": gettext_lazy("jakso päättyy ennen alkuaan"),
    "missing_column": gettext_lazy("puuttuva sarake"),
    "unreadable_file": gettext_lazy("tiedostoa ei voi lukea"),
    "too_large": gettext_lazy("liian suuri tiedosto"),
}
LETTER_LANGUAGES = ("fi", "sv")


@require_http_methods(["GET", "POST"])
@actor_view
def import_start(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.IMPORT_SHARE_LIST)
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["mapping"].queryset = selectors.mappings_for(actor=actor)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_upload(
                actor=actor,
                mapping_id=form.cleaned_data["mapping"].pk,
                filename=upload.name,
                upload=upload,
                now=timezone.now(),
            )
        except services.UploadRefused as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("sharelist:import_detail", job_id=job.pk)
    context = {
        "form": form,
        # Refused before the upload was read (ShareListUploadLimit): said above the form.
        "refused": too_large_message() if request.GET.get("too_large") else "",
        "imports": selectors.imports_recent(actor=actor),
        "preview_days": retention_period(
            RecordType.IMPORT_PREVIEW, today=timezone.localdate()
        ).length,
    }
    return render(request, "sharelist/import_start.html", context)


def _detail_context(job: ShareListImport, confirm_form: ConfirmForm) -> dict[str, object]:
    summary = job.summary
    errors = summary.get("errors", [])
    pending = job.status == ShareListImport.Status.PREVIEW
    headers = summary.get("columns", {})
    return {
        "job": job,
        "pending": pending and not summary.get("fatal"),
        "preview": selectors.import_preview_rows(job=job) if pending else None,
        "errors": [
            {**error, "header": headers.get(error["column"], error["column"])}
            for error in errors[:ERRORS_SHOWN]
        ],
        "error_count": summary.get("error_count", len(errors)),
        "errors_hidden": max(summary.get("error_count", len(errors)) - ERRORS_SHOWN, 0),
        "error_kinds": _error_kinds(summary.get("error_counts", {})),
        "confirm_form": confirm_form,
    }


def _error_kinds(counts: dict[str, int]) -> list[tuple[str, int]]:
    """How many errors of each kind, named for people (the codes stay in the API)."""
    return [(str(ERROR_KINDS.get(code, code)), count) for code, count in counts.items()]


@actor_view
def import_detail(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    job = selectors.import_get(actor=actor, job_id=job_id)
    return render(request, "sharelist/import_detail.html", _detail_context(job, ConfirmForm()))


@actor_view
def import_progress(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    """The progress bar while a job runs (polled by htmx); the whole page once it is done."""
    job = selectors.import_get(actor=actor, job_id=job_id)
    if not request.htmx:  # type: ignore[attr-defined]  # opened as a page: see the import's page
        return redirect("sharelist:import_detail", job_id=job_id)
    response = render(request, "sharelist/_import_progress.html", {"job": job})
    if not job.running:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@actor_view
def import_confirm(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.import_confirm(
            actor=actor,
            job_id=job_id,
            accept_valid=form.cleaned_data.get("accept_valid", False),
            small_list_checked=form.cleaned_data.get("small_list_checked", False),
            now=timezone.now(),
        )
    except services.ImportNotPending as done:
        messages.error(request, str(done))
    except services.ConfirmationNeeded as needed:
        # Nothing changed: the same preview again, saying which tick is missing.
        form.add_error(needed.field, str(needed))
        job = selectors.import_get(actor=actor, job_id=job_id)
        return render(request, "sharelist/import_detail.html", _detail_context(job, form))
    return redirect("sharelist:import_detail", job_id=job_id)


@actor_view
def import_report(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    job = selectors.import_get(actor=actor, job_id=job_id)
    headers = job.summary.get("columns", {})
    sheet = Sheet(
        title=_("Virheet"),
        headings=[_("Rivi"), _("Sarake"), _("Selitys")],
        rows=(
            [error["row"], headers.get(error["column"], error["column"]) or "", error["message"]]
            for error in job.summary.get("errors", [])
        ),
    )
    return download(
        xlsx_render([sheet]), filename=f"tarkistusraportti-{job.pk}.xlsx", mime=XLSX_MIME
    )


@actor_view
def review(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.REVIEW_SHARE_LIST)
    months = selectors.months(organisation_id=actor.organisation.pk)
    form = ReviewFilterForm(request.GET or None)
    workers = responsible_worker_candidates(actor=actor)
    form.fields["worker"].queryset = workers  # type: ignore[attr-defined]
    data = form.cleaned_data if form.is_valid() else {}
    month = data.get("month") or (months[0] if months else None)
    if month is not None and month not in months:
        raise Http404(_("Tälle kuukaudelle ei ole listaa."))
    context: dict[str, object] = {
        "form": form,
        "months": months,
        "month": month,
        "may_reassign": actor.can(Capability.ASSIGN_FROM_SHARE_LIST),
    }
    if month is not None:
        filters = selectors.ReviewFilters(
            worker_id=data["worker"].pk if data.get("worker") else None,
            without_worker=bool(data.get("without_worker")),
            not_contacted=bool(data.get("not_contacted")),
            needs_review=bool(data.get("needs_review")),
        )
        page = data.get("page") or 1
        context.update(
            page=page,
            result=selectors.review_page(
                actor=actor,
                month=month,
                filters=filters,
                page=page,
                now=timezone.now(),
                view="sharelist:review",
            ),
            summary=selectors.month_summary(organisation_id=actor.organisation.pk, month=month),
            workers=workers,
            query=request.GET.copy(),
        )
    return render(request, "sharelist/review.html", context)


@require_POST
@actor_view
def review_assign(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.REVIEW_SHARE_LIST)
    form = BulkAssignForm(request.POST)
    workers = responsible_worker_candidates(actor=actor)
    form.fields["worker"].queryset = workers  # type: ignore[attr-defined]
    form.fields["contact_owner"].queryset = workers  # type: ignore[attr-defined]
    if form.is_valid():
        worker, owner = form.cleaned_data["worker"], form.cleaned_data["contact_owner"]
        try:
            count = services.review_assign(
                actor=actor,
                client_ids=form.cleaned_data["client"],
                worker_id=worker.pk if worker else None,
                contact_owner_id=owner.pk if owner else None,
                now=timezone.now(),
                reassign=form.cleaned_data["reassign"],
            )
        except (NotAWorker, services.AssignRefused) as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Tallennettu %(count)d henkilölle.") % {"count": count})
    else:
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return redirect(_review_url(request))


def _review_url(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return back
    return reverse("sharelist:review")


@require_http_methods(["GET", "POST"])
@actor_view
def contact(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.REVIEW_SHARE_LIST)
    client = client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view="sharelist:contact"
    )
    form = ContactForm(request.POST or None, initial={"made_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.contact_attempt_record(
            actor=actor,
            client_id=client_id,
            data=services.ContactData(**form.cleaned_data),
            now=timezone.now(),
        )
        messages.success(request, _("Yhteydenotto kirjattu."))
        return redirect("sharelist:contact", client_id=client_id)
    context = {
        "client": client,
        "form": form,
        "contacts": selectors.client_contacts(client=client),
        "rows": selectors.client_share_rows(client=client),
    }
    return render(request, "sharelist/contact.html", context)


@actor_view
def letter(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.REVIEW_SHARE_LIST)
    client = client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view="sharelist:letter"
    )
    language = client.language if client.language in LETTER_LANGUAGES else "fi"
    content = pdf_render(
        f"sharelist/letter_{language}.html",
        {
            "language": language,
            "client": client,
            "organisation": actor.organisation,
            "sender": actor.user,
            "today": timezone.localdate(),
        },
    )
    return download(content, filename=f"kirje-{client.pk}.pdf", mime=PDF_MIME)


@actor_view
def costs(request: HttpRequest, actor: Actor) -> HttpResponse:
    lines = selectors.costs_by_month(actor=actor)
    quarters = selectors.costs_by_quarter(lines)
    top = max((line.share for line in lines), default=0) or 1
    top_quarter = max((line.share for line in quarters), default=0) or 1
    context = {
        "months": [(line, round(100 * line.share / top)) for line in lines],
        "quarters": [(line, round(100 * line.share / top_quarter)) for line in quarters],
        "can_see_people": actor.can(Capability.REVIEW_SHARE_LIST),
    }
    return render(request, "sharelist/costs.html", context)


@actor_view
def costs_people(request: HttpRequest, actor: Actor) -> HttpResponse:
    today = timezone.localdate()
    since = (today.replace(day=1) - timedelta(days=92)).replace(day=1)
    people = selectors.costs_per_person(
        actor=actor, since=since, now=timezone.now(), view="sharelist:costs_people"
    )
    form = SavingForm(request.GET or None)
    saving = None
    if request.GET and form.is_valid() and form.cleaned_data["client"]:
        saving = selectors.saving_estimate(
            actor=actor, client_ids=form.cleaned_data["client"], as_of=today
        )
    chosen = set(form.cleaned_data["client"]) if form.is_bound and form.is_valid() else set()
    context = {"people": people, "since": since, "saving": saving, "chosen": chosen}
    return render(request, "sharelist/costs_people.html", context)
