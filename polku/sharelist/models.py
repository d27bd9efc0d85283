"""Kela's municipal-share list (kuntaosuuslista) and the team's work through it (SPEC C7).

A list row is one payment period Kela billed to the municipality. Its identity is
(person, benefit, payment date, period start, period end) (CONTRACTS.md §3): importing
the same file again matches every row and writes nothing. The person is stored as
the client (matched by identity code, created when unknown), never as a second copy
of the identity code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The fields of the default profile ``polku`` (CONTRACTS.md §3), in file order.
FIELDS = (
    "henkilotunnus",
    "sukunimi",
    "etunimet",
    "etuus",
    "maksupaiva",
    "jakso_alku",
    "jakso_loppu",
    "paivat",
    "maksettu_eur",
    "kuntaosuus_pros",
    "kuntaosuus_eur",
    "kertyneet_paivat",
)
OPTIONAL_FIELDS = frozenset({"kuntaosuus_pros", "kertyneet_paivat"})


class Benefit(models.TextChoices):
    LMS = "TMT", _("Työmarkkinatuki")
    BASIC_ALLOWANCE = "PPR", _("Peruspäiväraha")
    EARNINGS_ALLOWANCE = "ANS", _("Ansiopäiväraha")


class ColumnMapping(models.Model):
    """A column profile: which header names in the file mean which field.

    Kela's export layout is not public (LEGAL.md §3), so the administrator keeps the
    profiles. ``aliases`` maps each field of ``FIELDS`` to the header names accepted
    for it (compared case-insensitively, surrounding spaces ignored). A profile without
    an organisation is available to every organisation.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisaatio"),
    )
    name = models.SlugField(_("nimi"), max_length=50)
    description = models.CharField(_("kuvaus"), max_length=200, blank=True)
    aliases = models.JSONField(_("sarakkeiden nimet"), default=dict)

    class Meta:
        verbose_name = _("sarakeprofiili")
        verbose_name_plural = _("sarakeprofiilit")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="column_mapping_unique_name"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(organisation__isnull=True),
                name="column_mapping_unique_global_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ShareListImport(models.Model):
    """One import of a list file through the pages: checked in the background, previewed,
    confirmed, then applied in the background. The command line and the API import in
    one go and keep a record only when something was written."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Tarkistetaan")
        PREVIEW = "preview", _("Esikatselu")
        IMPORTING = "importing", _("Tuodaan")
        DONE = "done", _("Tuotu")
        REJECTED = "rejected", _("Hylätty")
        FAILED = "failed", _("Epäonnistui")
        EXPIRED = "expired", _("Vanhentunut")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    mapping = models.ForeignKey(ColumnMapping, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("tiedosto"), max_length=200)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("tila"), max_length=16, choices=Status.choices, default=Status.PREVIEW
    )
    progress = models.PositiveSmallIntegerField(_("edistyminen %"), default=0)
    accept_valid = models.BooleanField(_("tuo kelvolliset rivit"), default=False)
    summary = models.JSONField(_("yhteenveto"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ladattu"))
    finished_at = models.DateTimeField(_("tuotu"), null=True, blank=True)

    class Meta:
        verbose_name = _("listan tuonti")
        verbose_name_plural = _("listan tuonnit")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d})"

    @property
    def running(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.IMPORTING}


class ShareListImportPart(models.Model):
    """A piece of an unfinished import kept in the database between its steps (the
    background worker may run on another server): the uploaded file until it is checked,
    then its valid rows (compressed CSV) until they are imported. Deleted when the import
    finishes, fails or expires."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", _("ladattu tiedosto")
        ROWS = "rows", _("tarkistetut rivit")

    job = models.ForeignKey(ShareListImport, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        verbose_name = _("tuonnin osa")
        verbose_name_plural = _("tuonnin osat")
        constraints = [
            models.UniqueConstraint(
                fields=["job", "kind", "index"], name="share_list_import_part_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_id} {self.kind} {self.index}"


class ShareListRow(models.Model):
    """One payment period on Kela's list. Negative days and euros are returns/corrections."""

    # No database constraints on these keys: rows are only ever written by the merge,
    # which joins each row to an existing client of the organisation in the same
    # transaction, and each foreign-key trigger costs ~1 s per 500,000 rows (SPEC §4).
    # Deleting a listed client is still refused (PROTECT) by the ORM. No index of their
    # own either: the identity constraint starts with the client and ``share_list_month``
    # with the organisation, and every index is written for every imported row.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="share_list_rows",
        db_constraint=False,
        db_index=False,
    )
    benefit = models.CharField(_("etuus"), max_length=3, choices=Benefit.choices)
    payment_date = models.DateField(_("maksupäivä"))
    period_start = models.DateField(_("jakso alkaa"))
    period_end = models.DateField(_("jakso päättyy"))
    month = models.DateField(_("listan kuukausi"))  # first day of the payment month
    days = models.IntegerField(_("päivät"))
    paid = models.DecimalField(_("maksettu €"), max_digits=12, decimal_places=2)
    share_percent = models.DecimalField(
        _("kuntaosuus %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    share = models.DecimalField(_("kuntaosuus €"), max_digits=12, decimal_places=2)
    accumulated_days = models.IntegerField(_("kertyneet päivät"), null=True, blank=True)
    # Which import last wrote the row; nothing looks rows up by it. Only imports that
    # wrote no row are ever deleted, so deleting one needs no query over the rows.
    last_import = models.ForeignKey(
        ShareListImport,
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("kuntaosuuslistan rivi")
        verbose_name_plural = _("kuntaosuuslistan rivit")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "client",
                    "benefit",
                    "payment_date",
                    "period_start",
                    "period_end",
                ],
                name="share_list_row_identity",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "month"], name="share_list_month"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.benefit} {self.payment_date}"


class ContactOwner(models.Model):
    """Who contacts the person on the list, agreed in the monthly review meeting."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="share_list_contact_owner"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("yhteydenottaja"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    assigned_on = models.DateField(_("sovittu"))

    class Meta:
        verbose_name = _("yhteydenottaja")
        verbose_name_plural = _("yhteydenottajat")

    def __str__(self) -> str:
        return f"{self.client_id} → {self.worker_id}"


class ContactAttempt(models.Model):
    """One attempt to reach a person on the list, and what came of it."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Puhelu")
        LETTER = "letter", _("Kirje")
        IN_PERSON = "in_person", _("Tapaaminen")

    class Result(models.TextChoices):
        REACHED = "reached", _("Tavoitettu")
        NOT_REACHED = "not_reached", _("Ei tavoitettu")
        LETTER_SENT = "letter_sent", _("Kirje lähetetty")
        APPOINTMENT = "appointment", _("Tapaaminen sovittu")
        DECLINED = "declined", _("Ei halua palvelua nyt")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="share_list_contacts"
    )
    method = models.CharField(_("tapa"), max_length=16, choices=Method.choices)
    result = models.CharField(_("tulos"), max_length=16, choices=Result.choices)
    made_on = models.DateField(_("päivä"))
    note = models.CharField(_("lisätieto"), max_length=300, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("kirjattu"))

    class Meta:
        verbose_name = _("yhteydenottoyritys")
        verbose_name_plural = _("yhteydenottoyritykset")
        ordering = ["-made_on", "-id"]
        indexes = [models.Index(fields=["client", "made_on"], name="share_contact_client_day")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.method} {self.made_on}"
