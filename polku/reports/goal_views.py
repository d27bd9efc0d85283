"""Goals with yearly targets, entered figures and partner agreements (SPEC C8).

Everyone with the report right sees them; managers (``MANAGE_GOALS``) keep them.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.access import policy
from polku.accounts.decorators import actor_view
from polku.accounts.roles import Actor, Capability
from polku.core.forms import keep_typed
from polku.reports import goal_selectors, services
from polku.reports.forms import (
    AgreementForm,
    EvaluationForm,
    FigureForm,
    GoalForm,
    TargetForm,
    YearForm,
)
from polku.reports.models import Goal

FORM_TEMPLATE = "reports/edit_form.html"


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET)
    return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year


def _back(name: str, year: int) -> str:
    return f"{reverse(name)}?year={year}"


def _saved_rows(form: forms.Form, saved: Any) -> list[tuple[str, Any]]:
    """The saved version's values as the form shows them, for the conflict notice."""
    values = type(form).initial_of(saved)  # type: ignore[attr-defined]
    rows = []
    for field in form.visible_fields():
        value = values.get(field.name)
        if isinstance(value, list):
            value = "\n".join(value)
        elif isinstance(field.field, forms.ChoiceField):
            choices: Any = field.field.choices  # flat (value, label) pairs on these forms
            value = dict(choices).get(value, value)
        rows.append((str(field.label), value))
    return rows


def _saved(request: HttpRequest, form: forms.Form, save: Callable[[], object], done: str) -> bool:
    """Run ``save``; on a conflict keep what was typed and list the saved version."""
    try:
        save()
    except services.EditConflict as clash:
        # Keep what was typed; saving again knowingly replaces the newer version.
        keep_typed(form, clash.current.version)
        form.add_error(None, str(clash))
        form.conflict_rows = _saved_rows(form, clash.current)  # type: ignore[attr-defined]
        return False
    except services.InvalidInput as invalid:
        form.add_error(invalid.field if invalid.field in form.fields else None, str(invalid))
        return False
    messages.success(request, done)
    return True


def _form_page(request: HttpRequest, form: forms.Form, title: str, back: str) -> HttpResponse:
    """The shared form page, with the saved version listed after a conflict."""
    context = {
        "form": form,
        "title": title,
        "back": back,
        "conflict_rows": getattr(form, "conflict_rows", None),
    }
    return render(request, FORM_TEMPLATE, context)


# --- goals and targets ---------------------------------------------------------------------


def _goal_data(form: GoalForm) -> services.GoalData:
    return services.GoalData(
        **{name: form.cleaned_data[name] for name in ("title", "measures", "order")}
    )


@require_GET
@actor_view
def goals(request: HttpRequest, actor: Actor) -> HttpResponse:
    year = _year(request)
    page = goal_selectors.goals_page(actor=actor, year=year, today=timezone.localdate())
    context = {
        "page": page,
        "year_form": YearForm(initial={"year": year}),
        "can_manage": actor.can(Capability.MANAGE_GOALS),
    }
    return render(request, "reports/goals.html", context)


@require_http_methods(["GET", "POST"])
@actor_view
def goal_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_GOALS)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        save = partial(services.goal_create, actor=actor, data=_goal_data(form), now=timezone.now())
        if _saved(request, form, save, _("Tavoite lisätty.")):
            return redirect("monitoring:goals")
    return _form_page(request, form, _("Uusi tavoite"), reverse("monitoring:goals"))


@require_http_methods(["GET", "POST"])
@actor_view
def goal_edit(request: HttpRequest, actor: Actor, goal_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_GOALS)
    goal = goal_selectors.goal_get(actor=actor, goal_id=goal_id)
    initial = {**GoalForm.initial_of(goal), "version": goal.version}
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        save = partial(
            services.goal_update,
            actor=actor,
            goal_id=goal.pk,
            version=form.cleaned_data["version"] or 0,
            data=_goal_data(form),
            now=timezone.now(),
        )
        if _saved(request, form, save, _("Muutokset tallennettu.")):
            return redirect("monitoring:goals")
    return _form_page(request, form, _("Muokkaa tavoitetta"), reverse("monitoring:goals"))


def _target_form(request: HttpRequest, actor: Actor, initial: dict[str, Any]) -> TargetForm:
    values = goal_selectors.year_so_far(
        organisation_id=actor.organisation.pk,
        year=initial["year"],
        today=timezone.localdate(),
    )
    choices = goal_selectors.indicator_choices(values)
    return TargetForm(request.POST or None, initial=initial, indicators=choices)


def _target_save(
    request: HttpRequest, actor: Actor, form: TargetForm, goal: Goal, target_id: int | None
) -> HttpResponse | None:
    if not (request.method == "POST" and form.is_valid()):
        return None
    save = partial(
        services.target_set,
        actor=actor,
        goal_id=goal.pk,
        target_id=target_id,
        now=timezone.now(),
        **form.cleaned_data,
    )
    if not _saved(request, form, save, _("Tavoitearvo tallennettu.")):
        return None
    return redirect(_back("monitoring:goals", form.cleaned_data["year"]))


@require_http_methods(["GET", "POST"])
@actor_view
def target_create(request: HttpRequest, actor: Actor, goal_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_GOALS)
    goal = goal_selectors.goal_get(actor=actor, goal_id=goal_id)
    form = _target_form(request, actor, {"year": _year(request)})
    done = _target_save(request, actor, form, goal, None)
    title = _("Uusi tavoitearvo: %(goal)s") % {"goal": goal.title}
    return done or _form_page(request, form, title, reverse("monitoring:goals"))


