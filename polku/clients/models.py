from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.core import hetu as hetu_codes
from polku.core.models import VersionedRecord


class Language(models.TextChoices):
    FINNISH = "fi", _("suomi")
    SWEDISH = "sv", _("ruotsi")
    OTHER = "other", _("muu")


class MainIncome(models.TextChoices):
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", _("Työttömyyspäiväraha")
    LABOUR_MARKET_SUBSIDY = "labour_market_subsidy", _("Työmarkkinatuki")
    SOCIAL_ASSISTANCE = "social_assistance", _("Toimeentulotuki")
    OTHER = "other", _("Muu")


class Client(VersionedRecord):
    """A resident served by the employment services (asiakas)."""

    # No index of its own: ``client_unique_hetu`` starts with the organisation.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="clients", db_index=False
    )
    hetu = models.CharField(_("henkilötunnus"), max_length=11)
    first_names = models.CharField(_("etunimet"), max_length=100)
    last_name = models.CharField(_("sukunimi"), max_length=100)
    birth_date = models.DateField(_("syntymäaika"))
    language = models.CharField(
        _("asiointikieli"), max_length=8, choices=Language.choices, default=Language.FINNISH
    )
    phone = models.CharField(_("puhelin"), max_length=40, blank=True)
    email = models.EmailField(_("sähköposti"), blank=True)
    street_address = models.CharField(_("lähiosoite"), max_length=200, blank=True)
    postal_code = models.CharField(_("postinumero"), max_length=5, blank=True)
    post_office = models.CharField(_("postitoimipaikka"), max_length=100, blank=True)
    contact_verified_on = models.DateField(_("yhteystiedot tarkistettu"), null=True, blank=True)
    home_municipality = models.CharField(_("kotikunta"), max_length=100, blank=True)
    main_income = models.CharField(
        _("pääasiallinen toimeentulo"),
        max_length=32,
        choices=MainIncome.choices,
        default=MainIncome.OTHER,
    )
    unemployment_started_on = models.DateField(_("työttömyys alkanut"), null=True, blank=True)
    # Benefit day counters as Kela reports them (työmarkkinatuen päivät työttömyyden perusteella).
    lms_days_total = models.PositiveIntegerField(_("TMT-päivät yhteensä"), default=0)
    lms_days_last_12_months = models.PositiveIntegerField(
        _("TMT-päivät viimeisten 12 kk aikana"), default=0
    )
    lms_days_after_max_period = models.PositiveIntegerField(
        _("TMT-päivät enimmäisajan täyttymisen jälkeen"), default=0
    )
    daily_allowance_max_period_exhausted = models.BooleanField(
        _("päivärahan enimmäisaika täyttynyt"), default=False
    )
    social_assistance_months = models.PositiveIntegerField(
        _("toimeentulotukikuukaudet työttömyyden vuoksi"), default=0
    )
    # Facts the activation-plan rule needs (189/2001 § 3) until plans are recorded in Polku.
    has_employment_plan = models.BooleanField(
        _("työllistymissuunnitelma laadittu (työvoimaviranomainen)"), default=False
    )
    job_search_discussion_held = models.BooleanField(_("työnhakukeskustelu käyty"), default=False)
    benefit_counters_on = models.DateField(_("päivälaskurit päivitetty"), null=True, blank=True)
    responsible_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
        verbose_name=_("vastuutyöntekijä"),
    )
    needs_review = models.BooleanField(_("tarkistettava"), default=False)
    # Restriction of processing (GDPR art. 18, käsittelyn rajoittaminen): while set, the
    # data can be read but no change is recorded (``audit.services.record`` refuses).
    processing_restricted_on = models.DateField(
        _("käsittelyä rajoitettu alkaen"), null=True, blank=True
    )
    processing_restriction_reason = models.TextField(_("rajoittamisen peruste"), blank=True)
    processing_restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("käsittelyn rajoittaja"),
    )
    # Set by the retention run (apply_retention) when identity and free text were removed.
    anonymised_on = models.DateField(_("anonymisoitu"), null=True, blank=True)

    class Meta:
        verbose_name = _("asiakas")
        verbose_name_plural = _("asiakkaat")
        constraints = [
            # The century sign is part of the identity since 2023: keyed on the whole code.
            models.UniqueConstraint(fields=["organisation", "hetu"], name="client_unique_hetu"),
        ]
        indexes = [
            models.Index(fields=["organisation", "last_name", "first_names"]),
            models.Index(fields=["organisation", "responsible_worker"]),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_names}"

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}"

    @property
    def hetu_masked(self) -> str:
        return hetu_codes.mask(self.hetu)

    def age_on(self, day: date) -> int:
        return hetu_codes.age_on(self.birth_date, day)


