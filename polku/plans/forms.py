from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.clients.forms import DateInput
from polku.core.choices import ContactChannel
from polku.plans.models import Interruption, Participant, Party, Plan, Review
from polku.plans.services import EDITABLE_FIELDS, FORM_STATUSES, ParticipantData


def _use_date_inputs(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()


class PlanForm(forms.ModelForm[Plan]):
    class Meta:
        model = Plan
        fields: tuple[str, ...] = ("plan_type", *EDITABLE_FIELDS)
        widgets = {
            "agreed_services": forms.Textarea(attrs={"rows": 4}),
            "client_tasks": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "assessment_period_ends_on": _(
                "Vain TYP-kartoitusjaksolle. Laki ei määrää jakson pituutta: päivä kirjataan."
            ),
            "applications_per_month": _("Esimerkiksi tavallisesti 4, alennettu 1."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_date_inputs(self)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (status.value, status.label) for status in FORM_STATUSES
        ]


class PlanEditForm(PlanForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(PlanForm.Meta):
        fields = EDITABLE_FIELDS


class ParticipantForm(forms.Form):
    """A worker of the organisation, or an outside participant by name and organisation."""

    user = forms.ModelChoiceField(
        label=_("Oman organisaation työntekijä"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Osallistuminen voimassa olevaan suunnitelmaan antaa asiakassuhteen."),
    )
    party = forms.ChoiceField(
        label=_("Ulkopuolisen osallistujan osapuoli"),
        choices=[("", "—"), *Party.choices],
        required=False,
    )
    name = forms.CharField(label=_("Nimi"), max_length=200, required=False)
    organisation_name = forms.CharField(label=_("Organisaatio"), max_length=200, required=False)
    role = forms.CharField(label=_("Rooli"), max_length=200, required=False)

    def __init__(self, *args: Any, workers: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if workers is not None:
            self.fields["user"].queryset = workers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("user") is None:
            if not cleaned.get("name", "").strip():
                self.add_error(
                    "name", _("Valitse työntekijä tai kirjoita ulkopuolisen osallistujan nimi.")
                )
            if not cleaned.get("party"):
                self.add_error("party", _("Valitse ulkopuolisen osallistujan osapuoli."))
        return cleaned

    def data_object(self) -> ParticipantData:
        data = self.cleaned_data
        if data["user"] is not None:
            return ParticipantData(user_id=data["user"].pk, role=data["role"])
        return ParticipantData(
            party=data["party"],
            name=data["name"],
            organisation_name=data["organisation_name"],
            role=data["role"],
        )


class ReviewForm(forms.ModelForm[Review]):
    next_review_requested = forms.DateField(
        label=_("Seuraava tarkistus aikaisemmin"),
        required=False,
        help_text=_("Jätä tyhjäksi, niin seuraava tarkistus lasketaan laista."),
    )

    class Meta:
        model = Review
        fields = ("reviewed_on", "held_how", "participants", "notes", "outcome")
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_date_inputs(self)


class InterruptionForm(forms.Form):
    event_type = forms.ChoiceField(
        label=_("Mitä henkilö aloitti"), choices=Interruption.Event.choices
    )
    event_start = forms.DateField(label=_("Alkoi"))
    hearing_on = forms.DateField(label=_("Kuultu"), required=False)
    hearing_how = forms.ChoiceField(
        label=_("Kuulemistapa"), required=False, choices=[("", "—"), *ContactChannel.choices]
    )
    hearing_statement = forms.CharField(
        label=_("Mitä henkilö kertoi kuulemisessa"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decided_on = forms.DateField(label=_("Päätöspäivä"))
    employment_authority_decider = forms.ModelChoiceField(
        label=_("Päättäjä, työvoimaviranomainen"), queryset=Participant.objects.none()
    )
    wellbeing_county_decider = forms.ModelChoiceField(
        label=_("Päättäjä, hyvinvointialue"), queryset=Participant.objects.none()
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_date_inputs(self)
        participants = plan.participants.all()
        for name in ("employment_authority_decider", "wellbeing_county_decider"):
            self.fields[name].queryset = participants  # type: ignore[attr-defined]


class SignatureForm(forms.Form):
    """Recording a signature asks first: a ticked box, so a stray click records nothing."""

    confirmed = forms.BooleanField(label=_("Osallistuja on allekirjoittanut suunnitelman"))
