from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polku.access import policy
from polku.accounts.decorators import actor_view
from polku.accounts.roles import Actor, Capability
from polku.clients import selectors as client_selectors
from polku.core.documents import PDF_MIME, download, pdf_render
from polku.core.forms import keep_typed
from polku.plans import selectors, services
from polku.plans.forms import (
    InterruptionForm,
    ParticipantForm,
    PlanEditForm,
    PlanForm,
    ReviewForm,
    SignatureForm,
)
from polku.plans.models import Plan, PlanStatus


def _add_errors(form: forms.BaseForm, invalid: services.PlanInvalid) -> None:
    for field, message in invalid.errors.items():
        form.add_error(field if field in form.fields else None, message)


def _plan(actor: Actor, client_id: int, plan_id: int, view: str) -> Plan:
    return selectors.plan_get(
        actor=actor, plan_id=plan_id, client_id=client_id, now=timezone.now(), view=view
    )


def _to_detail(plan_id: int, client_id: int) -> HttpResponse:
    return redirect("plans:detail", client_id=client_id, plan_id=plan_id)


@require_http_methods(["GET", "POST"])
@actor_view
def plan_create(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLANS)
    client = client_selectors.client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view="plans:create"
    )
    initial = {
        "made_on": timezone.localdate(),
        "status": PlanStatus.ACTIVE,
        "plan_type": request.GET.get("type", ""),
    }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=actor,
                client_id=client_id,
                plan_type=form.cleaned_data["plan_type"],
                fields={name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS},
                today=timezone.localdate(),
                now=timezone.now(),
            )
        except services.PlanInvalid as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, _("Suunnitelma tallennettu."))
            return _to_detail(plan.pk, client_id)
    context = {"form": form, "client": client, "title": _("Uusi suunnitelma")}
    return render(request, "plans/form.html", context)


@actor_view
def plan_detail(request: HttpRequest, actor: Actor, client_id: int, plan_id: int) -> HttpResponse:
    today = timezone.localdate()
    plan = _plan(actor, client_id, plan_id, "plans:detail")
    context = {
        "plan": plan,
        "client": plan.client,
        "review": selectors.plan_review_explanation(plan=plan, today=today),
        "can_manage": actor.can(Capability.MANAGE_PLANS),
        "today": today,
    }
    return render(request, "plans/detail.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def plan_edit(request: HttpRequest, actor: Actor, client_id: int, plan_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLANS)
    plan = _plan(actor, client_id, plan_id, "plans:edit")
    form = PlanEditForm(request.POST or None, instance=plan, initial={"version": plan.version})
    conflict: Plan | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(
                actor=actor,
                plan_id=plan_id,
                client_id=client_id,
                version=form.cleaned_data["version"],
                fields={name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS},
                today=timezone.localdate(),
                now=timezone.now(),
            )
        except services.PlanEditConflict as clash:
            conflict = clash.current
            # Keep what was typed; saving again knowingly replaces the newer version.
            keep_typed(form, conflict.version)
            form.add_error(None, str(clash))
        except services.PlanInvalid as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, _("Muutokset tallennettu."))
            return _to_detail(plan_id, client_id)
    context = {
        "form": form,
        "client": plan.client,
        "plan": plan,
        "conflict": conflict,
        "title": _("Muokkaa suunnitelmaa"),
    }
    return render(request, "plans/form.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def plan_review(request: HttpRequest, actor: Actor, client_id: int, plan_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLANS)
    today = timezone.localdate()
    plan = _plan(actor, client_id, plan_id, "plans:review")
    form = ReviewForm(request.POST or None, initial={"reviewed_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_review_record(
                actor=actor,
                plan_id=plan_id,
                client_id=client_id,
                data=services.ReviewData(**form.cleaned_data),
                today=today,
                now=timezone.now(),
            )
        except services.PlanInvalid as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, _("Tarkistus kirjattu."))
            return _to_detail(plan_id, client_id)
    context = {
        "form": form,
        "client": plan.client,
        "plan": plan,
        "review": selectors.plan_review_explanation(plan=plan, today=today),
        "title": _("Kirjaa tarkistus"),
    }
    return render(request, "plans/form.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def plan_interrupt(
    request: HttpRequest, actor: Actor, client_id: int, plan_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLANS)
    today = timezone.localdate()
    plan = _plan(actor, client_id, plan_id, "plans:interrupt")
    form = InterruptionForm(request.POST or None, plan=plan, initial={"decided_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_interrupt(
                actor=actor,
                plan_id=plan_id,
                client_id=client_id,
                data=services.InterruptionData(
                    event_type=data["event_type"],
                    event_start=data["event_start"],
                    decided_on=data["decided_on"],
                    employment_authority_decider_id=data["employment_authority_decider"].pk,
                    wellbeing_county_decider_id=data["wellbeing_county_decider"].pk,
                    hearing_on=data["hearing_on"],
                    hearing_how=data["hearing_how"],
                    hearing_statement=data["hearing_statement"],
                ),
                today=today,
                now=timezone.now(),
            )
        except services.PlanInvalid as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, _("Suunnitelma on kirjattu keskeytyneeksi."))
            return _to_detail(plan_id, client_id)
    context = {
        "form": form,
        "client": plan.client,
        "plan": plan,
        "title": _("Aktivointisuunnitelman keskeytyminen"),
        "interruption": True,
    }
    return render(request, "plans/form.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def participant_add(
    request: HttpRequest, actor: Actor, client_id: int, plan_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLANS)
    plan = _plan(actor, client_id, plan_id, "plans:participant_add")
    form = ParticipantForm(request.POST or None, workers=selectors.participant_workers(actor=actor))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_participant_add(
                actor=actor,
                plan_id=plan_id,
                client_id=client_id,
                data=form.data_object(),
                now=timezone.now(),
            )
        except services.PlanInvalid as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, _("Osallistuja lisätty."))
            return _to_detail(plan_id, client_id)
    context = {
        "form": form,
        "client": plan.client,
        "plan": plan,
        "title": _("Lisää osallistuja"),
    }
    return render(request, "plans/form.html", context)


