from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.clients.models import Client, Consent
from polku.clients.services import EDITABLE_FIELDS
from polku.core import hetu as hetu_codes

DATE_PLACEHOLDER = _("pp.kk.vvvv")


class DateInput(forms.DateInput):
    """A text field for d.m.yyyy dates: predictable for keyboard and screen-reader users."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", **(attrs or {})},
            format="%d.%m.%Y",
        )


def _use_date_inputs(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()


class ClientForm(forms.ModelForm[Client]):
    class Meta:
        model = Client
        fields = EDITABLE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_date_inputs(self)


class ClientCreateForm(ClientForm):
    hetu = forms.CharField(label=_("Henkilötunnus"), max_length=11)
    field_order = ["hetu", "first_names", "last_name"]

    def clean_hetu(self) -> str:
        try:
            return hetu_codes.parse(self.cleaned_data["hetu"]).value
        except hetu_codes.InvalidHetu as invalid:
            raise forms.ValidationError(
                hetu_codes.ERROR_MESSAGES[invalid.code], code=invalid.code
            ) from invalid


class ClientEditForm(ClientForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Nimi tai henkilötunnus"), required=False, max_length=100)
    worker = forms.ModelChoiceField(
        label=_("Vastuutyöntekijä"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Kaikki"),
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class AssignWorkerForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("Uusi vastuutyöntekijä"), queryset=User.objects.none())


class ConsentForm(forms.ModelForm[Consent]):
    class Meta:
        model = Consent
        fields = ("party", "party_name", "purpose", "given_on", "expires_on")
        help_texts = {"party_name": _("Pakollinen, kun suostumus koskee nimettyä organisaatiota.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_date_inputs(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("party") == Consent.Party.ORGANISATION and not cleaned.get("party_name"):
            self.add_error("party_name", _("Kirjoita organisaation nimi."))
        given, expires = cleaned.get("given_on"), cleaned.get("expires_on")
        if given and expires and expires < given:
            self.add_error("expires_on", _("Voimassaolo ei voi päättyä ennen antopäivää."))
        return cleaned


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Peruttu"), widget=DateInput())
    note = forms.CharField(label=_("Lisätieto"), required=False, max_length=300)


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Peruste"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Miksi avaat asiakkaan tiedot ilman asiakassuhdetta? Peruste tallentuu lokiin."
        ),
        min_length=10,
        max_length=1000,
    )


class RestrictionForm(forms.Form):
    reason = forms.CharField(
        label=_("Rajoittamisen peruste"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Esimerkiksi: asiakas kiistää tietojen paikkansapitävyyden ja tarkistus on kesken."
        ),
        max_length=1000,
    )


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("Tilanne päivänä"), required=False, widget=DateInput())
