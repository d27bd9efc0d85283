from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.clients.forms import DateInput
from polku.ktt.models import KttProvider
from polku.service_episodes.models import (
    AttendanceStatus,
    Outcome,
    Placement,
    ReferralSource,
    ServiceKind,
    ServiceType,
)
from polku.service_episodes.selectors import AttendanceGrid
from polku.service_episodes.services import Cell


def _dates(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()


class DatedForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)


class ServiceTypeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Palvelulaji"), choices=ServiceKind.choices)
    name = forms.CharField(label=_("Nimi"), max_length=200)
    description = forms.CharField(
        label=_("Kuvaus"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlacementForm(DatedForm):
    name = forms.CharField(label=_("Nimi"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Ylläpitäjä"),
        choices=Placement.Kind.choices,
        help_text=_("Yritys ei voi järjestää kuntouttavaa työtoimintaa."),
    )
    provider = forms.ModelChoiceField(
        label=_("Palveluntuottaja"),
        queryset=KttProvider.objects.none(),
        help_text=_("Oma tuotanto, ostopalvelu tai yhteistyösopimus (KTT:n tuottajat)."),
    )
    address = forms.CharField(label=_("Osoite"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Paikkoja"), min_value=1, max_value=500, initial=1)
    contact_person = forms.CharField(label=_("Yhteyshenkilö"), max_length=200, required=False)
    contact_phone = forms.CharField(
        label=_("Yhteyshenkilön puhelin"), max_length=40, required=False
    )
    orientation_given_on = forms.DateField(label=_("Perehdytys annettu"), required=False)
    supervisors = forms.ModelMultipleChoiceField(
        label=_("Ohjaajat"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ohjaajat näkevät vain paikassaan olevat asiakkaat."),
    )


class EpisodeForm(DatedForm):
    service_type = forms.ModelChoiceField(label=_("Palvelu"), queryset=ServiceType.objects.none())
    referral_source = forms.ChoiceField(label=_("Lähettäjätaho"), choices=ReferralSource.choices)
    started_on = forms.DateField(label=_("Alkaa"))
    provider = forms.CharField(label=_("Palveluntuottaja"), max_length=200, required=False)
    placement = forms.ModelChoiceField(
        label=_("Työtoimintapaikka"), queryset=Placement.objects.none(), required=False
    )


class EpisodeEndForm(DatedForm):
    ended_on = forms.DateField(label=_("Päättyi"))
    outcome = forms.ChoiceField(label=_("Tilanne palvelun päättyessä"), choices=Outcome.choices)


class KttContractForm(DatedForm):
    placement = forms.ModelChoiceField(
        label=_("Työtoimintapaikka"), queryset=Placement.objects.none()
    )
    start = forms.DateField(label=_("Alkaa"))
    end = forms.DateField(label=_("Päättyy"))
    days_per_week = forms.IntegerField(label=_("Päiviä viikossa"), min_value=1, max_value=7)
    hours_per_day = forms.DecimalField(
        label=_("Tunteja päivässä"),
        min_value=Decimal(1),
        max_value=Decimal(12),
        decimal_places=1,
        localize=True,  # 4,5 as people type it
    )
    coaching_content = forms.CharField(
        label=_("Valmennuksen sisältö ja tavoitteet"), widget=forms.Textarea(attrs={"rows": 4})
    )
    referral_source = forms.ChoiceField(label=_("Lähettäjätaho"), choices=ReferralSource.choices)
    decider = forms.ModelChoiceField(
        label=_("Päätöksen tekee"),
        queryset=User.objects.none(),
        help_text=_(
            "Sopimus menee tämän sosiaaliohjaajan työlistalle, ja hänellä on asiakassuhde "
            "asiakkaaseen, kunnes päätös on tehty."
        ),
    )


class DecisionForm(forms.Form):
    decision_text = forms.CharField(
        label=_("Päätöksen perustelut"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class SignForm(DatedForm):
    signed_on = forms.DateField(label=_("Allekirjoitettu"))
    # Recording the signature books meetings in the calendar: a ticked box, not a stray click.
    confirmed = forms.BooleanField(
        label=_("Asiakas ja työtoiminnan järjestäjä ovat allekirjoittaneet sopimuksen"),
        error_messages={"required": _("rastita ruutu, kun sopimus on allekirjoitettu.")},
    )


class EvaluationForm(DatedForm):
    evaluated_on = forms.DateField(label=_("Loppuarviointi pidetty"))


class ExtendForm(DatedForm):
    new_end = forms.DateField(label=_("Uusi päättymispäivä"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class InterruptForm(DatedForm):
    interrupted_on = forms.DateField(label=_("Keskeytetty"))
    reason = forms.CharField(
        label=_("Keskeytyksen syy"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.ChoiceField(label=_("Tilanne keskeytyksen jälkeen"), choices=Outcome.choices)
    recipient = forms.ModelChoiceField(
        label=_("Ilmoitus sosiaalityöntekijälle"), queryset=User.objects.none()
    )
    summary = forms.CharField(
        label=_("Lyhyt yhteenveto ilmoitukseen"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Mitä jakson aikana tehtiin, miksi se keskeytyy ja mitä asiakas tarvitsee seuraavaksi."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class GroupForm(DatedForm):
    name = forms.CharField(label=_("Nimi"), max_length=200)
    service_type = forms.ModelChoiceField(label=_("Palvelu"), queryset=ServiceType.objects.none())
    instructor = forms.ModelChoiceField(label=_("Ohjaaja"), queryset=User.objects.none())
    placement = forms.ModelChoiceField(
        label=_("Paikka"), queryset=Placement.objects.none(), required=False
    )
    started_on = forms.DateField(label=_("Alkaa"))
    description = forms.CharField(
        label=_("Sisältö"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GroupMemberForm(DatedForm):
    client_id = forms.IntegerField(label=_("Asiakkaan tunniste"), min_value=1)
    joined_on = forms.DateField(label=_("Liittyi"))


class GroupSessionForm(DatedForm):
    day = forms.DateField(label=_("Päivä"))
    topic = forms.CharField(label=_("Aihe"), max_length=200)
    competences = forms.CharField(label=_("Harjoitellut taidot"), max_length=300, required=False)


class PeriodForm(DatedForm):
    period_start = forms.DateField(label=_("Jakso alkaa"))
    period_end = forms.DateField(label=_("Jakso päättyy"))

    @staticmethod
    def previous_month(today: date) -> dict[str, date]:
        """Initial values: the calendar month before ``today`` (claims are made afterwards)."""
        last = today.replace(day=1) - timedelta(days=1)
        return {"period_start": last.replace(day=1), "period_end": last}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Jakson loppu on ennen alkua."))
        return cleaned


class AllowanceForm(PeriodForm):
    travel_costs = forms.DecimalField(
        label=_("Matkakulut (€)"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        initial=Decimal(0),
        localize=True,  # 12,40 as people type it
    )


class WeekForm(DatedForm):
    week = forms.DateField(label=_("Viikko (mikä tahansa viikon päivä)"), required=False)


def grid_cells(grid: AttendanceGrid, data: QueryDict) -> tuple[list[Cell], list[str]]:
    """The submitted cells of a week grid, with a "mark everyone present" button applied.

    Field names per cell: ``s_<client>_<yyyymmdd>`` (status), ``r_…`` (absence reason),
    ``v_…`` (the version shown). Unknown statuses are ignored as empty. The button fills a
    day's empty cells, except days still to come and clients whose contract's days a week
    are already marked present; the second value names those clients.
    """
    statuses = set(AttendanceStatus.values)
    raw = data.get("mark_all_present", "")
    mark_all = next((day for day in grid.days if raw == day.isoformat()), None)
    cells, full = [], []
    for row in grid.rows:
        chosen = [data.get(f"s_{cell.key}", "") for cell in row.cells]
        chosen = [status if status in statuses else "" for status in chosen]
        present = chosen.count(AttendanceStatus.PRESENT)
        for cell, status in zip(row.cells, chosen, strict=True):
            if mark_all == cell.day and not status and not cell.future:
                if row.days_allowed is not None and present >= row.days_allowed:
                    full.append(row.label)
                else:
                    status = AttendanceStatus.PRESENT
                    present += 1
            try:
                version = int(data.get(f"v_{cell.key}", cell.version))
            except ValueError:
                version = cell.version
            cells.append(
                Cell(cell.client_id, cell.day, status, data.get(f"r_{cell.key}", "")[:200], version)
            )
    return cells, full
