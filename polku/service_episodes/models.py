"""Services, placements, rehabilitative work activity (KTT), attendance and claims (SPEC C4)."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.rules.engine.ktt_contract import ProviderType


class ServiceKind(models.TextChoices):
    KTT = "ktt", _("Kuntouttava työtoiminta")
    WORK_TRIAL = "work_trial", _("Työkokeilu")
    SOCIAL_REHABILITATION = "social_rehabilitation", _("Sosiaalinen kuntoutus")
    YOUTH_WORKSHOP = "youth_workshop", _("Nuorten työpaja")
    INDIVIDUAL_COACHING = "individual_coaching", _("Yksilövalmennus")
    GROUP_COACHING = "group_coaching", _("Ryhmävalmennus")
    PAY_SUBSIDISED_WORK = "pay_subsidised_work", _("Palkkatuettu työ")
    OBLIGATED_EMPLOYMENT = "obligated_employment", _("Työllistämisvelvoite")
    SUPPORTED_EMPLOYMENT = "supported_employment", _("Työhönvalmennus")
    HEALTH_CHECK = "health_check", _("Terveystarkastus")
    START_COACHING = "start_coaching", _("Starttivalmennus")
    WORK_BASED_LEARNING = "work_based_learning", _("Opiskelijan työssäoppimisjakso")
    COMMUNITY_SERVICE = "community_service", _("Yhdyskuntapalvelu tai valvontarangaistus")
    OTHER = "other", _("Muu palvelu")


class ReferralSource(models.TextChoices):
    """Lähettäjätaho (seed 002: "which are the most common referrers?")."""

    SHARE_LIST = "share_list", _("Kelan kuntaosuuslista / aktivointitapaaminen")
    EMPLOYMENT_AUTHORITY = "employment_authority", _("TE-palvelut / nuorisotakuu")
    OUTREACH_YOUTH_WORK = "outreach_youth_work", _("Etsivä nuorisotyö")
    SOCIAL_HEALTH = "social_health", _("Sosiaali- tai terveyspalvelut")
    SELF = "self", _("Oma yhteydenotto")
    OTHER = "other", _("Muu")


class Outcome(models.TextChoices):
    """Where the client went when the service ended (seed 002 categories)."""

    WORK = "work", _("Työhön")
    STUDIES = "studies", _("Opiskelemaan")
    UNEMPLOYED = "unemployed", _("Työttömäksi")
    EMPLOYMENT_MEASURE = (
        "employment_measure",
        _("TE-palveluiden työllistymistä edistävään palveluun"),
    )
    CONTINUED = "continued", _("Jatkaa palvelussa")
    SOCIAL_HEALTH = "social_health", _("Sosiaali- ja terveyspalveluihin")
    NO_INFORMATION = "no_information", _("Ei tietoa")
    MOVED_AWAY = "moved_away", _("Muuttanut pois")
    OTHER_INCOME = "other_income", _("Muun toimeentulon piiriin")


class ServiceType(models.Model):
    """One entry of the organisation's service catalogue (palveluvalikko)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="service_types"
    )
    kind = models.CharField(_("palvelulaji"), max_length=32, choices=ServiceKind.choices)
    name = models.CharField(_("nimi"), max_length=200)
    description = models.TextField(_("kuvaus"), blank=True)
    active = models.BooleanField(_("käytössä"), default=True)

    class Meta:
        verbose_name = _("palvelu")
        verbose_name_plural = _("palveluvalikko")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="service_type_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """A work activity place (työtoimintapaikka) with its capacity and supervisors."""

    class Kind(models.TextChoices):
        MUNICIPAL_UNIT = "municipal_unit", _("Kunnan yksikkö")
        WELLBEING_COUNTY_UNIT = "wellbeing_county_unit", _("Hyvinvointialueen yksikkö")
        WORKSHOP = "workshop", _("Työpaja (oma tuotanto)")
        ASSOCIATION = "association", _("Yhdistys")
        FOUNDATION = "foundation", _("Säätiö")
        COMPANY = "company", _("Yritys")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="placements"
    )
    name = models.CharField(_("nimi"), max_length=200)
    kind = models.CharField(_("ylläpitäjä"), max_length=32, choices=Kind.choices)
    # Who provides the activity here and under which agreement (seed 004).
    provider = models.ForeignKey(
        "ktt.KttProvider",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("palveluntuottaja"),
    )
    address = models.CharField(_("osoite"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("paikkoja"), default=1)
    contact_person = models.CharField(_("yhteyshenkilö"), max_length=200, blank=True)
    contact_phone = models.CharField(_("yhteyshenkilön puhelin"), max_length=40, blank=True)
    orientation_given_on = models.DateField(_("perehdytys annettu"), null=True, blank=True)
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="supervised_placements",
        verbose_name=_("ohjaajat"),
    )
    active = models.BooleanField(_("käytössä"), default=True)

    class Meta:
        verbose_name = _("työtoimintapaikka")
        verbose_name_plural = _("työtoimintapaikat")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="placement_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def provider_type(self) -> ProviderType:
        """The rules engine's provider type (the workshop and units are the municipality's)."""
        return {
            self.Kind.MUNICIPAL_UNIT: ProviderType.MUNICIPALITY,
            self.Kind.WORKSHOP: ProviderType.MUNICIPALITY,
            self.Kind.WELLBEING_COUNTY_UNIT: ProviderType.WELLBEING_COUNTY,
            self.Kind.ASSOCIATION: ProviderType.ASSOCIATION,
            self.Kind.FOUNDATION: ProviderType.FOUNDATION,
            self.Kind.COMPANY: ProviderType.COMPANY,
        }[self.Kind(self.kind)]


class ServiceEpisode(models.Model):
    """A client's period in one service (palvelujakso), with the outcome at exit."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="service_episodes"
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("palvelu")
    )
    provider = models.CharField(_("palveluntuottaja"), max_length=200, blank=True)
    placement = models.ForeignKey(
        Placement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="episodes",
        verbose_name=_("työtoimintapaikka"),
    )
    referral_source = models.CharField(
        _("lähettäjätaho"), max_length=32, choices=ReferralSource.choices
    )
    started_on = models.DateField(_("alkoi"))
    ended_on = models.DateField(_("päättyi"), null=True, blank=True)
    outcome = models.CharField(
        _("tilanne palvelun päättyessä"), max_length=32, choices=Outcome.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("palvelujakso")
        verbose_name_plural = _("palvelujaksot")
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["placement", "ended_on"], name="episode_placement_open"),
            # The monthly report counts the episodes that started or ended within a month.
            models.Index(fields=["started_on"], name="episode_started"),
            models.Index(fields=["ended_on"], name="episode_ended"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | ~models.Q(outcome=""),
                name="episode_ended_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type_id} {self.started_on}–{self.ended_on or ''}"


class KttContract(models.Model):
    """The KTT contract (sopimus) of one episode: terms, decision, signing, follow-up, end."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Luonnos")
        DECIDED = "decided", _("Päätös tehty")
        SIGNED = "signed", _("Allekirjoitettu, käynnissä")
        INTERRUPTED = "interrupted", _("Keskeytetty")
        ENDED = "ended", _("Päättynyt")

    episode = models.OneToOneField(
        ServiceEpisode, on_delete=models.CASCADE, related_name="ktt_contract"
    )
    start = models.DateField(_("alkaa"))
    end = models.DateField(_("päättyy"))
    days_per_week = models.PositiveSmallIntegerField(_("päiviä viikossa"))
    hours_per_day = models.DecimalField(_("tunteja päivässä"), max_digits=3, decimal_places=1)
    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="ktt_contracts", verbose_name=_("paikka")
    )
    coaching_content = models.TextField(_("valmennuksen sisältö ja tavoitteet"))
    status = models.CharField(
        _("tila"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The social counsellor the contract was sent to for the decision (her worklist).
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ktt_decisions",
        verbose_name=_("päätöksen tekijä"),
    )
    decided_on = models.DateField(_("päätöspäivä"), null=True, blank=True)
    decision_text = models.TextField(_("päätöksen perustelut"), blank=True)
    signed_on = models.DateField(_("allekirjoitettu"), null=True, blank=True)
    # Planned follow-up meetings as dates (the meetings themselves live in the calendar).
    follow_up_dates = models.JSONField(_("seurantatapaamiset"), default=list, blank=True)
    final_evaluation_on = models.DateField(_("loppuarviointi viimeistään"), null=True, blank=True)
    evaluation_held_on = models.DateField(_("loppuarviointi pidetty"), null=True, blank=True)
    interrupted_on = models.DateField(_("keskeytetty"), null=True, blank=True)
    interruption_reason = models.TextField(_("keskeytyksen syy"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("KTT-sopimus")
        verbose_name_plural = _("KTT-sopimukset")
        ordering = ["-start", "-id"]
        indexes = [
            models.Index(fields=["status", "final_evaluation_on"], name="ktt_evaluation_due")
        ]

    def __str__(self) -> str:
        return f"KTT {self.start}–{self.end}"

    @property
    def follow_up_days(self) -> list[date]:
        return [date.fromisoformat(day) for day in self.follow_up_dates]


class InterruptionNotice(models.Model):
    """The notice of an interrupted KTT to the client's social worker, with a short summary."""

    contract = models.ForeignKey(KttContract, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ktt_notices"
    )
    summary = models.TextField(_("yhteenveto"))
    sent_at = models.DateTimeField(_("lähetetty"))

    class Meta:
        verbose_name = _("keskeytysilmoitus")
        verbose_name_plural = _("keskeytysilmoitukset")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.contract_id} → {self.recipient_id}"