@require_POST
@actor_view
def participant_remove(
    request: HttpRequest, actor: Actor, client_id: int, plan_id: int, participant_id: int
) -> HttpResponse:
    policy.ensure_reachable(actor=actor, client_id=client_id, now=timezone.now())
    policy.require(actor, Capability.MANAGE_PLANS)
    try:
        services.plan_participant_remove(
            actor=actor,
            plan_id=plan_id,
            client_id=client_id,
            participant_id=participant_id,
            now=timezone.now(),
        )
    except services.PlanInvalid as invalid:
        messages.error(request, str(invalid))
    else:
        messages.success(request, _("Osallistuja poistettu."))
    return _to_detail(plan_id, client_id)


@require_POST
@actor_view
def plan_sign(
    request: HttpRequest, actor: Actor, client_id: int, plan_id: int, participant_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_PLANS)
    if not SignatureForm(request.POST).is_valid():
        messages.error(
            request,
            _("Allekirjoitusta ei kirjattu: rastita ensin, että osallistuja on allekirjoittanut."),
        )
        return _to_detail(plan_id, client_id)
    try:
        services.plan_sign(
            actor=actor,
            plan_id=plan_id,
            client_id=client_id,
            participant_id=participant_id,
            signed_on=timezone.localdate(),
            now=timezone.now(),
        )
    except services.PlanInvalid as invalid:
        messages.error(request, str(invalid))
    else:
        messages.success(request, _("Allekirjoitus kirjattu."))
    return _to_detail(plan_id, client_id)


@actor_view
def plan_print(request: HttpRequest, actor: Actor, client_id: int, plan_id: int) -> HttpResponse:
    """The plan as a tagged PDF (SPEC C10 standard forms: the coaching plan)."""
    plan = _plan(actor, client_id, plan_id, "plans:print")
    content = pdf_render("plans/print.html", {"plan": plan, "client": plan.client})
    return download(content, filename=f"suunnitelma-{plan.pk}.pdf", mime=PDF_MIME)
