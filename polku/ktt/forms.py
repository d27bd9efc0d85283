from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation
from polku.clients.forms import DateInput
from polku.ktt.models import KttProvider, WorkEvaluation
from polku.ktt.services import EvaluationData, ProviderData
from polku.service_episodes.models import KttContract
from polku.service_episodes.selectors import format_day


def _date_inputs(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()


class ProviderForm(forms.ModelForm[KttProvider]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = KttProvider
        fields: tuple[str, ...] = tuple(ProviderData.__dataclass_fields__)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "scope": _("Yritys voi tuottaa vain tukea ja ohjausta, ei työtoimintaa."),
            "reimbursement_share": _(
                "Kunnassa sovittu osuus valtionkorvauksesta (10,09 €/päivä), joka kohdennetaan "
                "tuottajan työtoimintapaikoille. Yhteistyösopimuksessa 0 %: raha ei liiku."
            ),
            "notes": _(
                "Esimerkiksi yhteistyösopimuksen työnjako: kunta antaa työympäristön, "
                "hyvinvointialue tuen."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _date_inputs(self)
        self.fields["reimbursement_share"].widget.attrs.update({"min": 0, "max": 100})

    def validate_unique(self) -> None:
        """The service checks the name within the organisation (the form has no organisation)."""

    def data_object(self) -> ProviderData:
        return ProviderData(
            **{name: self.cleaned_data[name] for name in ProviderData.__dataclass_fields__}
        )


class PlacementProviderForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Palveluntuottaja"), queryset=KttProvider.objects.none()
    )


class EvaluationForm(forms.ModelForm[WorkEvaluation]):
    contract = forms.ModelChoiceField(label=_("KTT-sopimus"), queryset=KttContract.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = WorkEvaluation
        fields: tuple[str, ...] = ("contract", *EvaluationData.__dataclass_fields__)
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in EvaluationData.__dataclass_fields__
            if "period" not in name
        }

    def __init__(self, *args: Any, contracts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _date_inputs(self)
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]
        self.fields["contract"].label_from_instance = _contract_label  # type: ignore[attr-defined]

    def data_object(self) -> EvaluationData:
        return EvaluationData(
            **{name: self.cleaned_data[name] for name in EvaluationData.__dataclass_fields__}
        )


def _contract_label(contract: KttContract) -> str:
    return f"{contract.placement.name} {format_day(contract.start)}–{format_day(contract.end)}"


class SendForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Vastaanottava organisaatio"), queryset=Organisation.objects.none()
    )
    recipient_person = forms.CharField(
        label=_("Vastaanottaja (lääkäri tai yksikkö)"),
        max_length=150,
        required=False,
        help_text=_("Esimerkiksi terveysaseman lääkäri, joka tekee työkyvyn arvion."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