class Group(models.Model):
    """A group activity (ryhmä) with sessions and participants."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="service_groups"
    )
    name = models.CharField(_("nimi"), max_length=200)
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="groups", verbose_name=_("palvelu")
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="instructed_groups",
        verbose_name=_("ohjaaja"),
    )
    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, null=True, blank=True, related_name="groups"
    )
    description = models.TextField(_("sisältö"), blank=True)
    started_on = models.DateField(_("alkaa"))
    ended_on = models.DateField(_("päättyy"), null=True, blank=True)

    class Meta:
        verbose_name = _("ryhmä")
        verbose_name_plural = _("ryhmät")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    joined_on = models.DateField(_("liittyi"))
    left_on = models.DateField(_("lähti"), null=True, blank=True)

    class Meta:
        verbose_name = _("ryhmän jäsen")
        verbose_name_plural = _("ryhmän jäsenet")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "client"],
                condition=models.Q(left_on__isnull=True),
                name="group_member_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.client_id}"


class GroupSession(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("päivä"))
    topic = models.CharField(_("aihe"), max_length=200)
    competences = models.CharField(_("harjoitellut taidot"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ryhmän kokoontuminen")
        verbose_name_plural = _("ryhmän kokoontumiset")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.group_id} {self.day}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Läsnä")
    SICK = "sick", _("Sairas")
    EXCUSED = "excused", _("Luvallinen poissaolo")
    UNEXCUSED = "unexcused", _("Luvaton poissaolo")


class Attendance(models.Model):
    """One client's attendance on one day (läsnäolo); ``version`` guards concurrent edits."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="attendance"
    )
    day = models.DateField(_("päivä"))
    status = models.CharField(_("merkintä"), max_length=16, choices=AttendanceStatus.choices)
    reason = models.CharField(_("poissaolon syy"), max_length=200, blank=True)
    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance"
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("kirjattu"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("läsnäolo")
        verbose_name_plural = _("läsnäolot")
        constraints = [
            models.UniqueConstraint(fields=["client", "day"], name="attendance_once_a_day")
        ]
        indexes = [models.Index(fields=["day", "status"], name="attendance_day_status")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.day} {self.status}"


class AttendanceChange(models.Model):
    """A correction of an attendance mark: the old and the new value (history)."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="changes")
    old_status = models.CharField(max_length=16, blank=True)
    new_status = models.CharField(max_length=16)
    old_reason = models.CharField(max_length=200, blank=True)
    new_reason = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("läsnäolon korjaus")
        verbose_name_plural = _("läsnäolon korjaukset")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.attendance_id}: {self.old_status} → {self.new_status}"

    @property
    def old_label(self) -> str:
        return str(dict(AttendanceStatus.choices).get(self.old_status, "–"))

    @property
    def new_label(self) -> str:
        return str(dict(AttendanceStatus.choices).get(self.new_status, "–"))


class AllowanceStatement(models.Model):
    """The client's expense allowance (kulukorvaus) or activity allowance (toimintaraha)
    and travel costs for one period, computed by the rules engine from attendance."""

    class Kind(models.TextChoices):
        EXPENSE_ALLOWANCE = "expense_allowance", _("Kulukorvaus")
        ACTIVITY_ALLOWANCE = "activity_allowance", _("Toimintaraha")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="allowance_statements"
    )
    period_start = models.DateField(_("jakso alkaa"))
    period_end = models.DateField(_("jakso päättyy"))
    kind = models.CharField(_("laji"), max_length=32, choices=Kind.choices)
    days = models.PositiveIntegerField(_("päiviä"))
    amount = models.DecimalField(_("määrä"), max_digits=10, decimal_places=2)
    travel_costs = models.DecimalField(
        _("matkakulut"), max_digits=10, decimal_places=2, default=Decimal(0)
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("kulukorvaus tai toimintaraha")
        verbose_name_plural = _("kulukorvaukset ja toimintarahat")
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id} {self.period_start}–{self.period_end}"

    @property
    def total(self) -> Decimal:
        return self.amount + self.travel_costs


class ReimbursementClaim(models.Model):
    """The state reimbursement claim to KEHA-keskus for one period (tilityshakemus)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="ktt_claims"
    )
    period_start = models.DateField(_("jakso alkaa"))
    period_end = models.DateField(_("jakso päättyy"))
    participants = models.PositiveIntegerField(_("osallistujia"))
    attended_days = models.PositiveIntegerField(_("osallistumispäiviä"))
    reimbursable_days = models.PositiveIntegerField(_("korvattavia päiviä"))
    amount = models.DecimalField(_("korvaus yhteensä"), max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tilityshakemus")
        verbose_name_plural = _("tilityshakemukset")
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end}"


class ClaimLine(models.Model):
    """One participant of a claim: attended and reimbursable days and the amount."""

    claim = models.ForeignKey(ReimbursementClaim, on_delete=models.CASCADE, related_name="lines")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    attended_days = models.PositiveIntegerField()
    reimbursable_days = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("tilityshakemuksen rivi")
        verbose_name_plural = _("tilityshakemuksen rivit")
        constraints = [models.UniqueConstraint(fields=["claim", "client"], name="claim_line_once")]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.client_id}"
