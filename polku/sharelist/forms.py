from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.clients.forms import DateInput
from polku.sharelist.middleware import limit_text
from polku.sharelist.models import ColumnMapping, ContactAttempt


def too_large_message() -> str:
    return _("Tiedosto on liian suuri: enintään %(limit)s.") % {
        "limit": limit_text(settings.POLKU_SHARE_LIST_MAX_BYTES)
    }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Kuntaosuuslista"))
    mapping = forms.ModelChoiceField(
        label=_("Sarakeprofiili"), queryset=ColumnMapping.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.POLKU_SHARE_LIST_MAX_BYTES
        self.fields["file"].help_text = _(
            "CSV (puolipiste tai pilkku, UTF-8 tai Windows-1252) tai XLSX, enintään %(limit)s."
        ) % {"limit": limit_text(limit)}
        # The page's script refuses a larger file before sending it (upload-progress.js).
        self.fields["file"].widget.attrs.update(
            {
                "accept": ".csv,.txt,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "data-max-bytes": str(limit),
                "data-too-large": too_large_message(),
            }
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.POLKU_SHARE_LIST_MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload


class ConfirmForm(forms.Form):
    accept_valid = forms.BooleanField(
        label=_("Tuo kelvolliset rivit, vaikka osa riveistä on virheellisiä"), required=False
    )
    small_list_checked = forms.BooleanField(
        label=_("Olen tarkistanut, että tiedosto on koko kuukauden lista"), required=False
    )


class ReviewFilterForm(forms.Form):
    month = forms.DateField(label=_("Kuukausi"), required=False, widget=forms.HiddenInput)
    worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Työntekijä"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Kaikki"),
    )
    without_worker = forms.BooleanField(label=_("Ilman vastuutyöntekijää"), required=False)
    not_contacted = forms.BooleanField(
        label=_("Ei yhteydenottoa listan kuukauden alun jälkeen"), required=False
    )
    needs_review = forms.BooleanField(label=_("Uudet, tarkistettavat"), required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class ClientIdsField(forms.Field):
    """Ids of the persons chosen with checkboxes (``client`` repeated)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(_("Valitse henkilöt luettelosta.")) from error


class BulkAssignForm(forms.Form):
    client = ClientIdsField(label=_("Henkilöt"))
    worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Vastuutyöntekijäksi"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Ei muutosta"),
    )
    contact_owner: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Yhteydenottajaksi"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Ei muutosta"),
    )
    reassign = forms.BooleanField(
        label=_("Vaihda toisen työntekijän nykyinen vastuu (vain vastaava valmentaja)"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("client"):
            raise forms.ValidationError(_("Valitse vähintään yksi henkilö."))
        if not data.get("worker") and not data.get("contact_owner"):
            raise forms.ValidationError(_("Valitse vastuutyöntekijä tai yhteydenottaja."))
        return data


class ContactForm(forms.ModelForm[ContactAttempt]):
    class Meta:
        model = ContactAttempt
        fields = ("method", "result", "made_on", "note")
        widgets = {"made_on": DateInput()}


class SavingForm(forms.Form):
    client = ClientIdsField(label=_("Henkilöt"))
