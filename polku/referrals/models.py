"""Referrals and warm handovers, team bookings, meetings and the work-ability summary (SPEC C5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.core.choices import ContactChannel
from polku.core.models import VersionedRecord


class Referral(VersionedRecord):
    """A referral or warm handover (lähete, saattaen vaihtaminen) to another service.

    The handover is complete only when the receiving worker acknowledges it.
    """

    class Kind(models.TextChoices):
        ADULT_SOCIAL_WORK = "adult_social_work", _("Aikuissosiaalityön palvelutarpeen arviointi")
        HEALTH_CHECK = "health_check", _("Työttömän terveystarkastus")
        SOTE_TEAM = "sote_team", _("Monialainen sote-tiimi")
        SUBSTANCE_ABUSE = "substance_abuse", _("Päihdepalvelut")
        MENTAL_HEALTH = "mental_health", _("Mielenterveyspalvelut")
        KELA_REHABILITATION = "kela_rehabilitation", _("Kelan kuntoutus")
        TYP = "typ", _("TYP (työllistymistä edistävä monialainen yhteispalvelu)")
        WORK_ABILITY_TEAM = "work_ability_team", _("Työkyvyn tuen tiimi")
        WORK_ABILITY_COORDINATOR = "work_ability_coordinator", _("Työkykykoordinaattori")
        CONCERN_NOTIFICATION = "concern_notification", _("Ilmoitus sosiaalihuollon tarpeesta")

    class Status(models.TextChoices):
        SENT = "sent", _("Lähetetty")
        ACKNOWLEDGED = "acknowledged", _("Vastaanotettu")
        COMPLETED = "completed", _("Valmis")
        DECLINED = "declined", _("Ei vastaanotettu")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(_("kohde"), max_length=32, choices=Kind.choices)
    receiving_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("vastaanottava organisaatio"),
    )
    receiving_unit = models.CharField(_("vastaanottava yksikkö"), max_length=200, blank=True)
    receiving_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
        verbose_name=_("vastaanottava työntekijä"),
    )
    reason = models.TextField(_("syy ja yhteenveto"))
    sent_on = models.DateField(_("lähetetty"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    status = models.CharField(_("tila"), max_length=16, choices=Status.choices, default=Status.SENT)
    acknowledged_at = models.DateTimeField(_("vastaanotettu"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.TextField(_("tulos ja palaute"), blank=True)
    # Health check for the unemployed: the TE services' referral and the feedback form back.
    te_referral = models.CharField(_("TE-palvelujen lähete"), max_length=300, blank=True)
    feedback_received_on = models.DateField(_("palaute saatu"), null=True, blank=True)
    consent = models.ForeignKey(
        "clients.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suostumus"),
    )

    class Meta:
        verbose_name = _("lähete")
        verbose_name_plural = _("lähetteet")
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["client", "sent_on"]),
            models.Index(fields=["status", "receiving_worker"], name="referral_inbox"),
            models.Index(fields=["status", "sent_by"], name="referral_outbox"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_on}"

    @property
    def is_external(self) -> bool:
        return self.receiving_organisation_id != self.organisation_id


class TeamBooking(VersionedRecord):
    """A slot with the multi-professional sote team (monialainen sote-tiimi)."""

    class Mode(models.TextChoices):
        RECEPTION = "reception", _("Vastaanotto, asiakas paikalla")
        CONSULTATION = "consultation", _("Konsultaatio asiakkaan luvalla")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="team_bookings"
    )
    team = models.CharField(_("tiimi"), max_length=200)
    mode = models.CharField(_("muoto"), max_length=16, choices=Mode.choices)
    client_permission_on = models.DateField(_("asiakkaan lupa annettu"), null=True, blank=True)
    starts_at = models.DateTimeField(_("alkaa"))
    ends_at = models.DateTimeField(_("päättyy"))
    question = models.TextField(_("kysymys tiimille"))
    outcome = models.TextField(_("tulos"), blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sote-tiimin varaus")
        verbose_name_plural = _("sote-tiimin varaukset")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_slot_in_order"
            ),
            # A consultation without the client present needs the client's permission.
            models.CheckConstraint(
                condition=~models.Q(mode="consultation")
                | models.Q(client_permission_on__isnull=False),
                name="booking_consultation_permitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.starts_at:%Y-%m-%d %H:%M}"


class Meeting(VersionedRecord):
    """A planned appointment with a client (tapaaminen)."""

    class Kind(models.TextChoices):
        COACHING = "coaching", _("Valmennustapaaminen")
        PLAN_REVIEW = "plan_review", _("Suunnitelman tarkistus")
        SOTE_TEAM = "sote_team", _("Sote-tiimin aika")
        POPUP = "popup", _("PopUp-tapahtuma")
        KTT_FOLLOW_UP = "ktt_follow_up", _("Kuntouttavan työtoiminnan seuranta")
        OTHER = "other", _("Muu")

    class Attendance(models.TextChoices):
        PLANNED = "planned", _("Suunniteltu")
        ATTENDED = "attended", _("Toteutui")
        NO_SHOW = "no_show", _("Ei saapunut")
        CANCELLED = "cancelled", _("Peruttu")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="meetings")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("työntekijä"),
    )
    starts_at = models.DateTimeField(_("alkaa"))
    ends_at = models.DateTimeField(_("päättyy"))
    kind = models.CharField(_("laji"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("kanava"), max_length=16, choices=ContactChannel.choices)
    title = models.CharField(_("otsikko"), max_length=200, blank=True)
    location = models.CharField(_("paikka"), max_length=200, blank=True)
    attendance = models.CharField(
        _("toteutuminen"), max_length=16, choices=Attendance.choices, default=Attendance.PLANNED
    )
    notes = models.TextField(_("muistiinpanot"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("tapaaminen")
        verbose_name_plural = _("tapaamiset")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_in_order"
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "starts_at"]),
            models.Index(fields=["client", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A worker's secret iCalendar subscription address. Only the token's hash is stored."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    show_client_names = models.BooleanField(_("näytä asiakkaiden nimet"), default=False)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kalenteritilaus")
        verbose_name_plural = _("kalenteritilaukset")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "worker"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_calendar_feed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.organisation_id})"


class WorkAbilitySummary(models.Model):
    """Work-ability support summary (työkyvyn tuen koonti, seed 003)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="work_ability_summaries"
    )
    question = models.TextField(_("kysymys, johon haetaan vastausta"))
    unemployment_duration = models.CharField(_("työttömyyden kesto"), max_length=300, blank=True)
    family = models.TextField(_("perhetilanne"), blank=True)
    housing = models.TextField(_("asuminen"), blank=True)
    benefits = models.TextField(_("toimeentulo ja sosiaaliturva"), blank=True)
    debts = models.TextField(_("velat"), blank=True)
    enforcement = models.TextField(_("ulosotto"), blank=True)
    current_measures = models.TextField(_("nykyiset toimenpiteet ja palvelut"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("laadittu"))
    updated_at = models.DateTimeField(_("muutettu"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("työkyvyn tuen koonti")
        verbose_name_plural = _("työkyvyn tuen koonnit")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id} {self.created_at:%Y-%m-%d}"
