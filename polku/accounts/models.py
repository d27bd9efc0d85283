from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.accounts.roles import Role


class Organisation(models.Model):
    """A municipality, an employment area or a wellbeing services county."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kunta")
        EMPLOYMENT_AREA = "employment_area", _("Työllisyysalue")
        WELLBEING_COUNTY = "wellbeing_county", _("Hyvinvointialue")

    slug = models.SlugField(_("tunniste"), unique=True)
    name = models.CharField(_("nimi"), max_length=200)
    kind = models.CharField(_("tyyppi"), max_length=32, choices=Kind.choices)
    municipality_code = models.CharField(_("kuntanumero"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("organisaatio")
        verbose_name_plural = _("organisaatiot")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A worker. Clients have no accounts."""

    # Single sign-on matches on the identity provider's subject, never on the e-mail
    # address: an address can be reassigned to a new employee, the subject cannot.
    oidc_subject = models.CharField(
        _("tunnistuspalvelun tunniste"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "Kertakirjautumisen tunniste (sub), jonka kunnan tunnistuspalvelu antaa tälle "
            "työntekijälle. Tyhjä: vain salasanakirjautuminen."
        ),
    )

    class Meta:
        verbose_name = _("käyttäjä")
        verbose_name_plural = _("käyttäjät")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user's role in an organisation; a user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rooli"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("jäsenyys")
        verbose_name_plural = _("jäsenyydet")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_known_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class DataSharingAgreement(models.Model):
    """An agreement that lets one organisation disclose client data to another.

    Disclosure still needs the client's valid consent (SPEC §1).
    """

    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreements_as_provider"
    )
    recipient = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreements_as_recipient"
    )
    purpose = models.TextField(_("käyttötarkoitus"))
    valid_from = models.DateField(_("voimassa alkaen"))
    valid_until = models.DateField(_("voimassa asti"), null=True, blank=True)

    class Meta:
        verbose_name = _("tietojenluovutussopimus")
        verbose_name_plural = _("tietojenluovutussopimukset")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(provider=models.F("recipient")),
                name="agreement_between_two_organisations",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="agreement_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} → {self.recipient}"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("alku"), max_length=8)
    created_at = models.DateTimeField(_("luotu"))
    # POLKU_API_TOKEN_DAYS after creation; a new token is made for a longer use.
    expires_at = models.DateTimeField(_("vanhenee"))
    revoked_at = models.DateTimeField(_("peruttu"), null=True, blank=True)
    # Updated at most once a minute, so that a busy integration does not write on every call.
    last_used_at = models.DateTimeField(_("viimeksi käytetty"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-avain")
        verbose_name_plural = _("API-avaimet")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
