import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polku.access import policy
from polku.accounts.decorators import actor_view, fresh_second_factor
from polku.accounts.roles import Actor, Capability
from polku.audit.selectors import access_report
from polku.clients import selectors, services
from polku.clients.forms import (
    AsOfForm,
    AssignWorkerForm,
    BreakGlassForm,
    ClientCreateForm,
    ClientEditForm,
    ClientSearchForm,
    ConsentForm,
    ConsentWithdrawForm,
    RestrictionForm,
)
from polku.clients.models import Client
from polku.clients.panels import client_panels
from polku.core.documents import PDF_MIME, download, pdf_render
from polku.core.forms import keep_typed
from polku.rules.selectors import client_obligations


@require_http_methods(["GET", "POST"])
@actor_view
def client_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Searches travel by POST: names and identity codes stay out of URLs and server logs.

    A GET (the menu link) lists the actor's own clients, optionally by worker and page.
    """
    data = request.POST if request.method == "POST" else request.GET.copy()
    if request.method == "GET":
        data.pop("q", None)
    form = ClientSearchForm(data or None)
    form.fields["worker"].queryset = selectors.responsible_worker_candidates(actor=actor)  # type: ignore[attr-defined]
    result = None
    if form.is_valid() or not data:
        cleaned = form.cleaned_data if data else {}
        worker = cleaned.get("worker")
        result = selectors.client_search(
            actor=actor,
            query=cleaned.get("q") or "",
            worker_id=worker.pk if worker else None,
            page=cleaned.get("page") or 1,
            now=timezone.now(),
            view="clients:list",
        )
    template = "clients/_results.html" if request.htmx else "clients/list.html"  # type: ignore[attr-defined]
    page = (form.cleaned_data.get("page") if form.is_bound and form.is_valid() else None) or 1
    return render(request, template, {"form": form, "result": result, "page": page})


@require_http_methods(["GET", "POST"])
@actor_view
def client_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.CREATE_CLIENTS)
    form = ClientCreateForm(request.POST or None)
    duplicate_of = None
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        try:
            client = services.client_create(
                actor=actor,
                data=services.ClientData(
                    hetu=form.cleaned_data["hetu"],
                    first_names=fields.pop("first_names"),
                    last_name=fields.pop("last_name"),
                    fields=fields,
                ),
                now=timezone.now(),
            )
        except services.DuplicateClient as duplicate:
            form.add_error("hetu", str(duplicate))
            duplicate_of = duplicate.client_id
        else:
            messages.success(request, _("Asiakas lisätty."))
            return redirect("clients:detail", client_id=client.pk)
    context = {"form": form, "title": _("Uusi asiakas"), "duplicate_of": duplicate_of}
    return render(request, "clients/form.html", context)


@actor_view
def client_detail(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    now = timezone.now()
    try:
        client = selectors.client_get(
            actor=actor, client_id=client_id, now=now, view="clients:detail"
        )
    except policy.NoCareRelationship:
        return _break_glass_page(request, actor, client_id, BreakGlassForm())
    today = timezone.localdate()
    as_of_form = AsOfForm(request.GET or None)
    as_of = (as_of_form.cleaned_data["as_of"] if as_of_form.is_valid() else None) or today
    context = {
        "as_of_form": as_of_form,
        "as_of": as_of,
        "obligations": client_obligations(client=client, as_of=as_of),
        "client": client,
        "age": client.age_on(today),
        "contact_needs_check": selectors.contact_needs_check(
            client=client, today=today, max_age_days=settings.POLKU_CONTACT_VERIFY_DAYS
        ),
        "consents": selectors.client_consents(client=client),
        "worker_history": selectors.client_worker_history(client=client),
        "timeline": selectors.client_timeline(client=client),
        "panels": client_panels(client=client, actor=actor, today=today),
        "today": today,
    }
    return render(request, "clients/detail.html", context)


def _break_glass_page(
    request: HttpRequest, actor: Actor, client_id: int, form: BreakGlassForm
) -> HttpResponse:
    context = {
        "client_id": client_id,
        "form": form,
        "can_break_glass": actor.can(Capability.BREAK_GLASS),
    }
    return render(request, "clients/break_glass.html", context, status=403)


@require_POST
@actor_view
@fresh_second_factor
def client_break_glass(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    form = BreakGlassForm(request.POST)
    if form.is_valid():
        try:
            policy.break_glass_open(
                actor=actor,
                client_id=client_id,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except policy.ReasonRequired as missing:
            form.add_error("reason", str(missing))
        else:
            messages.warning(
                request, _("Avasit asiakkaan tiedot poikkeuskäyttönä. Käyttö on lokitettu.")
            )
            return redirect("clients:detail", client_id=client_id)
    return _break_glass_page(request, actor, client_id, form)


@require_http_methods(["GET", "POST"])
@actor_view
def client_edit(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.EDIT_CLIENTS)
    client = selectors.client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view="clients:edit"
    )
    form = ClientEditForm(
        request.POST or None, instance=client, initial={"version": client.version}
    )
    conflict: Client | None = None
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        try:
            services.client_update(
                actor=actor,
                client_id=client_id,
                version=form.cleaned_data["version"],
                fields=fields,
                now=timezone.now(),
            )
        except services.EditConflict as clash:
            conflict = clash.current
            # Keep what was typed; saving again knowingly replaces the newer version.
            keep_typed(form, conflict.version)
            form.add_error(None, str(clash))
        else:
            messages.success(request, _("Muutokset tallennettu."))
            return redirect("clients:detail", client_id=client_id)
    context = {
        "form": form,
        "client": client,
        "conflict": conflict,
        "title": _("Muokkaa asiakkaan tietoja"),
    }
    return render(request, "clients/form.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def client_assign_worker(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    """A page of its own: the list of every possible worker is too long for the client page."""
    policy.require(actor, Capability.ASSIGN_RESPONSIBLE_WORKER)
    now = timezone.now()
    client = selectors.client_get(
        actor=actor, client_id=client_id, now=now, view="clients:assign_worker"
    )
    form = AssignWorkerForm(request.POST or None, initial={"worker": client.responsible_worker})
    form.fields["worker"].queryset = selectors.responsible_worker_candidates(actor=actor)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        services.client_assign_responsible_worker(
            actor=actor, client_id=client_id, worker_id=form.cleaned_data["worker"].pk, now=now
        )
        messages.success(request, _("Vastuutyöntekijä vaihdettu."))
        return redirect("clients:detail", client_id=client_id)
    context = {"form": form, "client": client, "title": _("Vaihda vastuutyöntekijä")}
    return render(request, "clients/form.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def consent_add(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_CONSENTS)
    client = selectors.client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view="clients:consent_add"
    )
    form = ConsentForm(request.POST or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.consent_give(
            actor=actor,
            client_id=client_id,
            data=services.ConsentData(**form.cleaned_data),
            now=timezone.now(),
        )
        messages.success(request, _("Suostumus kirjattu."))
        return redirect("clients:detail", client_id=client_id)
    return render(
        request,
        "clients/consent_form.html",
        {"form": form, "client": client, "title": _("Uusi suostumus")},
    )


@require_http_methods(["GET", "POST"])
@actor_view
def consent_withdraw(
    request: HttpRequest, actor: Actor, client_id: int, consent_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_CONSENTS)
    client = selectors.client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view="clients:consent_withdraw"
    )
    selectors.consent_get(client=client, consent_id=consent_id)  # the form only for its own
    form = ConsentWithdrawForm(request.POST or None, initial={"withdrawn_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=actor,
                client_id=client_id,
                consent_id=consent_id,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except ValueError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Suostumus peruttu. Se säilyy historiassa."))
            return redirect("clients:detail", client_id=client_id)
    return render(
        request,
        "clients/consent_form.html",
        {"form": form, "client": client, "title": _("Peru suostumus")},
    )


@actor_view
def client_access_report(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    """The client's own access-log report as PDF: who viewed the data, when, why."""
    policy.require(actor, Capability.HANDLE_DATA_REQUESTS)
    client = selectors.client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view="clients:access_report"
    )
    context = {
        "client": client,
        "lines": access_report(client=client),
        "made_at": timezone.localtime(),
    }
    content = pdf_render("clients/access_report_pdf.html", context)
    return download(content, filename=f"kayttolokiote-{client.pk}.pdf", mime=PDF_MIME)