class ResponsibleWorkerPeriod(models.Model):
    """History of who has been the client's responsible worker (vastuutyöntekijä)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="worker_periods")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("alkaen"))
    ended_on = models.DateField(_("päättyen"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("vastuutyöntekijäjakso")
        verbose_name_plural = _("vastuutyöntekijäjaksot")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_responsible_worker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.worker_id} {self.started_on}–{self.ended_on or ''}"


class CareAssignment(models.Model):
    """A worker's care relationship other than being the responsible worker.

    The client takes part in a plan or service the worker runs, or is on a list the
    worker was assigned to work through (SPEC §1). Ending it ends the access.
    """

    class Basis(models.TextChoices):
        PLAN = "plan", _("Suunnitelma")
        SERVICE = "service", _("Palvelu")
        LIST = "list", _("Työlista")
        # A task routed to the worker, e.g. a KTT decision; ends when the task is done.
        TASK = "task", _("Osoitettu tehtävä")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="care_assignments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_assignments"
    )
    basis = models.CharField(_("peruste"), max_length=16, choices=Basis.choices)
    note = models.CharField(_("lisätieto"), max_length=200, blank=True)
    started_on = models.DateField(_("alkaen"))
    ended_on = models.DateField(_("päättyen"), null=True, blank=True)

    class Meta:
        verbose_name = _("asiakassuhde")
        verbose_name_plural = _("asiakassuhteet")
        indexes = [models.Index(fields=["worker", "client"], name="care_assignment_worker")]

    def __str__(self) -> str:
        return f"{self.worker_id} → {self.client_id} ({self.basis})"


class Consent(models.Model):
    """The client's consent to share data with a named party (suostumus)."""

    class Party(models.TextChoices):
        EMPLOYMENT_AUTHORITY = "employment_authority", _("Työvoimaviranomainen / TE-palvelut")
        KELA = "kela", _("Kela")
        HEALTH_SERVICES = "health_services", _("Terveyspalvelut")
        SOCIAL_SERVICES = "social_services", _("Sosiaalipalvelut")
        WELLBEING_COUNTY = "wellbeing_county", _("Hyvinvointialue")
        ORGANISATION = "organisation", _("Nimetty organisaatio")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    party = models.CharField(_("kenelle"), max_length=32, choices=Party.choices)
    party_name = models.CharField(_("organisaation nimi"), max_length=200, blank=True)
    purpose = models.CharField(_("käyttötarkoitus"), max_length=300)
    given_on = models.DateField(_("annettu"))
    expires_on = models.DateField(_("voimassa asti"), null=True, blank=True)
    withdrawn_on = models.DateField(_("peruttu"), null=True, blank=True)
    withdrawal_note = models.CharField(_("perumisen lisätieto"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("suostumus")
        verbose_name_plural = _("suostumukset")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("given_on")),
                name="consent_expires_after_given",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=~models.Q(party="organisation") | ~models.Q(party_name=""),
                name="consent_named_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()}: {self.purpose}"

    def is_valid_on(self, day: date) -> bool:
        if self.given_on > day:
            return False
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return False
        return self.expires_on is None or self.expires_on >= day
