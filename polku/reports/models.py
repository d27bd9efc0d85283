"""Goals, entered figures, month-close snapshots and questionnaires (SPEC C8)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from polku.service_episodes.models import Outcome


class Goal(models.Model):
    """One of the steering group's goals (seed 000 chapter 3) with its measures."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("tavoite"), max_length=200)
    measures = models.JSONField(_("keinot"), default=list)  # list of plain sentences
    order = models.PositiveSmallIntegerField(_("järjestys"), default=0)
    version = models.PositiveIntegerField(default=1)  # optimistic locking of edits

    class Meta:
        verbose_name = _("tavoite")
        verbose_name_plural = _("tavoitteet")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """A goal's yearly target for one built-in indicator (``indicators.INDICATORS`` key)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("mittari"), max_length=40)
    year = models.PositiveSmallIntegerField(_("vuosi"))
    value = models.DecimalField(_("tavoitearvo"), max_digits=12, decimal_places=2)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("tavoitearvo")
        verbose_name_plural = _("tavoitearvot")
        ordering = ["goal", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "indicator", "year"], name="target_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class EnteredFigure(models.Model):
    """A monthly figure entered by hand: the unemployment rate, a workshop's budget/actuals."""

    class Kind(models.TextChoices):
        UNEMPLOYMENT_RATE = "unemployment_rate", _("Työttömyysprosentti")
        WORKSHOP_BUDGET = "workshop_budget", _("Työpajan talousarvio €")
        WORKSHOP_ACTUAL = "workshop_actual", _("Työpajan toteuma €")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("luku"), max_length=32, choices=Kind.choices)
    month = models.DateField(_("kuukausi"))  # first day of the month
    unit = models.CharField(_("yksikkö"), max_length=100, blank=True)  # workshop name
    value = models.DecimalField(_("arvo"), max_digits=12, decimal_places=2)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("syötetty luku")
        verbose_name_plural = _("syötetyt luvut")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "month", "unit"], name="entered_figure_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.month} {self.unit}: {self.value}"


class PartnerAgreement(models.Model):
    """A yearly letter of intent (aiesopimus, seed 002) with a partner; its goals are
    evaluated at the next agreement round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Valmisteilla")
        SIGNED = "signed", _("Allekirjoitettu")
        ENDED = "ended", _("Päättynyt")

    class Achieved(models.TextChoices):
        YES = "yes", pgettext_lazy("goal achieved", "Toteutui")
        PARTLY = "partly", _("Toteutui osittain")
        NO = "no", _("Ei toteutunut")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    partner = models.CharField(_("yhteistyötaho"), max_length=200)
    year = models.PositiveSmallIntegerField(_("vuosi"))
    signed_on = models.DateField(_("allekirjoitettu"), null=True, blank=True)
    contact = models.CharField(_("yhteyshenkilö"), max_length=200, blank=True)
    status = models.CharField(
        _("tila"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    evaluation = models.TextField(_("arvio"), blank=True)  # the summary of the round
    # Derived from the goals' evaluations when the agreement is evaluated (all yes: yes,
    # all no: no, otherwise partly); agreements evaluated as a whole before goal rows keep theirs.
    achieved = models.CharField(
        pgettext_lazy("goal achieved", "toteutuminen"),
        max_length=8,
        choices=Achieved.choices,
        blank=True,
    )
    evaluated_on = models.DateField(_("arvioitu"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)  # optimistic locking of edits

    class Meta:
        verbose_name = _("aiesopimus")
        verbose_name_plural = _("aiesopimukset")
        ordering = ["-year", "partner", "id"]
        indexes = [models.Index(fields=["organisation", "year"], name="partner_agreement_year")]

    def __str__(self) -> str:
        return f"{self.partner} {self.year}"

    @staticmethod
    def overall_achieved(results: list[str]) -> str:
        """The overall result from the goals' results: all yes, all no, or partly."""
        achieved = PartnerAgreement.Achieved
        if results and all(result == achieved.YES for result in results):
            return achieved.YES
        if results and all(result == achieved.NO for result in results):
            return achieved.NO
        return achieved.PARTLY

    @property
    def goals(self) -> list[str]:
        """The agreed goals' texts in order (prefetch ``agreed_goals`` when listing)."""
        return [goal.text for goal in self.agreed_goals.all()]


class AgreementGoal(models.Model):
    """One goal of a partner agreement, evaluated on its own at the next round (seed 002)."""

    agreement = models.ForeignKey(
        PartnerAgreement, on_delete=models.CASCADE, related_name="agreed_goals"
    )
    order = models.PositiveSmallIntegerField(_("järjestys"))
    text = models.CharField(_("tavoite"), max_length=500)
    achieved = models.CharField(
        pgettext_lazy("goal achieved", "toteutuminen"),
        max_length=8,
        choices=PartnerAgreement.Achieved.choices,
        blank=True,
    )
    evaluation = models.TextField(_("arvio"), blank=True)

    class Meta:
        verbose_name = _("aiesopimuksen tavoite")
        verbose_name_plural = _("aiesopimuksen tavoitteet")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "order"], name="agreement_goal_order")
        ]

    def __str__(self) -> str:
        return self.text


