from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.clients.forms import DateInput
from polku.reports.models import (
    AgreementGoal,
    EnteredFigure,
    FollowUp,
    Goal,
    PartnerAgreement,
    QuestionnaireKind,
    Target,
)
from polku.reports.services import GoalEvaluation
from polku.service_episodes.models import Outcome


class TeamWorklistForm(forms.Form):
    worker = forms.ModelChoiceField(
        label=_("Työntekijä"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Koko tiimi"),
    )


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kysely"), choices=QuestionnaireKind.choices)
    plain_language = forms.BooleanField(label=_("Selkokielinen versio"), required=False)


def answers_form(questions: list[dict[str, str]], *, plain: bool, data: Any = None) -> forms.Form:
    """A form with one 1–5 radio group per question, in the chosen language variant."""
    form = forms.Form(data)
    for question in questions:
        form.fields[question["key"]] = forms.TypedChoiceField(
            label=question["plain"] if plain else question["text"],
            choices=ANSWER_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
        )
    return form


ANSWER_CHOICES = [
    (1, _("1 – täysin eri mieltä")),
    (2, _("2")),
    (3, _("3")),
    (4, _("4")),
    (5, _("5 – täysin samaa mieltä")),
]


class FollowUpForm(forms.Form):
    episode = forms.TypedChoiceField(label=_("Päättynyt palvelu"), coerce=int, choices=[])
    months = forms.TypedChoiceField(
        label=_("Seuranta"), coerce=int, choices=FollowUp.Months.choices
    )
    situation = forms.ChoiceField(label=_("Tilanne"), choices=Outcome.choices)


class LinesField(forms.CharField):
    """One item a line (measures, agreed goals), kept as a list of sentences."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


class MonthField(forms.DateField):
    """A calendar month typed as YYYY-MM (the browser's month picker); the first day."""

    widget = MonthInput
    input_formats = ["%Y-%m"]
    default_error_messages = {"invalid": _("Anna kuukausi muodossa vvvv-kk, esimerkiksi 2026-10.")}


def _version_field() -> forms.IntegerField:
    """The version the form was opened at; a newer saved version is a conflict."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Vuosi"), min_value=2000, max_value=2100)


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Tavoite"), max_length=200)
    measures = LinesField(
        label=_("Keinot"), required=False, help_text=_("Yksi keino kullekin riville.")
    )
    order = forms.IntegerField(label=_("Järjestys"), min_value=0, max_value=999, initial=0)
    version = _version_field()

    @staticmethod
    def initial_of(goal: Goal) -> dict[str, Any]:
        return {"title": goal.title, "measures": goal.measures, "order": goal.order}


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Mittari"))
    year = forms.IntegerField(label=_("Vuosi"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("Tavoitearvo"), max_digits=12, decimal_places=2)
    version = _version_field()

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicators  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(target: Target) -> dict[str, Any]:
        return {"indicator": target.indicator, "year": target.year, "value": target.value}


class FigureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Luku"), choices=EnteredFigure.Kind.choices)
    month = MonthField(label=_("Kuukausi"))
    unit = forms.CharField(
        label=_("Työpajayksikkö"),
        max_length=100,
        required=False,
        help_text=_("Talousarviolle ja toteumalle; työttömyysprosentille jätetään tyhjäksi."),
    )
    value = forms.DecimalField(
        label=_("Arvo"), max_digits=12, decimal_places=2, min_value=Decimal(0)
    )
    version = _version_field()

    @staticmethod
    def initial_of(figure: EnteredFigure) -> dict[str, Any]:
        return {
            "kind": figure.kind,
            "month": figure.month,
            "unit": figure.unit,
            "value": figure.value,
        }


class AgreementForm(forms.Form):
    partner = forms.CharField(label=_("Yhteistyötaho"), max_length=200)
    year = forms.IntegerField(label=_("Sopimusvuosi"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("Tila"), choices=PartnerAgreement.Status.choices)
    signed_on = forms.DateField(label=_("Allekirjoitettu"), required=False, widget=DateInput())
    contact = forms.CharField(label=_("Yhteyshenkilö"), max_length=200, required=False)
    goals = LinesField(label=_("Sovitut tavoitteet"), help_text=_("Yksi tavoite kullekin riville."))
    version = _version_field()

    @staticmethod
    def initial_of(agreement: PartnerAgreement) -> dict[str, Any]:
        return {
            "partner": agreement.partner,
            "year": agreement.year,
            "status": agreement.status,
            "signed_on": agreement.signed_on,
            "contact": agreement.contact,
            "goals": agreement.goals,
        }


class EvaluationForm(forms.Form):
    """The evaluation at the next round: each agreed goal's result and text, and a summary."""

    evaluation = forms.CharField(
        label=_("Yhteenveto"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Mitä yhteistyöstä opittiin; mitä sovitaan seuraavalle kierrokselle."),
    )
    version = _version_field()

    def __init__(self, *args: Any, goals: list[AgreementGoal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        fields: dict[str, forms.Field] = {}
        for number, goal in enumerate(goals, start=1):
            heading = _("Tavoite %(number)s: %(goal)s") % {"number": number, "goal": goal.text}
            fields[f"goal_{goal.pk}_achieved"] = forms.ChoiceField(
                label=_("%(goal)s – toteutuminen") % {"goal": heading},
                choices=[("", _("Valitse")), *PartnerAgreement.Achieved.choices],
            )
            fields[f"goal_{goal.pk}_evaluation"] = forms.CharField(
                label=_("%(goal)s – arvio") % {"goal": heading},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
        self.fields = {**fields, **self.fields}

    @staticmethod
    def initial_of(agreement: PartnerAgreement) -> dict[str, Any]:
        initial: dict[str, Any] = {"evaluation": agreement.evaluation}
        for goal in agreement.agreed_goals.all():
            initial[f"goal_{goal.pk}_achieved"] = goal.achieved
            initial[f"goal_{goal.pk}_evaluation"] = goal.evaluation
        return initial

    def goal_evaluations(self) -> list[GoalEvaluation]:
        return [
            GoalEvaluation(
                goal_id=goal.pk,
                achieved=self.cleaned_data[f"goal_{goal.pk}_achieved"],
                evaluation=self.cleaned_data[f"goal_{goal.pk}_evaluation"],
            )
            for goal in self.goals
        ]


class CloseMonthForm(forms.Form):
    month = MonthField(label=_("Kuukausi"))
