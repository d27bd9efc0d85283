from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.clients.forms import DateInput
from polku.employment.models import BASES, EMPLOYER_TYPES, Employer, ObligatedEmployment


class DatedForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Nimi"), max_length=200)
    employer_type = forms.ChoiceField(label=_("Työnantajatyyppi"), choices=EMPLOYER_TYPES)
    business_id = forms.CharField(label=_("Y-tunnus"), max_length=20, required=False)
    address = forms.CharField(label=_("Osoite"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Lisätiedot"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    active = forms.BooleanField(label=_("Käytössä"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Yhteyshenkilö"), max_length=200)
    title = forms.CharField(label=_("Tehtävä"), max_length=200, required=False)
    phone = forms.CharField(label=_("Puhelin"), max_length=40, required=False)
    email = forms.EmailField(label=_("Sähköposti"), required=False)


class NoticeForm(DatedForm):
    notice_received_on = forms.DateField(label=_("TE-toimiston ilmoitus saapui"))
    max_period_end = forms.DateField(
        label=_("Ansiopäivärahan enimmäisaika päättyy"),
        help_text=_("Velvoite ratkaistaan tämän päivän lain mukaan; se lakkautettiin 2.9.2024."),
    )


class ObligationStepsForm(DatedForm):
    meeting_on = forms.DateField(label=_("Käsitelty esihenkilöpalaverissa"), required=False)
    employer = forms.ModelChoiceField(
        label=_("Kunnan yksikkö"), queryset=Employer.objects.none(), required=False
    )
    job_title = forms.CharField(label=_("Tehtävä"), max_length=200, required=False)
    job_chosen_on = forms.DateField(label=_("Työpaikka valittu"), required=False)
    subsidy_applied_on = forms.DateField(label=_("Palkkatukea haettu"), required=False)
    decision_on = forms.DateField(label=_("Palkkatukipäätös saatu"), required=False)
    contract_start = forms.DateField(label=_("Työsopimus alkaa"), required=False)
    contract_end = forms.DateField(label=_("Työsopimus päättyy"), required=False)
    costs = forms.DecimalField(
        label=_("Kustannukset yhteensä (€)"),
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        localize=True,
    )
    ktt_chosen_on = forms.DateField(
        label=_("Valittu kuntouttava työtoiminta (KTT) vaihtoehtona"), required=False
    )
    ended_on = forms.DateField(label=_("Päättynyt"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("contract_start"), cleaned.get("contract_end")
        if start and end and end < start:
            self.add_error("contract_end", _("Työsopimus päättyy ennen kuin se alkaa."))
        return cleaned

    @staticmethod
    def initial_for(case: ObligatedEmployment) -> dict[str, Any]:
        names = [name for name in ObligationStepsForm.base_fields if name != "employer"]
        return {
            **{name: getattr(case, name) for name in names},
            "employer": case.employer_id,
        }


class SubsidyForm(DatedForm):
    employer = forms.ModelChoiceField(label=_("Työnantaja"), queryset=Employer.objects.none())
    job_title = forms.CharField(label=_("Tehtävä"), max_length=200)
    basis = forms.ChoiceField(label=_("Peruste"), choices=BASES)
    unemployed_months_of_last_28 = forms.IntegerField(
        label=_("Työttömänä kuukausia viimeisten 28 kuukauden aikana"), min_value=0, max_value=28
    )
    unemployed_months_of_last_14 = forms.IntegerField(
        label=_("Työttömänä kuukausia viimeisten 14 kuukauden aikana"),
        min_value=0,
        max_value=14,
        required=False,
        help_text=_("Tarvitaan ennen 1.7.2023 alkavalle osaamisvajetuelle."),
    )
    long_term_unemployed = forms.NullBooleanField(
        label=_("Pitkäaikaistyötön"),
        required=False,
        help_text=_(
            "Tarvitaan kuntatyönantajalle 2025 alkaen, kun henkilö on 60 vuotta täyttänyt."
        ),
    )
    start = forms.DateField(label=_("Työsuhde alkaa"))
    end = forms.DateField(label=_("Työsuhde päättyy"))
    monthly_wage_costs = forms.DecimalField(
        label=_("Palkkakustannukset kuukaudessa (€)"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        localize=True,
    )
    applied_on = forms.DateField(label=_("Hakemus jätetty"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Työsuhde päättyy ennen kuin se alkaa."))
        return cleaned


class SubsidyDecisionForm(DatedForm):
    granted = forms.TypedChoiceField(
        label=_("Päätös"),
        choices=[("1", _("Myönnetty")), ("0", _("Hylätty"))],
        coerce=lambda value: value == "1",
    )
    decision_on = forms.DateField(label=_("Päätöksen päivä"))
    decision_number = forms.CharField(label=_("Päätöksen numero"), max_length=40, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Vuosi"), min_value=2015, max_value=2100)
    amount = forms.DecimalField(
        label=_("Talousarvio (€)"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        localize=True,
    )


def year_choice(value: str | None, today: date) -> int:
    try:
        year = int(value or today.year)
    except ValueError:
        return today.year
    return year if 2015 <= year <= 2100 else today.year