@require_http_methods(["GET", "POST"])
@actor_view
def target_edit(request: HttpRequest, actor: Actor, target_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_GOALS)
    target = goal_selectors.target_get(actor=actor, target_id=target_id)
    initial = {**TargetForm.initial_of(target), "version": target.version}
    form = _target_form(request, actor, initial)
    done = _target_save(request, actor, form, target.goal, target.pk)
    title = _("Muokkaa tavoitearvoa: %(goal)s") % {"goal": target.goal.title}
    return done or _form_page(request, form, title, _back("monitoring:goals", target.year))


# --- entered figures -------------------------------------------------------------------------


@require_GET
@actor_view
def figures(request: HttpRequest, actor: Actor) -> HttpResponse:
    year = _year(request)
    context = {
        "year": year,
        "figures": goal_selectors.figures_of_year(actor=actor, year=year),
        "year_form": YearForm(initial={"year": year}),
        "can_manage": actor.can(Capability.MANAGE_GOALS),
    }
    return render(request, "reports/figures.html", context)


def _figure_page(
    request: HttpRequest, actor: Actor, form: FigureForm, figure_id: int | None, title: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        save = partial(
            services.figure_set,
            actor=actor,
            figure_id=figure_id,
            now=timezone.now(),
            **form.cleaned_data,
        )
        if _saved(request, form, save, _("Luku tallennettu.")):
            return redirect(_back("monitoring:figures", form.cleaned_data["month"].year))
    return _form_page(request, form, title, reverse("monitoring:figures"))


@require_http_methods(["GET", "POST"])
@actor_view
def figure_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_GOALS)
    form = FigureForm(request.POST or None)
    return _figure_page(request, actor, form, None, _("Uusi seurantaluku"))


@require_http_methods(["GET", "POST"])
@actor_view
def figure_edit(request: HttpRequest, actor: Actor, figure_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_GOALS)
    figure = goal_selectors.figure_get(actor=actor, figure_id=figure_id)
    initial = {**FigureForm.initial_of(figure), "version": figure.version}
    form = FigureForm(request.POST or None, initial=initial)
    return _figure_page(request, actor, form, figure.pk, _("Muokkaa seurantalukua"))


# --- partner agreements ----------------------------------------------------------------------


@require_GET
@actor_view
def partners(request: HttpRequest, actor: Actor) -> HttpResponse:
    year = _year(request)
    context = {
        "year": year,
        "agreements": goal_selectors.agreements_of(actor=actor, year=year),
        "year_form": YearForm(initial={"year": year}),
        "can_manage": actor.can(Capability.MANAGE_GOALS),
    }
    return render(request, "reports/partners.html", context)


def _agreement_data(form: AgreementForm) -> services.AgreementData:
    fields = ("partner", "year", "signed_on", "contact", "goals", "status")
    return services.AgreementData(**{name: form.cleaned_data[name] for name in fields})


@require_http_methods(["GET", "POST"])
@actor_view
def partner_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_GOALS)
    form = AgreementForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        save = partial(
            services.agreement_create, actor=actor, data=_agreement_data(form), now=timezone.now()
        )
        if _saved(request, form, save, _("Aiesopimus lisätty.")):
            return redirect(_back("monitoring:partners", form.cleaned_data["year"]))
    return _form_page(request, form, _("Uusi aiesopimus"), reverse("monitoring:partners"))


@require_http_methods(["GET", "POST"])
@actor_view
def partner_edit(request: HttpRequest, actor: Actor, agreement_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_GOALS)
    agreement = goal_selectors.agreement_get(actor=actor, agreement_id=agreement_id)
    initial = {**AgreementForm.initial_of(agreement), "version": agreement.version}
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        save = partial(
            services.agreement_update,
            actor=actor,
            agreement_id=agreement.pk,
            version=form.cleaned_data["version"] or 0,
            data=_agreement_data(form),
            now=timezone.now(),
        )
        if _saved(request, form, save, _("Muutokset tallennettu.")):
            return redirect(_back("monitoring:partners", form.cleaned_data["year"]))
    title = _("Muokkaa aiesopimusta: %(partner)s") % {"partner": agreement.partner}
    return _form_page(request, form, title, _back("monitoring:partners", agreement.year))


@require_http_methods(["GET", "POST"])
@actor_view
def partner_evaluate(request: HttpRequest, actor: Actor, agreement_id: int) -> HttpResponse:
    policy.require(actor, Capability.MANAGE_GOALS)
    agreement = goal_selectors.agreement_get(actor=actor, agreement_id=agreement_id)
    initial = {**EvaluationForm.initial_of(agreement), "version": agreement.version}
    form = EvaluationForm(
        request.POST or None, initial=initial, goals=list(agreement.agreed_goals.all())
    )
    if request.method == "POST" and form.is_valid():
        save = partial(
            services.agreement_evaluate,
            actor=actor,
            agreement_id=agreement.pk,
            version=form.cleaned_data["version"] or 0,
            goals=form.goal_evaluations(),
            evaluation=form.cleaned_data["evaluation"],
            today=timezone.localdate(),
            now=timezone.now(),
        )
        if _saved(request, form, save, _("Arvio tallennettu.")):
            return redirect(_back("monitoring:partners", agreement.year))
    title = _("Arvioi aiesopimus: %(partner)s %(year)s") % {
        "partner": agreement.partner,
        "year": agreement.year,
    }
    back = _back("monitoring:partners", agreement.year)
    return _form_page(request, form, title, back)
