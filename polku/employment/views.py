from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polku.access import policy
from polku.accounts.decorators import actor_view
from polku.accounts.roles import Actor, Capability
from polku.clients import selectors as client_selectors
from polku.clients.models import Client
from polku.core.forms import keep_typed
from polku.employment import engine, exports, selectors, services
from polku.employment.forms import (
    BudgetForm,
    ContactForm,
    EmployerForm,
    NoticeForm,
    ObligationStepsForm,
    SubsidyDecisionForm,
    SubsidyForm,
    year_choice,
)
from polku.employment.models import Employer
from polku.exports.registry import no_progress
from polku.service_episodes.forms import PeriodForm  # the same claim period as KTT claims


def _limit(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    form.fields[name].queryset = queryset  # type: ignore[attr-defined]


def _client(actor: Actor, client_id: int, view: str) -> Client:
    return client_selectors.client_get(
        actor=actor, client_id=client_id, now=timezone.now(), view=view
    )


def _form_page(
    request: HttpRequest, form: object, title: str, client: Client | None = None, **extra: object
) -> HttpResponse:
    return render(
        request,
        "employment/form.html",
        {"form": form, "title": title, "client": client, **extra},
    )


# ---------------------------------------------------------------- overview


@actor_view
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.VIEW_CLIENTS)
    now = timezone.now()
    today = timezone.localdate()
    context = {
        "cases": selectors.open_obligations(actor=actor, now=now, view="employment:index"),
        "subsidies": selectors.current_subsidies(
            actor=actor, today=today, now=now, view="employment:index"
        ),
        "today": today,
    }
    return render(request, "employment/index.html", context)


# ---------------------------------------------------------------- employers


@actor_view
def employer_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.VIEW_CLIENTS)
    return render(
        request,
        "employment/employer_list.html",
        {"employers": selectors.employer_list(actor=actor)},
    )


@require_http_methods(["GET", "POST"])
@actor_view
def employer_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_EMPLOYERS)
    form = EmployerForm(request.POST or None)
    del form.fields["version"]
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(
                actor=actor, data=services.EmployerData(**form.cleaned_data), now=timezone.now()
            )
        except ValueError as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, _("Työnantaja lisätty."))
            return redirect("employment:employer_detail", employer_id=employer.pk)
    return _form_page(request, form, _("Uusi työnantaja"))


@actor_view
def employer_detail(request: HttpRequest, actor: Actor, employer_id: int) -> HttpResponse:
    policy.require(actor, Capability.VIEW_CLIENTS)
    employer = selectors.employer_get(actor=actor, employer_id=employer_id)
    context = {
        "employer": employer,
        "contacts": list(employer.contacts.all()),
        "jobs": selectors.employer_jobs(employer=employer),
        "contact_form": ContactForm(),
    }
    return render(request, "employment/employer_detail.html", context)


def _employer_values(employer: Employer) -> dict[str, Any]:
    return {name: getattr(employer, name) for name in (*services.EMPLOYER_FIELDS, "version")}


@require_http_methods(["GET", "POST"])
@actor_view
def employer_edit(request: HttpRequest, actor: Actor, employer_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_EMPLOYERS)
    employer = selectors.employer_get(actor=actor, employer_id=employer_id)
    form = EmployerForm(request.POST or None, initial=_employer_values(employer))
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            services.employer_update(
                actor=actor,
                employer_id=employer.pk,
                version=version,
                data=services.EmployerData(**data),
                now=timezone.now(),
            )
        except services.EditConflict as clash:
            conflict = clash.current
            form.add_error(None, str(clash))
            # Keep what was typed; saving again knowingly replaces the newer version.
            keep_typed(form, conflict.version)
        else:
            messages.success(request, _("Työnantajan tiedot tallennettu."))
            return redirect("employment:employer_detail", employer_id=employer.pk)
    return _form_page(request, form, _("Muokkaa työnantajaa"), employer_conflict=conflict)


