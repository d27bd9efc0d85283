"""KTT providers and their agreements (seed 004), and work evaluations (työarvio, seed 002)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.core.models import VersionedRecord
from polku.rules.engine.ktt_contract import ProviderScope, ProviderType
from polku.rules.engine.ktt_provider import Arrangement


class ProviderArrangement(models.TextChoices):
    """How the organiser arranges the activity (järjestämistapa, seed 004)."""

    OWN_PRODUCTION = Arrangement.OWN_PRODUCTION.value, _("Oma tuotanto")
    PURCHASED = Arrangement.PURCHASED.value, _("Ostopalvelu")
    COOPERATION = Arrangement.COOPERATION.value, _("Yhteistyösopimus")


class LegalForm(models.TextChoices):
    """What kind of body the provider is (the rules engine's provider type)."""

    MUNICIPALITY = ProviderType.MUNICIPALITY.value, _("Kunta")
    WELLBEING_COUNTY = ProviderType.WELLBEING_COUNTY.value, _("Hyvinvointialue")
    ASSOCIATION = ProviderType.ASSOCIATION.value, _("Yhdistys")
    FOUNDATION = ProviderType.FOUNDATION.value, _("Säätiö")
    COMPANY = ProviderType.COMPANY.value, _("Yritys")


class Scope(models.TextChoices):
    """What the provider gives (a company may give only support and guidance)."""

    WORK_ACTIVITY = ProviderScope.WORK_ACTIVITY.value, _("Työtoiminta ja ohjaus")
    SUPPORT_ONLY = ProviderScope.SUPPORT_ONLY.value, _("Vain tuki ja ohjaus")


class KttProvider(VersionedRecord):
    """A provider of rehabilitative work activity and the agreement it works under.

    Own production, a purchase (e.g. through a dynamic purchasing system, dynaaminen
    hankintajärjestelmä) or a cooperation agreement in which the municipality gives the
    work environment, the wellbeing county the support, and no money moves (seed 004).
    ``reimbursement_share`` is the locally agreed % of the state reimbursement allocated
    to the units the provider hosts (seed 000 § 3.1); the rules engine checks it.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="ktt_providers"
    )
    name = models.CharField(_("nimi"), max_length=200)
    arrangement = models.CharField(
        _("järjestämistapa"), max_length=16, choices=ProviderArrangement.choices
    )
    legal_form = models.CharField(_("toimija"), max_length=32, choices=LegalForm.choices)
    scope = models.CharField(
        _("tuottaa"), max_length=16, choices=Scope.choices, default=Scope.WORK_ACTIVITY
    )
    business_id = models.CharField(_("Y-tunnus"), max_length=9, blank=True)
    procurement = models.CharField(
        _("hankinta"),
        max_length=200,
        blank=True,
        help_text=_("Esimerkiksi dynaaminen hankintajärjestelmä, jonka kautta palvelu ostetaan."),
    )
    agreement_reference = models.CharField(_("sopimus tai päätös"), max_length=200, blank=True)
    valid_from = models.DateField(_("sopimus alkaen"), null=True, blank=True)
    valid_until = models.DateField(_("sopimus päättyy"), null=True, blank=True)
    contact_person = models.CharField(_("yhteyshenkilö"), max_length=200, blank=True)
    contact_phone = models.CharField(_("puhelin"), max_length=40, blank=True)
    contact_email = models.EmailField(_("sähköposti"), blank=True)
    reimbursement_share = models.PositiveSmallIntegerField(
        _("valtionkorvauksesta yksiköille (%)"), default=0
    )
    notes = models.TextField(_("työnjako ja lisätiedot"), blank=True)
    active = models.BooleanField(_("käytössä"), default=True)

    class Meta:
        verbose_name = _("KTT:n tuottaja")
        verbose_name_plural = _("KTT:n tuottajat")
        ordering = ["arrangement", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="ktt_provider_name"),
            models.CheckConstraint(
                condition=models.Q(reimbursement_share__lte=100), name="ktt_provider_share_max"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="ktt_provider_valid_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# The evaluation's texts in the order the doctor reads them.
EVALUATION_TEXT_FIELDS = (
    "work_tasks",
    "working_skills",
    "social_skills",
    "punctuality",
    "work_ability_observations",
    "strengths",
    "support_needs",
    "recommendation",
    "client_view",
)


class WorkEvaluation(VersionedRecord):
    """A work evaluation (työarvio) a work coach writes during KTT (seed 002).

    It describes the client's work for the doctor who assesses work ability. Every save
    is a new numbered :class:`WorkEvaluationVersion` holding the whole text and the
    attendance figures of the period as they were, so the version sent is always printable.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="work_evaluations"
    )
    contract = models.ForeignKey(
        "service_episodes.KttContract",
        on_delete=models.CASCADE,
        related_name="work_evaluations",
        verbose_name=_("KTT-sopimus"),
    )
    period_start = models.DateField(_("arviointijakso alkaa"))
    period_end = models.DateField(_("arviointijakso päättyy"))
    work_tasks = models.TextField(_("työtehtävät"))
    working_skills = models.TextField(
        _("työskentelytaidot"),
        help_text=_(
            "Ohjeiden noudattaminen, oma-aloitteisuus, työn laatu ja tahti, keskittyminen, "
            "työturvallisuus."
        ),
    )
    social_skills = models.TextField(
        _("sosiaaliset taidot"), help_text=_("Vuorovaikutus, yhteistyö, palautteen vastaanotto.")
    )
    punctuality = models.TextField(
        _("täsmällisyys ja läsnäolo"),
        blank=True,
        help_text=_("Saapuminen ajallaan, poissaoloista ilmoittaminen. Läsnäolot lasketaan."),
    )
    work_ability_observations = models.TextField(
        _("jaksaminen ja työkykyyn vaikuttavat havainnot"), blank=True
    )
    strengths = models.TextField(_("vahvuudet"))
    support_needs = models.TextField(_("tuen tarpeet"))
    recommendation = models.TextField(_("suositus jatkosta"))
    client_view = models.TextField(_("asiakkaan oma näkemys"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("työarvio")
        verbose_name_plural = _("työarviot")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="work_evaluation_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.period_start}–{self.period_end}"


class WorkEvaluationVersion(models.Model):
    """One saved version of a work evaluation: the text and attendance figures, never changed."""

    evaluation = models.ForeignKey(
        WorkEvaluation, on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("versio"))
    content = models.JSONField(_("sisältö"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(_("tallennettu"))

    class Meta:
        verbose_name = _("työarvion versio")
        verbose_name_plural = _("työarvion versiot")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "version"], name="work_evaluation_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} v{self.version}"

    @property
    def period_start(self) -> date:
        return date.fromisoformat(self.content["period_start"])

    @property
    def period_end(self) -> date:
        return date.fromisoformat(self.content["period_end"])
