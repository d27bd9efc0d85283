"""KTT providers and the reimbursement allocation (seed 004, seed 000 § 3.1); work
evaluations (työarvio, seed 002) on the client's record."""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.access import policy
from polku.accounts.decorators import actor_view
from polku.accounts.roles import Actor, Capability
from polku.clients import selectors as client_selectors
from polku.clients.models import Client
from polku.core.documents import PDF_MIME, XLSX_MIME, Sheet, download, pdf_render, xlsx_render
from polku.core.forms import keep_typed
from polku.ktt import selectors, services
from polku.ktt.forms import EvaluationForm, PlacementProviderForm, ProviderForm, SendForm
from polku.ktt.models import ProviderArrangement
from polku.referrals.disclosure import ConsentRequired
from polku.service_episodes.forms import PeriodForm
from polku.service_episodes.selectors import placement_get


def _add_errors(form: forms.BaseForm, invalid: services.Invalid) -> None:
    for field, message in invalid.errors.items():
        form.add_error(field if field in form.fields else None, message)


# --------------------------------------------------------------------------- providers


@require_GET
@actor_view
def providers(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.VIEW_CLIENTS)
    listed = list(selectors.provider_list(actor=actor))
    groups = [
        (arrangement, [p for p in listed if p.arrangement == arrangement])
        for arrangement in ProviderArrangement
    ]
    return render(
        request,
        "ktt/providers.html",
        {"groups": groups, "can_manage": actor.can(Capability.MANAGE_PLACEMENTS)},
    )


def _provider_page(
    request: HttpRequest, form: ProviderForm, title: str, conflict: Any = None
) -> HttpResponse:
    return render(
        request, "ktt/provider_form.html", {"form": form, "title": title, **(conflict or {})}
    )


@require_http_methods(["GET", "POST"])
@actor_view
def provider_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLACEMENTS)
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(
                actor=actor,
                data=form.data_object(),
                today=timezone.localdate(),
                now=timezone.now(),
            )
        except services.Invalid as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, _("Tuottaja lisätty."))
            return redirect("ktt:provider_detail", provider_id=provider.pk)
    return _provider_page(request, form, _("Uusi KTT:n tuottaja"))


