from django import forms
from django.utils.translation import gettext_lazy as _


class OneTimeCodeForm(forms.Form):
    token = forms.RegexField(
        label=_("Tunnistussovelluksen koodi"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Koodissa on kuusi numeroa.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )
