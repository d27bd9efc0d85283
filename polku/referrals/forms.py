from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, User
from polku.clients.forms import DateInput
from polku.core.choices import ContactChannel
from polku.referrals.models import Meeting, Referral, TeamBooking, WorkAbilitySummary
from polku.referrals.services import SUMMARY_FIELDS


class TimeInput(forms.TimeInput):
    """Shown as the user's language writes times (09.00 in Finnish and Swedish); both
    09.00 and 09:00 are accepted (TIME_INPUT_FORMATS in polku.core.formats)."""

    def __init__(self) -> None:
        super().__init__(attrs={"placeholder": _("tt.mm"), "inputmode": "numeric"})


class SlotForm(forms.Form):
    """A day and a start and end time, combined into aware datetimes in the local time zone."""

    day = forms.DateField(label=_("Päivä"), widget=DateInput())
    start = forms.TimeField(label=_("Alkaa klo"), widget=TimeInput())
    end = forms.TimeField(label=_("Päättyy klo"), widget=TimeInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, start, end = cleaned.get("day"), cleaned.get("start"), cleaned.get("end")
        if day and start and end:
            cleaned["starts_at"] = timezone.make_aware(datetime.combine(day, start))
            cleaned["ends_at"] = timezone.make_aware(datetime.combine(day, end))
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                self.add_error("end", _("Päättymisajan on oltava alkamisajan jälkeen."))
        return cleaned

    def slot_initial(self, starts_at: datetime, ends_at: datetime) -> dict[str, Any]:
        local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
        return {"day": local_start.date(), "start": local_start.time(), "end": local_end.time()}


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kohde"), choices=Referral.Kind.choices)
    receiving_organisation = forms.ModelChoiceField(
        label=_("Vastaanottava organisaatio"), queryset=Organisation.objects.none()
    )
    receiving_unit = forms.CharField(
        label=_("Vastaanottava yksikkö"), required=False, max_length=200
    )
    receiving_worker = forms.ModelChoiceField(
        label=_("Vastaanottava työntekijä"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "Saattaen vaihdettaessa nimeä vastaanottaja: "
            "lähete on valmis vasta, kun hän kuittaa sen."
        ),
    )
    reason = forms.CharField(
        label=_("Syy ja yhteenveto"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    sent_on = forms.DateField(label=_("Lähetetty"), widget=DateInput())
    te_referral = forms.CharField(
        label=_("TE-palvelujen lähete (terveystarkastus)"), required=False, max_length=300
    )


class ReferralOutcomeForm(forms.Form):
    status = forms.ChoiceField(label=_("Tila"), choices=Referral.Status.choices)
    outcome = forms.CharField(
        label=_("Tulos ja palaute"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    te_referral = forms.CharField(
        label=_("TE-palvelujen lähete (terveystarkastus)"), required=False, max_length=300
    )
    feedback_received_on = forms.DateField(
        label=_("Palaute saatu"), required=False, widget=DateInput()
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TeamBookingForm(SlotForm):
    team = forms.CharField(label=_("Tiimi"), max_length=200, initial=_("Monialainen sote-tiimi"))
    mode = forms.ChoiceField(label=_("Muoto"), choices=TeamBooking.Mode.choices)
    client_permission_on = forms.DateField(
        label=_("Asiakkaan lupa konsultaatioon annettu"),
        required=False,
        widget=DateInput(),
        help_text=_("Pakollinen konsultaatiossa, johon asiakas ei osallistu."),
    )
    question = forms.CharField(
        label=_("Kysymys tiimille"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    field_order = ["team", "mode", "day", "start", "end", "question", "client_permission_on"]


class BookingOutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Tulos"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingForm(SlotForm):
    worker = forms.ModelChoiceField(label=_("Työntekijä"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("Laji"), choices=Meeting.Kind.choices)
    channel = forms.ChoiceField(label=_("Kanava"), choices=ContactChannel.choices)
    title = forms.CharField(label=_("Otsikko"), required=False, max_length=200)
    location = forms.CharField(label=_("Paikka"), required=False, max_length=200)
    field_order = ["worker", "day", "start", "end", "kind", "channel", "title", "location"]


class MeetingEditForm(SlotForm):
    kind = forms.ChoiceField(label=_("Laji"), choices=Meeting.Kind.choices)
    channel = forms.ChoiceField(label=_("Kanava"), choices=ContactChannel.choices)
    title = forms.CharField(label=_("Otsikko"), required=False, max_length=200)
    location = forms.CharField(label=_("Paikka"), required=False, max_length=200)
    attendance = forms.ChoiceField(label=_("Toteutuminen"), choices=Meeting.Attendance.choices)
    notes = forms.CharField(
        label=_("Muistiinpanot"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SummaryForm(forms.ModelForm[WorkAbilitySummary]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = WorkAbilitySummary
        fields = SUMMARY_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in SUMMARY_FIELDS
            if name != "unemployment_duration"
        }


class SummaryDiscloseForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Vastaanottava organisaatio"), queryset=Organisation.objects.none()
    )


class CalendarFeedForm(forms.Form):
    show_client_names = forms.BooleanField(
        label=_("Näytä asiakkaiden nimet tilauksessa"),
        required=False,
        help_text=_(
            "Oletuksena tilaus näyttää vain sanan Asiakastapaaminen ja tapaamisen lajin. "
            "Henkilötunnuksia ei näytetä koskaan."
        ),
    )