@actor_view
def client_data_export(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    """Everything about the client, as JSON (machine-readable) or PDF (GDPR art. 15, 20)."""
    policy.require(actor, Capability.HANDLE_DATA_REQUESTS)
    client = selectors.client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view="clients:data_export"
    )
    sections = selectors.personal_data_export(client=client)
    if request.GET.get("format") == "pdf":
        context = {"client": client, "sections": sections, "made_at": timezone.localtime()}
        content = pdf_render("clients/data_export_pdf.html", context)
        return download(content, filename=f"tiedot-{client.pk}.pdf", mime=PDF_MIME)
    body = {section.label: section.records for section in sections}
    content = json.dumps(body, ensure_ascii=False, indent=2, default=str).encode()
    return download(content, filename=f"tiedot-{client.pk}.json", mime="application/json")


@require_http_methods(["GET", "POST"])
@actor_view
def client_restriction(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    """Restrict the processing of the client's data (GDPR art. 18), or lift the restriction."""
    policy.require(actor, Capability.HANDLE_DATA_REQUESTS)
    client = selectors.client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view="clients:restriction"
    )
    restricted = client.processing_restricted_on is not None
    form = RestrictionForm(request.POST if request.method == "POST" and not restricted else None)
    if request.method == "POST" and (restricted or form.is_valid()):
        try:
            if restricted:
                services.client_lift_restriction(
                    actor=actor, client_id=client_id, now=timezone.now()
                )
            else:
                services.client_restrict_processing(
                    actor=actor,
                    client_id=client_id,
                    reason=form.cleaned_data["reason"],
                    now=timezone.now(),
                )
        except services.RestrictionStateError as stale:  # someone else changed it meanwhile
            messages.error(request, str(stale))
        else:
            messages.success(
                request,
                _("Käsittelyn rajoitus poistettu.") if restricted else _("Käsittely rajoitettu."),
            )
        return redirect("clients:detail", client_id=client_id)
    title = _("Poista käsittelyn rajoitus") if restricted else _("Rajoita tietojen käsittelyä")
    context = {"form": form, "client": client, "restricted": restricted, "title": title}
    return render(request, "clients/restriction.html", context)
