"""Plans made with a client and their review cycle (SPEC C2)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.core.choices import ContactChannel
from polku.core.models import VersionedRecord


class PlanType(models.TextChoices):
    ACTIVATION = "activation", _("Aktivointisuunnitelma")
    MULTISECTOR = "multisector", _("Monialainen työllistymissuunnitelma (TYP)")
    EMPLOYMENT = "employment", _("Työllistymissuunnitelma")
    SERVICE_NEED_ASSESSMENT = "service_need_assessment", _("Palvelutarpeen arviointi")
    COACHING = "coaching", _("Valmennussuunnitelma")
    ASSESSMENT_PERIOD = "assessment_period", _("TYP-kartoitusjakso")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Luonnos")
    ACTIVE = "active", _("Voimassa")
    INTERRUPTED = "interrupted", _("Keskeytynyt")
    REPLACED = "replaced", _("Korvattu")
    ENDED = "ended", _("Päättynyt")


class Party(models.TextChoices):
    CLIENT = "client", _("Asiakas")
    EMPLOYMENT_AUTHORITY = "employment_authority", _("TE-toimisto / työllisyysalue")
    WELLBEING_COUNTY = "wellbeing_county", _("Hyvinvointialue")
    KELA = "kela", _("Kela")
    MUNICIPALITY = "municipality", _("Kunta")


class Plan(VersionedRecord):
    """A plan made with the client (aktivointisuunnitelma, TYP-suunnitelma, ...).

    ``next_review_on`` is the earlier of the statutory date (rules engine) and the date
    the worker asked for; it is stored so the worklist is one indexed query.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="plans"
    )
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="plans")
    plan_type = models.CharField(_("suunnitelman tyyppi"), max_length=32, choices=PlanType.choices)
    status = models.CharField(
        _("tila"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    made_on = models.DateField(_("laadittu"))
    made_how = models.CharField(
        _("laatimistapa"),
        max_length=16,
        choices=ContactChannel.choices,
        default=ContactChannel.IN_PERSON,
    )
    agreed_services = models.TextField(
        _("sovitut palvelut"), blank=True, help_text=_("Yksi palvelu riviä kohden.")
    )
    client_tasks = models.TextField(_("asiakkaan tehtävät"), blank=True)
    # Job-search obligation (työnhakuvelvollisuus): e.g. the usual 4 lowered to 1, with a reason.
    applications_standard = models.PositiveSmallIntegerField(
        _("työnhakuvelvoite tavallisesti (hakemusta/kk)"), null=True, blank=True
    )
    applications_per_month = models.PositiveSmallIntegerField(
        _("työnhakuvelvoite (hakemusta/kk)"), null=True, blank=True
    )
    applications_reason = models.CharField(
        _("velvoitteen alentamisen peruste"), max_length=300, blank=True
    )
    # Kartoitusjakso: the law names no length for it (LEGAL.md ADDENDUM § 5), so it is entered.
    assessment_period_ends_on = models.DateField(_("kartoitusjakso päättyy"), null=True, blank=True)
    requested_review_on = models.DateField(
        _("sovittu tarkistuspäivä"),
        null=True,
        blank=True,
        help_text=_("Lakisääteistä päivää aikaisempi tarkistus, jos niin sovitaan."),
    )
    statutory_review_on = models.DateField(_("lakisääteinen tarkistus viimeistään"), null=True)
    next_review_on = models.DateField(_("seuraava tarkistus"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("tarkistettu viimeksi"), null=True, blank=True)
    ended_on = models.DateField(_("päättynyt"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("korvaava suunnitelma"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("suunnitelma")
        verbose_name_plural = _("suunnitelmat")
        ordering = ["-made_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "next_review_on"], name="plan_next_review"),
            models.Index(
                fields=["organisation", "assessment_period_ends_on"], name="plan_period_end"
            ),
            models.Index(fields=["client", "status"], name="plan_client_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assessment_period_ends_on__isnull=True)
                | models.Q(assessment_period_ends_on__gte=models.F("made_on")),
                name="plan_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_plan_type_display()} {self.made_on:%d.%m.%Y}"

    @property
    def service_lines(self) -> list[str]:
        return [line.strip() for line in self.agreed_services.splitlines() if line.strip()]

    @property
    def is_open(self) -> bool:
        return self.status in {PlanStatus.DRAFT, PlanStatus.ACTIVE}


class Participant(models.Model):
    """A person taking part in making the plan; signs it (allekirjoitus).

    A worker of the organisation is a ``user``: taking part in an open plan gives them
    a care relationship to the client (SPEC §1). People of other organisations (the TE
    office, Kela, ...) are names with their organisation; ``name`` keeps the worker's
    name as it was, for the printed plan.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_participations",
        verbose_name=_("työntekijä"),
    )
    party = models.CharField(_("osapuoli"), max_length=32, choices=Party.choices)
    name = models.CharField(_("nimi"), max_length=200)
    organisation_name = models.CharField(_("organisaatio"), max_length=200, blank=True)
    role = models.CharField(_("rooli"), max_length=200, blank=True)
    signed_on = models.DateField(_("allekirjoitettu"), null=True, blank=True)
    signature_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("osallistuja")
        verbose_name_plural = _("osallistujat")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="plan_participant_user_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()}: {self.name}"


class Review(models.Model):
    """A review of the plan (suunnitelman tarkistus); recomputes the next review date."""

    class Outcome(models.TextChoices):
        CONTINUES = "continues", _("Jatkuu ennallaan")
        UPDATED = "updated", _("Päivitetty")
        ENDED = "ended", _("Päätetään")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("tarkistettu"))
    held_how = models.CharField(_("tapa"), max_length=16, choices=ContactChannel.choices)
    participants = models.CharField(_("osallistujat"), max_length=500, blank=True)
    notes = models.TextField(_("muistiinpanot"), blank=True)
    outcome = models.CharField(_("tulos"), max_length=16, choices=Outcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("kirjattu"))

    class Meta:
        verbose_name = _("tarkistus")
        verbose_name_plural = _("tarkistukset")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.reviewed_on}"


class Interruption(models.Model):
    """The decision that an activation plan is interrupted (keskeytyminen, 189/2001 § 5).

    Made by the employment authority and the wellbeing county after hearing the person.
    """

    class Event(models.TextChoices):
        EMPLOYMENT = "employment", _("Työllistyi työhön")
        ENTERPRISE = "enterprise", _("Aloitti yritystoiminnan")
        STUDIES = "studies", _("Aloitti päätoimiset opinnot")

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="interruption")
    event_type = models.CharField(_("syy"), max_length=16, choices=Event.choices)
    event_start = models.DateField(_("alkoi"))
    hearing_on = models.DateField(_("kuultu"))
    hearing_how = models.CharField(_("kuulemistapa"), max_length=16, choices=ContactChannel.choices)
    hearing_statement = models.TextField(_("henkilön lausuma"))
    decided_on = models.DateField(_("päätetty"))
    employment_authority_decider = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("päättäjä, työvoimaviranomainen"),
    )
    wellbeing_county_decider = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("päättäjä, hyvinvointialue"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("kirjattu"))

    class Meta:
        verbose_name = _("keskeytyminen")
        verbose_name_plural = _("keskeytymiset")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hearing_on__lte=models.F("decided_on")),
                name="interruption_heard_before_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.decided_on}"