class MonthSnapshot(models.Model):
    """Every indicator's value for a closed month; never overwritten (corrections are rows)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("kuukausi"))
    values = models.JSONField(_("arvot"))
    closed_at = models.DateTimeField(_("suljettu"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kuukauden tilannekuva")
        verbose_name_plural = _("kuukausien tilannekuvat")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="snapshot_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m}"


class SnapshotCorrection(models.Model):
    """A later recomputation that differs from the published value, shown as a correction."""

    snapshot = models.ForeignKey(
        MonthSnapshot, on_delete=models.CASCADE, related_name="corrections"
    )
    indicator = models.CharField(_("mittari"), max_length=40)
    published = models.JSONField(_("julkaistu arvo"))
    corrected = models.JSONField(_("korjattu arvo"))
    recorded_at = models.DateTimeField(_("kirjattu"))

    class Meta:
        verbose_name = _("tilannekuvan korjaus")
        verbose_name_plural = _("tilannekuvien korjaukset")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.snapshot_id} {self.indicator}"


class QuestionnaireKind(models.TextChoices):
    FEEDBACK = "feedback", _("Asiakaspalaute")
    CAPACITY = "capacity", _("Työ- ja toimintakyvyn mittari")


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire. Its questions never change once it has answers;
    a change makes a new version.

    ``questions`` is a list of ``{"key", "text", "plain"}``: the standard text and the
    plain-language (selkokieli) text; every question is answered on a 1–5 scale.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kysely"), max_length=16, choices=QuestionnaireKind.choices)
    number = models.PositiveSmallIntegerField(_("versio"))
    title = models.CharField(_("otsikko"), max_length=200)
    questions = models.JSONField(_("kysymykset"))
    created_at = models.DateTimeField(_("laadittu"))

    class Meta:
        verbose_name = _("kyselyn versio")
        verbose_name_plural = _("kyselyjen versiot")
        ordering = ["kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "number"], name="questionnaire_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class QuestionnaireResponse(models.Model):
    """A client's answers to one questionnaire version; ``score`` is the mean (1–5)."""

    class Channel(models.TextChoices):
        LINK = "link", _("Kertakäyttölinkki")
        WORKER = "worker", _("Työntekijän kanssa")

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    answered_on = models.DateField(_("vastattu"))
    channel = models.CharField(_("tapa"), max_length=16, choices=Channel.choices)
    plain_language = models.BooleanField(_("selkokielinen"), default=False)
    answers = models.JSONField(_("vastaukset"))  # {question key: 1..5}
    score = models.DecimalField(_("pisteet"), max_digits=4, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kyselyn vastaus")
        verbose_name_plural = _("kyselyjen vastaukset")
        ordering = ["answered_on", "id"]
        indexes = [
            models.Index(fields=["client", "answered_on"], name="response_client_day"),
            models.Index(fields=["answered_on"], name="response_day"),  # the month's scores
        ]

    def __str__(self) -> str:
        return f"{self.version_id} {self.client_id} {self.answered_on}"


class OneTimeLink(models.Model):
    """A link the client answers without signing in: only the token's hash is stored;
    it expires and works once."""

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    plain_language = models.BooleanField(_("selkokielinen"), default=False)
    created_at = models.DateTimeField(_("luotu"))
    expires_at = models.DateTimeField(_("vanhenee"))
    used_at = models.DateTimeField(_("käytetty"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("kertakäyttölinkki")
        verbose_name_plural = _("kertakäyttölinkit")

    def __str__(self) -> str:
        return f"{self.version_id} {self.client_id}"


class FollowUp(models.Model):
    """Where the client is 3, 6 or 12 months after a service ended (seed 002's table)."""

    class Months(models.IntegerChoices):
        THREE = 3, _("3 kk")
        SIX = 6, _("6 kk")
        TWELVE = 12, _("12 kk")

    episode = models.ForeignKey(
        "service_episodes.ServiceEpisode", on_delete=models.CASCADE, related_name="follow_ups"
    )
    months = models.PositiveSmallIntegerField(_("seuranta"), choices=Months.choices)
    situation = models.CharField(_("tilanne"), max_length=32, choices=Outcome.choices)
    recorded_on = models.DateField(_("kirjattu"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("jälkiseuranta")
        verbose_name_plural = _("jälkiseurannat")
        ordering = ["episode", "months"]
        constraints = [models.UniqueConstraint(fields=["episode", "months"], name="follow_up_once")]

    def __str__(self) -> str:
        return f"{self.episode_id} +{self.months}: {self.situation}"
