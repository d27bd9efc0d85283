"""Obligated employment, pay-subsidised employments, employers and claims (SPEC C6)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.rules.engine.pay_subsidy import EmployerType as EngineEmployerType
from polku.rules.engine.pay_subsidy import PaySubsidyBasis

EMPLOYER_TYPE_LABELS = {
    EngineEmployerType.COMPANY: _("Yritys"),
    EngineEmployerType.ASSOCIATION: _("Yhdistys"),
    EngineEmployerType.FOUNDATION: _("Säätiö"),
    EngineEmployerType.RELIGIOUS_COMMUNITY: _("Uskonnollinen yhdyskunta"),
    EngineEmployerType.MUNICIPALITY: _("Kunta"),
    EngineEmployerType.JOINT_MUNICIPAL_AUTHORITY: _("Kuntayhtymä"),
    EngineEmployerType.WELLBEING_COUNTY: _("Hyvinvointialue"),
    EngineEmployerType.OTHER: _("Muu"),
}
EMPLOYER_TYPES = [(kind.value, label) for kind, label in EMPLOYER_TYPE_LABELS.items()]
BASES = [
    (PaySubsidyBasis.SKILLS.value, _("Osaamisvaje")),
    (PaySubsidyBasis.REDUCED_WORK_ABILITY.value, _("Alentunut työkyky")),
    (PaySubsidyBasis.AGE55.value, _("55 vuotta täyttäneiden työllistämistuki")),
    (PaySubsidyBasis.ASSOCIATION.value, _("Yhdistyksen 100 %:n palkkatuki")),
]


class Employer(models.Model):
    """An employer of the register: a municipal unit, a company or an association."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="employers"
    )
    name = models.CharField(_("nimi"), max_length=200)
    employer_type = models.CharField(_("työnantajatyyppi"), max_length=32, choices=EMPLOYER_TYPES)
    business_id = models.CharField(_("Y-tunnus"), max_length=20, blank=True)
    address = models.CharField(_("osoite"), max_length=200, blank=True)
    notes = models.TextField(_("lisätiedot"), blank=True)
    active = models.BooleanField(_("käytössä"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("työnantaja")
        verbose_name_plural = _("työnantajat")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="employer_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_municipal(self) -> bool:
        return self.employer_type in {
            EngineEmployerType.MUNICIPALITY,
            EngineEmployerType.JOINT_MUNICIPAL_AUTHORITY,
        }


class EmployerContact(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nimi"), max_length=200)
    title = models.CharField(_("tehtävä"), max_length=200, blank=True)
    phone = models.CharField(_("puhelin"), max_length=40, blank=True)
    email = models.EmailField(_("sähköposti"), blank=True)

    class Meta:
        verbose_name = _("yhteyshenkilö")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ObligatedEmployment(models.Model):
    """One obligated-employment case (velvoitetyöllistäminen) from the TE office's notice.

    The steps are dated fields; ``status`` is the latest step reached. ``job_must_start_by``
    and ``duration_months`` are the rules engine's answer for ``max_period_end``.
    """

    class Status(models.TextChoices):
        NOTICE = "notice", _("Ilmoitus vastaanotettu")
        MEETING = "meeting", _("Käsitelty esihenkilöpalaverissa")
        JOB_CHOSEN = "job_chosen", _("Työpaikka valittu")
        SUBSIDY_APPLIED = "subsidy_applied", _("Palkkatukea haettu")
        DECIDED = "decided", _("Palkkatukipäätös saatu")
        EMPLOYED = "employed", _("Työsuhde alkanut")
        KTT_CHOSEN = "ktt_chosen", _("Valittu kuntouttava työtoiminta")
        ENDED = "ended", _("Päättynyt")
        REFUSED = "refused", _("Ei velvoitetta")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="obligated_employments"
    )
    status = models.CharField(_("tila"), max_length=20, choices=Status.choices)
    notice_received_on = models.DateField(_("TE-toimiston ilmoitus saapui"))
    max_period_end = models.DateField(_("ansiopäivärahan enimmäisaika päättyy"))
    job_must_start_by = models.DateField(_("työn alettava viimeistään"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("kesto (kk)"), null=True, blank=True)
    refusal_reason = models.TextField(_("peruste, miksi velvoitetta ei ole"), blank=True)
    meeting_on = models.DateField(_("käsitelty esihenkilöpalaverissa"), null=True, blank=True)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligated_employments",
        verbose_name=_("kunnan yksikkö"),
    )
    job_title = models.CharField(_("tehtävä"), max_length=200, blank=True)
    job_chosen_on = models.DateField(_("työpaikka valittu"), null=True, blank=True)
    subsidy_applied_on = models.DateField(_("palkkatukea haettu"), null=True, blank=True)
    decision_on = models.DateField(_("palkkatukipäätös"), null=True, blank=True)
    contract_start = models.DateField(_("työsopimus alkaa"), null=True, blank=True)
    contract_end = models.DateField(_("työsopimus päättyy"), null=True, blank=True)
    costs = models.DecimalField(
        _("kustannukset yhteensä (€)"), null=True, blank=True, max_digits=10, decimal_places=2
    )
    ktt_chosen_on = models.DateField(_("valittu KTT"), null=True, blank=True)
    ended_on = models.DateField(_("päättynyt"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    CLOSED = (Status.EMPLOYED, Status.KTT_CHOSEN, Status.ENDED, Status.REFUSED)

    class Meta:
        verbose_name = _("työllistämisvelvoite")
        verbose_name_plural = _("työllistämisvelvoitteet")
        ordering = ["-notice_received_on", "-pk"]
        indexes = [models.Index(fields=["status", "job_must_start_by"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.max_period_end:%d.%m.%Y}"

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED


class PaySubsidy(models.Model):
    """A pay-subsidised employment: the application, the decision and the job."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Haettu")
        GRANTED = "granted", _("Myönnetty")
        REJECTED = "rejected", _("Hylätty")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="pay_subsidies"
    )
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        related_name="pay_subsidies",
        verbose_name=_("työnantaja"),
    )
    obligated_employment = models.ForeignKey(
        ObligatedEmployment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pay_subsidies",
    )
    job_title = models.CharField(_("tehtävä"), max_length=200)
    basis = models.CharField(_("peruste"), max_length=32, choices=BASES)
    unemployed_months_of_last_28 = models.PositiveSmallIntegerField(
        _("työttömänä kk viimeisten 28 kk aikana")
    )
    unemployed_months_of_last_14 = models.PositiveSmallIntegerField(
        _("työttömänä kk viimeisten 14 kk aikana"), null=True, blank=True
    )
    long_term_unemployed = models.BooleanField(_("pitkäaikaistyötön"), null=True, blank=True)
    start = models.DateField(_("alkaa"))
    end = models.DateField(_("päättyy"))
    monthly_wage_costs = models.DecimalField(
        _("palkkakustannukset kuukaudessa (€)"), max_digits=10, decimal_places=2
    )
    status = models.CharField(
        _("tila"), max_length=12, choices=Status.choices, default=Status.APPLIED
    )
    applied_on = models.DateField(_("haettu"))
    decision_on = models.DateField(_("päätös"), null=True, blank=True)
    decision_number = models.CharField(_("päätöksen numero"), max_length=40, blank=True)
    # The rules engine's answer for ``start`` (kept so claims stay as decided).
    allowed = models.BooleanField(null=True)
    rate = models.PositiveSmallIntegerField(_("tuki (%)"), null=True)
    duration_months = models.PositiveSmallIntegerField(_("tuen kesto (kk)"), null=True)
    monthly_cap = models.DecimalField(
        _("enimmäismäärä (€/kk)"), null=True, max_digits=10, decimal_places=2
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("palkkatuettu työsuhde")
        verbose_name_plural = _("palkkatuetut työsuhteet")
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["status", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.job_title} {self.start:%d.%m.%Y}"


class PaySubsidyClaim(models.Model):
    """A payment claim to KEHA-keskus for a period; its total is the sum of its lines."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="pay_subsidy_claims"
    )
    period_start = models.DateField(_("jakso alkaa"))
    period_end = models.DateField(_("jakso päättyy"))
    amount = models.DecimalField(_("haettava tuki (€)"), max_digits=10, decimal_places=2)
    wage_costs = models.DecimalField(_("palkkakustannukset (€)"), max_digits=10, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("palkkatuen maksatushakemus")
        ordering = ["-period_start", "-pk"]

    def __str__(self) -> str:
        return f"{self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"


class PaySubsidyClaimLine(models.Model):
    claim = models.ForeignKey(PaySubsidyClaim, on_delete=models.CASCADE, related_name="lines")
    subsidy = models.ForeignKey(PaySubsidy, on_delete=models.PROTECT, related_name="claim_lines")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("kuukausi"))
    days_covered = models.PositiveSmallIntegerField(_("tukipäiviä"))
    days_in_month = models.PositiveSmallIntegerField()
    wage_costs = models.DecimalField(_("palkkakustannukset (€)"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("tuki (€)"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["month", "pk"]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.amount}"


class SubsidyBudget(models.Model):
    """The year's budget for pay-subsidised employment (entered figure)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="subsidy_budgets"
    )
    year = models.PositiveSmallIntegerField(_("vuosi"))
    amount = models.DecimalField(_("talousarvio (€)"), max_digits=12, decimal_places=2)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="subsidy_budget_year")
        ]

    def __str__(self) -> str:
        return str(self.year)


ZERO = Decimal("0.00")