@require_POST
@actor_view
def contact_add(request: HttpRequest, actor: Actor, employer_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_EMPLOYERS)
    form = ContactForm(request.POST)
    if form.is_valid():
        services.employer_contact_add(
            actor=actor, employer_id=employer_id, now=timezone.now(), **form.cleaned_data
        )
        messages.success(request, _("Yhteyshenkilö lisätty."))
    else:
        messages.error(request, _("Tarkista yhteyshenkilön tiedot."))
    return redirect("employment:employer_detail", employer_id=employer_id)


# ---------------------------------------------------------------- client level


@actor_view
def client_employment(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    client = _client(actor, client_id, "employment:client")
    context = {
        "client": client,
        "cases": selectors.client_obligations(client=client),
        "subsidies": selectors.client_subsidies(client=client),
    }
    return render(request, "employment/client.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def obligation_create(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_EMPLOYMENT)
    client = _client(actor, client_id, "employment:obligation_create")
    form = NoticeForm(request.POST or None, initial={"notice_received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        case = services.obligation_record(
            actor=actor, client_id=client.pk, now=timezone.now(), **form.cleaned_data
        )
        if case.status == case.Status.REFUSED:
            messages.warning(request, _("Työllistämisvelvoitetta ei synny. Perustelut alla."))
        else:
            messages.success(request, _("Ilmoitus kirjattu."))
        return redirect("employment:obligation_detail", client_id=client.pk, case_id=case.pk)
    return _form_page(request, form, _("TE-toimiston ilmoitus työllistämisvelvoitteesta"), client)


@actor_view
def obligation_detail(
    request: HttpRequest, actor: Actor, client_id: int, case_id: int
) -> HttpResponse:
    client = _client(actor, client_id, "employment:obligation_detail")
    case = selectors.obligation_get(client=client, case_id=case_id)
    today = timezone.localdate()
    context = {
        "client": client,
        "case": case,
        "answer": selectors.obligation_answer(case=case, birth_date=client.birth_date, today=today),
        "days_left": (case.job_must_start_by - today).days if case.job_must_start_by else None,
        "subsidies": selectors.case_subsidies(case=case),
    }
    return render(request, "employment/obligation_detail.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def obligation_edit(
    request: HttpRequest, actor: Actor, client_id: int, case_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_EMPLOYMENT)
    client = _client(actor, client_id, "employment:obligation_edit")
    case = selectors.obligation_get(client=client, case_id=case_id)
    form = ObligationStepsForm(request.POST or None, initial=ObligationStepsForm.initial_for(case))
    _limit(form, "employer", selectors.employer_choices(actor=actor, municipal_only=True))
    conflict = None
    if request.method == "POST" and form.is_valid():
        steps = dict(form.cleaned_data)
        version = steps.pop("version")
        employer = steps.pop("employer")
        steps["employer_id"] = employer.pk if employer else None
        try:
            services.obligation_update(
                actor=actor,
                client_id=client.pk,
                case_id=case.pk,
                version=version,
                steps=steps,
                now=timezone.now(),
            )
        except services.EditConflict as clash:
            conflict = clash.current
            form.add_error(None, str(clash))
            # Keep what was typed; saving again knowingly replaces the newer version.
            keep_typed(form, conflict.version)
        except ValueError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Vaiheet tallennettu."))
            return redirect("employment:obligation_detail", client_id=client.pk, case_id=case.pk)
    return _form_page(
        request, form, _("Työllistämisvelvoitteen vaiheet"), client, case_conflict=conflict
    )


@require_http_methods(["GET", "POST"])
@actor_view
def subsidy_create(request: HttpRequest, actor: Actor, client_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_EMPLOYMENT)
    client = _client(actor, client_id, "employment:subsidy_create")
    today = timezone.localdate()
    form = SubsidyForm(request.POST or None, initial={"applied_on": today})
    _limit(form, "employer", selectors.employer_choices(actor=actor))
    case_id = request.GET.get("case")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        employer = data.pop("employer")
        try:
            subsidy = services.subsidy_apply(
                actor=actor,
                client_id=client.pk,
                data=services.SubsidyData(
                    employer_id=employer.pk,
                    obligated_employment_id=int(case_id) if case_id and case_id.isdigit() else None,
                    **data,
                ),
                now=timezone.now(),
            )
        except ValueError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Palkkatukihakemus kirjattu."))
            return redirect("employment:subsidy_detail", client_id=client.pk, subsidy_id=subsidy.pk)
    return _form_page(request, form, _("Palkkatukihakemus"), client)


@actor_view
def subsidy_detail(
    request: HttpRequest, actor: Actor, client_id: int, subsidy_id: int
) -> HttpResponse:
    client = _client(actor, client_id, "employment:subsidy_detail")
    subsidy = selectors.subsidy_get(client=client, subsidy_id=subsidy_id)
    today = timezone.localdate()
    context = {
        "client": client,
        "subsidy": subsidy,
        "answer": selectors.subsidy_answer(subsidy=subsidy, today=today),
        "period_end": engine.subsidy_period_end(subsidy),
        "months": engine.subsidy_months(subsidy, subsidy.start, subsidy.end),
        "decision_form": SubsidyDecisionForm(
            initial={"decision_on": today, "version": subsidy.version}
        ),
    }
    return render(request, "employment/subsidy_detail.html", context)


@require_POST
@actor_view
def subsidy_decide(
    request: HttpRequest, actor: Actor, client_id: int, subsidy_id: int
) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_EMPLOYMENT)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=timezone.now())
    form = SubsidyDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tarkista päätöksen tiedot."))
    else:
        try:
            services.subsidy_decide(
                actor=actor,
                client_id=client_id,
                subsidy_id=subsidy_id,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except services.EditConflict as clash:
            messages.error(request, str(clash))
        else:
            messages.success(request, _("Päätös kirjattu."))
    return redirect("employment:subsidy_detail", client_id=client_id, subsidy_id=subsidy_id)


# ---------------------------------------------------------------- claims and budget


@require_http_methods(["GET", "POST"])
@actor_view
def claim_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_CLAIMS)
    form = PeriodForm(request.POST or None, initial=PeriodForm.previous_month(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create(actor=actor, now=timezone.now(), **form.cleaned_data)
        except ValueError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Maksatushakemus laadittu."))
            return redirect("employment:claim_detail", claim_id=claim.pk)
    return render(
        request,
        "employment/claim_list.html",
        {"form": form, "claims": selectors.claim_list(actor=actor)},
    )


@actor_view
def claim_detail(request: HttpRequest, actor: Actor, claim_id: int) -> HttpResponse:
    claim, lines = exports.claim_of(actor, claim_id, "employment:claim_detail")
    return render(request, "employment/claim_detail.html", {"claim": claim, "lines": lines})


@actor_view
def claim_pdf(request: HttpRequest, actor: Actor, claim_id: int) -> HttpResponse:
    params = {"claim": str(claim_id)}
    return exports.pay_subsidy_claim_pdf(actor, params, no_progress).response()


@actor_view
def claim_xlsx(request: HttpRequest, actor: Actor, claim_id: int) -> HttpResponse:
    params = {"claim": str(claim_id)}
    return exports.pay_subsidy_claim_xlsx(actor, params, no_progress).response()


@actor_view
def budget(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.VIEW_COSTS)
    today = timezone.localdate()
    year = year_choice(request.GET.get("year"), today)
    follow_up = selectors.budget_follow_up(actor=actor, year=year)
    form = BudgetForm(
        initial={"year": year, "amount": follow_up.budget.amount if follow_up.budget else None}
    )
    context = {
        "follow_up": follow_up,
        "form": form,
        "years": range(today.year - 3, today.year + 2),
        "can_set": actor.can(Capability.MANAGE_CLAIMS),
    }
    return render(request, "employment/budget.html", context)


@require_POST
@actor_view
def budget_set(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_CLAIMS)
    form = BudgetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tarkista vuosi ja summa."))
        return redirect("employment:budget")
    services.budget_set(actor=actor, now=timezone.now(), **form.cleaned_data)
    messages.success(request, _("Talousarvio tallennettu."))
    return redirect(f"{reverse('employment:budget')}?year={form.cleaned_data['year']}")
