from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.reports.models import FollowUp, QuestionnaireKind
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