@require_GET
@actor_view
def provider_detail(request: HttpRequest, actor: Actor, provider_id: int) -> HttpResponse:
    provider = selectors.provider_get(actor=actor, provider_id=provider_id)
    context = {
        "provider": provider,
        "placements": selectors.provider_placements(provider=provider, today=timezone.localdate()),
        "can_manage": actor.can(Capability.MANAGE_PLACEMENTS),
    }
    return render(request, "ktt/provider_detail.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def provider_edit(request: HttpRequest, actor: Actor, provider_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLACEMENTS)
    provider = selectors.provider_get(actor=actor, provider_id=provider_id)
    form = ProviderForm(
        request.POST or None, instance=provider, initial={"version": provider.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(
                actor=actor,
                provider_id=provider.pk,
                version=form.cleaned_data["version"] or 0,
                data=form.data_object(),
                today=timezone.localdate(),
                now=timezone.now(),
            )
        except services.Invalid as invalid:
            _add_errors(form, invalid)
        except services.EditConflict as clash:
            keep_typed(form, clash.current.version)
            conflict = {"conflict": clash.current}
        else:
            messages.success(request, _("Muutokset tallennettu."))
            return redirect("ktt:provider_detail", provider_id=provider.pk)
    title = _("Muokkaa tuottajaa: %(name)s") % {"name": provider.name}
    return _provider_page(request, form, title, conflict)


@require_http_methods(["GET", "POST"])
@actor_view
def placement_provider(request: HttpRequest, actor: Actor, placement_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLACEMENTS)
    placement = placement_get(actor=actor, placement_id=placement_id, today=timezone.localdate())
    form = PlacementProviderForm(request.POST or None, initial={"provider": placement.provider_id})
    form.fields["provider"].queryset = selectors.provider_choices(actor=actor)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        services.placement_provider_set(
            actor=actor,
            placement_id=placement.pk,
            provider_id=form.cleaned_data["provider"].pk,
            now=timezone.now(),
        )
        messages.success(request, _("Työtoimintapaikan tuottaja vaihdettu."))
        return redirect("services:placement_detail", placement_id=placement.pk)
    title = _("Työtoimintapaikan tuottaja: %(name)s") % {"name": placement.name}
    return render(
        request, "ktt/simple_form.html", {"form": form, "title": title, "placement": placement}
    )


# ----------------------------------------------------------- reimbursement allocation


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    default = PeriodForm.previous_month(timezone.localdate())
    form = PeriodForm(request.GET or None, initial=default)
    if request.GET and form.is_valid():
        return form, form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    return form, default["period_start"], default["period_end"]


@require_GET
@actor_view
def allocation(request: HttpRequest, actor: Actor) -> HttpResponse:
    form, start, end = _period(request)
    report = selectors.allocation_report(
        actor=actor, start=start, end=end, today=timezone.localdate()
    )
    return render(
        request,
        "ktt/allocation.html",
        {"form": form, "report": report, "query": request.GET.urlencode()},
    )


def _allocation_file_name(report: selectors.AllocationReport, extension: str) -> str:
    return f"valtionkorvauksen-kohdentaminen-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{extension}"


@require_GET
@actor_view
def allocation_pdf(request: HttpRequest, actor: Actor) -> HttpResponse:
    _form, start, end = _period(request)
    report = selectors.allocation_report(
        actor=actor, start=start, end=end, today=timezone.localdate()
    )
    content = pdf_render(
        "ktt/allocation_pdf.html", {"report": report, "organisation": actor.organisation}
    )
    return download(content, filename=_allocation_file_name(report, "pdf"), mime=PDF_MIME)


@require_GET
@actor_view
def allocation_xlsx(request: HttpRequest, actor: Actor) -> HttpResponse:
    _form, start, end = _period(request)
    report = selectors.allocation_report(
        actor=actor, start=start, end=end, today=timezone.localdate()
    )
    sheet = Sheet(
        title=_("Kohdentaminen"),
        headings=[
            _("Palveluntuottaja"),
            _("Järjestämistapa"),
            _("Työtoimintapaikka"),
            _("Osallistujia"),
            _("Osallistumispäiviä"),
            _("Korvattavia päiviä"),
            _("Valtionkorvaus (€)"),
            _("Sovittu osuus (%)"),
            _("Kohdennetaan yksikölle (€)"),
            _("Jää järjestäjälle (€)"),
        ],
        rows=[
            (
                row.placement.provider.name if row.placement else "",
                row.placement.provider.get_arrangement_display() if row.placement else "",
                row.placement.name if row.placement else _("Ei kirjattua yksikköä"),
                row.line.participants,
                row.line.attended_days,
                row.line.reimbursable_days,
                row.line.reimbursement,
                row.line.share_percent,
                row.line.allocated,
                row.line.retained,
            )
            for row in report.rows
        ],
        totals=(
            _("Yhteensä"),
            "",
            "",
            "",
            "",
            report.reimbursable_days,
            report.reimbursement,
            "",
            report.allocated,
            report.retained,
        ),
    )
    return download(
        xlsx_render([sheet]), filename=_allocation_file_name(report, "xlsx"), mime=XLSX_MIME
    )


# ------------------------------------------------------------------- work evaluations


def _client(actor: Actor, client_id: int, view: str) -> Client:
    return client_selectors.client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view=view
    )


def _evaluation_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "ktt/evaluation_form.html", context)


def _initial_period(request: HttpRequest, contracts: Any) -> dict[str, Any]:
    """The chosen (or latest) contract, from its start to today or its end."""
    chosen = request.GET.get("contract", "")
    contract = contracts.filter(pk=chosen).first() if chosen.isdigit() else contracts.first()
    if contract is None:
        return {}
    last = min(timezone.localdate(), contract.interrupted_on or contract.end)
    return {"contract": contract.pk, "period_start": contract.start, "period_end": last}


@require_http_methods(["GET", "POST"])
@actor_view
def evaluation_create(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.ensure_reachable(actor=actor, client_id=client_id, now=timezone.now())
    policy.require(actor, Capability.WRITE_WORK_EVALUATIONS)
    client = _client(actor, client_id, "ktt:evaluation_create")
    contracts = selectors.evaluable_contracts(client=client)
    form = EvaluationForm(
        request.POST or None, contracts=contracts, initial=_initial_period(request, contracts)
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.work_evaluation_save(
                actor=actor,
                client_id=client.pk,
                contract_id=form.cleaned_data["contract"].pk,
                data=form.data_object(),
                today=timezone.localdate(),
                now=timezone.now(),
            )
        except services.Invalid as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, _("Työarvio tallennettu (versio 1)."))
            return redirect(
                "ktt:evaluation_detail", client_id=client.pk, evaluation_id=evaluation.pk
            )
    return _evaluation_page(
        request,
        {"form": form, "client": client, "title": _("Uusi työarvio"), "contracts": contracts},
    )


@require_http_methods(["GET", "POST"])
@actor_view
def evaluation_edit(
    request: HttpRequest, actor: Actor, client_id: int, evaluation_id: int
) -> HttpResponse:
    policy.ensure_reachable(actor=actor, client_id=client_id, now=timezone.now())
    policy.require(actor, Capability.WRITE_WORK_EVALUATIONS)
    client = _client(actor, client_id, "ktt:evaluation_edit")
    evaluation = selectors.evaluation_get(client=client, evaluation_id=evaluation_id)
    contracts = selectors.evaluable_contracts(client=client)
    form = EvaluationForm(
        request.POST or None,
        instance=evaluation,
        contracts=contracts,
        initial={"version": evaluation.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.work_evaluation_save(
                actor=actor,
                client_id=client.pk,
                contract_id=form.cleaned_data["contract"].pk,
                evaluation_id=evaluation.pk,
                version=form.cleaned_data["version"],
                data=form.data_object(),
                today=timezone.localdate(),
                now=timezone.now(),
            )
        except services.Invalid as invalid:
            _add_errors(form, invalid)
        except services.EditConflict as clash:
            keep_typed(form, clash.current.version)
            conflict = selectors.evaluation_version(evaluation=evaluation, version=None)
        else:
            messages.success(
                request,
                _("Työarvio tallennettu (versio %(version)s).") % {"version": saved.version},
            )
            return redirect(
                "ktt:evaluation_detail", client_id=client.pk, evaluation_id=evaluation.pk
            )
    return _evaluation_page(
        request,
        {
            "form": form,
            "client": client,
            "evaluation": evaluation,
            "conflict": conflict,
            "title": _("Muokkaa työarviota"),
        },
    )


@require_GET
@actor_view
def evaluation_detail(
    request: HttpRequest, actor: Actor, client_id: int, evaluation_id: int
) -> HttpResponse:
    client = _client(actor, client_id, "ktt:evaluation_detail")
    evaluation = selectors.evaluation_get(client=client, evaluation_id=evaluation_id)
    send_form = None
    if actor.can(Capability.MANAGE_REFERRALS):
        send_form = SendForm(initial={"version": evaluation.version})
        send_form.fields["recipient"].queryset = selectors.doctor_recipients(  # type: ignore[attr-defined]
            actor=actor, client=client
        )
    current = selectors.evaluation_version(evaluation=evaluation, version=None)
    context = {
        "client": client,
        "evaluation": evaluation,
        "current": current,
        "sections": selectors.version_sections(version=current),
        "versions": selectors.evaluation_versions(evaluation=evaluation),
        "sendings": selectors.evaluation_sendings(evaluation=evaluation),
        "send_form": send_form,
        "can_write": actor.can(Capability.WRITE_WORK_EVALUATIONS),
    }
    return render(request, "ktt/evaluation_detail.html", context)


def _evaluation_pdf(client: Client, version: Any) -> HttpResponse:
    content = pdf_render(
        "ktt/evaluation_pdf.html",
        {
            "client": client,
            "version": version,
            "sections": selectors.version_sections(version=version),
            "today": timezone.localdate(),
        },
    )
    return download(
        content,
        filename=f"tyoarvio-{version.evaluation_id}-v{version.version}.pdf",
        mime=PDF_MIME,
    )


@require_GET
@actor_view
def evaluation_pdf(
    request: HttpRequest, actor: Actor, client_id: int, evaluation_id: int
) -> HttpResponse:
    client = _client(actor, client_id, "ktt:evaluation_pdf")
    evaluation = selectors.evaluation_get(client=client, evaluation_id=evaluation_id)
    asked = request.GET.get("version", "")
    version = selectors.evaluation_version(
        evaluation=evaluation, version=int(asked) if asked.isdigit() else None
    )
    return _evaluation_pdf(client, version)


@require_POST
@actor_view
def evaluation_send(
    request: HttpRequest, actor: Actor, client_id: int, evaluation_id: int
) -> HttpResponse:
    """Send to the doctor: the consent gate decides, the disclosure log remembers."""
    policy.ensure_reachable(actor=actor, client_id=client_id, now=timezone.now())
    policy.require(actor, Capability.MANAGE_REFERRALS)
    back = redirect("ktt:evaluation_detail", client_id=client_id, evaluation_id=evaluation_id)
    form = SendForm(request.POST)
    form.fields["recipient"].queryset = selectors.sendable_organisations(actor=actor)  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, _("Valitse vastaanottava organisaatio luettelosta."))
        return back
    try:
        sent = services.work_evaluation_send(
            actor=actor,
            client_id=client_id,
            evaluation_id=evaluation_id,
            version=form.cleaned_data["version"],
            recipient_id=form.cleaned_data["recipient"].pk,
            recipient_person=form.cleaned_data["recipient_person"],
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except (ConsentRequired, services.Invalid) as refused:
        messages.error(request, str(refused))
        return back
    except services.EditConflict:
        messages.error(
            request, _("Työarviosta on tallennettu uudempi versio. Tarkista se ennen lähettämistä.")
        )
        return back
    return _evaluation_pdf(sent.evaluation.client, sent)
