from django import forms
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User


class TeamWorklistForm(forms.Form):
    worker = forms.ModelChoiceField(
        label=_("Työntekijä"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Koko tiimi"),
    )
