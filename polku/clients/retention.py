"""Retention (säilytysajat, 703/2023): anonymise closed client records, purge old logs.

Each record type has a retention period in ``polku/rules/parameters/retention.yaml``
(law as data, with its verification status); ``settings.POLKU_RETENTION_YEARS`` may
override a type's period for an installation.

A client's matter is **closed** when the client has no open plan (draft or in force),
no service episode without an end date and no referral still waiting (sent or
acknowledged). The **last activity** is the later of the client record's last change
and the last row of the client's change history (every change to any of the client's
records writes one; reads do not count). A closed client is past retention when the
last activity is more than the period ago: with 10 years and the last activity on
1.3.2016 the record is kept through 1.3.2026 and anonymised from 2.3.2026.

Anonymising keeps what the reports count (the rows, their dates, codes, outcomes and
numbers) and removes identity: the identity code, names and contact details, the
birth date down to the year, and every free-text field of the client's records.
The change history of an anonymised client is deleted: its old and new values are
the identity itself, and the history cannot be rewritten, only purged. Clients
whose processing is restricted (GDPR art. 18) are kept as they are and counted.

Access and disclosure logs are deleted row by row when older than their period.
On PostgreSQL the logs' append-only trigger allows these deletes only inside a
transaction that sets ``polku.retention_purge`` (audit migration 0003).

Personal data outside the client records has periods in days: the sign-in log of
django-axes (who signed in or failed to, from which address), its lockout counters
(kept at least as long as a lockout lasts), expired sessions, and share-list files
uploaded for a preview that was never confirmed (whole Kela lists with identity codes).
These are deleted once past their period; the sign-in log and counters and the
sessions belong to no organisation and are reported by the command only.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import partial

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, models, transaction
from django.db.models import CharField, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, Greatest, LPad, TruncYear
from django.utils import timezone

from polku.accounts.models import Organisation
from polku.audit import services as audit
from polku.audit.events import RETENTION_APPLIED
from polku.audit.models import AccessLogEntry, ChangeLogEntry, DisclosureLogEntry
from polku.clients.models import Client
from polku.exports.retention import export_files_purge
from polku.plans.models import Plan, PlanStatus
from polku.referrals.models import Referral
from polku.rules.engine.parameters import Status, parameter
from polku.service_episodes.models import ServiceEpisode
from polku.sharelist.services import share_list_previews_purge

ERASED = "–"  # what an erased free-text field holds (some fields may not be empty)
CHUNK = 1000  # clients anonymised per round of updates
OPEN_PLAN = (PlanStatus.DRAFT, PlanStatus.ACTIVE)
OPEN_REFERRAL = (Referral.Status.SENT, Referral.Status.ACKNOWLEDGED)
# Free text that is not about the person and that the reports group by.
KEPT_FOR_STATISTICS = frozenset(
    {
        "service_episodes.ServiceEpisode.provider",
        "service_episodes.AttendanceChange.old_status",
        "service_episodes.AttendanceChange.new_status",
        "referrals.Referral.receiving_unit",
        "referrals.TeamBooking.team",
        "plans.Participant.role",
        "plans.Participant.organisation_name",
        "employment.ObligatedEmployment.job_title",
        "employment.PaySubsidy.job_title",
    }
)


class RecordType(StrEnum):
    WORKING_AGE_SERVICES = "working_age_services"
    ACCESS_LOG = "access_log"
    DISCLOSURE_LOG = "disclosure_log"
    SIGN_IN_LOG = "sign_in_log"  # django-axes AccessLog and AccessFailureLog
    LOCKOUT_ATTEMPT = "lockout_attempt"  # django-axes AccessAttempt: the failure counters
    SESSION = "session"  # counted from the session's expiry
    IMPORT_PREVIEW = "import_preview"  # a share-list file previewed and never confirmed
    EXPORT_FILE = "export_file"  # a document made in the background, waiting for download


# The unit of each type's period: its parameter is retention.<type>_<unit>.
IN_DAYS = frozenset(
    {
        RecordType.SIGN_IN_LOG,
        RecordType.LOCKOUT_ATTEMPT,
        RecordType.SESSION,
        RecordType.IMPORT_PREVIEW,
        RecordType.EXPORT_FILE,
    }
)


@dataclass(frozen=True)
class RetentionPeriod:
    """The period in force for one record type and the day before which records are past it."""

    record_type: RecordType
    length: int
    unit: str  # "years" or "days"
    law: str
    source: str
    status: Status
    overridden: bool  # set by POLKU_RETENTION_<TYPE>_<UNIT> instead of the parameter
    keep_from: date  # records dated on or after this day are kept


@dataclass
class RetentionCounts:
    clients_anonymised: int = 0
    change_log_deleted: int = 0
    restricted_kept: int = 0  # past retention but restricted: kept untouched
    access_log_deleted: int = 0
    disclosure_log_deleted: int = 0
    import_previews_deleted: int = 0
    export_files_deleted: int = 0
    sign_in_log_deleted: int = 0
    lockout_attempts_deleted: int = 0
    sessions_deleted: int = 0

    def add(self, other: "RetentionCounts") -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    def changed(self) -> bool:
        """Whether anything was (or in a dry run would be) anonymised or deleted."""
        return any(value for name, value in asdict(self).items() if name != "restricted_kept")


@dataclass(frozen=True)
class RetentionResult:
    today: date
    dry_run: bool
    periods: tuple[RetentionPeriod, ...]
    counts: RetentionCounts


def retention_periods(*, today: date) -> tuple[RetentionPeriod, ...]:
    """The period of every record type on ``today``: the parameter, or the setting's override.

    Raises:
        ParameterNotInForce: ``today`` is before 703/2023's retention periods applied.
    """
    return tuple(retention_period(record_type, today=today) for record_type in RecordType)


def retention_period(record_type: RecordType, *, today: date) -> RetentionPeriod:
    """The period of one record type on ``today`` (see ``retention_periods``)."""
    in_days = record_type in IN_DAYS
    unit = "days" if in_days else "years"
    value = parameter(f"retention.{record_type}_{unit}", today)
    overrides = settings.POLKU_RETENTION_DAYS if in_days else settings.POLKU_RETENTION_YEARS
    override = overrides.get(record_type)
    length = value.integer() if override is None else override
    return RetentionPeriod(
        record_type=record_type,
        length=length,
        unit=unit,
        law=value.law,
        source=value.source,
        status=value.status,
        overridden=override is not None,
        keep_from=today - timedelta(days=length) if in_days else _years_before(today, length),
    )


def retention_apply(*, today: date, now: datetime, dry_run: bool) -> RetentionResult:
    """Anonymise and purge what is past retention in every organisation; idempotent.

    Each organisation is done in its own transaction and, when anything was done,
    gets one change-history row with its counts. ``dry_run`` counts and writes nothing.
    """
    periods = retention_periods(today=today)
    by_type = {period.record_type: period for period in periods}
    total = RetentionCounts()
    for organisation in Organisation.objects.order_by("pk"):
        total.add(_apply_for(organisation, by_type, today=today, now=now, dry_run=dry_run))
    total.add(_apply_outside_organisations(by_type, now=now, dry_run=dry_run))
    return RetentionResult(today=today, dry_run=dry_run, periods=periods, counts=total)


def clients_past_retention(*, organisation: Organisation, keep_from: date) -> QuerySet[Client]:
    """Closed, not yet anonymised clients whose last activity is before ``keep_from``."""
    last_change = (
        ChangeLogEntry.objects.filter(client=OuterRef("pk"))
        .order_by()
        .values("client")
        .annotate(last=Max("at"))
        .values("last")
    )
    return (
        Client.objects.filter(organisation=organisation, anonymised_on__isnull=True)
        .exclude(Exists(Plan.objects.filter(client=OuterRef("pk"), status__in=OPEN_PLAN)))
        .exclude(Exists(ServiceEpisode.objects.filter(client=OuterRef("pk"), ended_on=None)))
        .exclude(Exists(Referral.objects.filter(client=OuterRef("pk"), status__in=OPEN_REFERRAL)))
        # Coalesce: SQLite's MAX() of a NULL is NULL, where PostgreSQL ignores it.
        .annotate(
            last_activity=Greatest("updated_at", Coalesce(Subquery(last_change), "updated_at"))
        )
        .filter(last_activity__lt=_start_of(keep_from))
    )


def _apply_for(
    organisation: Organisation,
    periods: dict[RecordType, RetentionPeriod],
    *,
    today: date,
    now: datetime,
    dry_run: bool,
) -> RetentionCounts:
    access = AccessLogEntry.objects.filter(
        organisation=organisation, at__lt=_start_of(periods[RecordType.ACCESS_LOG].keep_from)
    )
    disclosures = DisclosureLogEntry.objects.filter(
        organisation=organisation,
        at__lt=_start_of(periods[RecordType.DISCLOSURE_LOG].keep_from),
    )
    purge_previews = partial(
        share_list_previews_purge,
        organisation=organisation,
        uploaded_before=_start_of(periods[RecordType.IMPORT_PREVIEW].keep_from),
        now=now,
    )
    purge_exports = partial(
        export_files_purge,
        organisation_id=organisation.pk,
        requested_before=_start_of(periods[RecordType.EXPORT_FILE].keep_from),
    )
    with transaction.atomic():
        past = clients_past_retention(
            organisation=organisation,
            keep_from=periods[RecordType.WORKING_AGE_SERVICES].keep_from,
        )
        # Locked, so a change saved meanwhile cannot slip in between choosing and erasing.
        to_anonymise = list(
            past.filter(processing_restricted_on__isnull=True)
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)
        )
        history = ChangeLogEntry.objects.filter(client_id__in=to_anonymise)
        counts = RetentionCounts(
            clients_anonymised=len(to_anonymise),
            restricted_kept=past.filter(processing_restricted_on__isnull=False).count(),
        )
        if dry_run:
            counts.change_log_deleted = history.count()
            counts.access_log_deleted = access.count()
            counts.disclosure_log_deleted = disclosures.count()
            counts.import_previews_deleted = purge_previews(dry_run=True)
            counts.export_files_deleted = purge_exports(dry_run=True)
            return counts
        for start in range(0, len(to_anonymise), CHUNK):
            _anonymise(to_anonymise[start : start + CHUNK], today=today)
        with _log_purge_allowed():
            counts.change_log_deleted = _purge(history)
            counts.access_log_deleted = _purge(access)
            counts.disclosure_log_deleted = _purge(disclosures)
        counts.import_previews_deleted = purge_previews()
        counts.export_files_deleted = purge_exports(dry_run=False)
        if counts.changed():
            _record(organisation, counts, periods, now=now)
    return counts


def _record(
    organisation: Organisation,
    counts: RetentionCounts,
    periods: dict[RecordType, RetentionPeriod],
    *,
    now: datetime,
) -> None:
    audit.record(
        event=RETENTION_APPLIED,
        at=now,
        actor=None,
        organisation=organisation,
        target=organisation,
        changes={
            **{name: [None, value] for name, value in asdict(counts).items() if value},
            **{
                f"{kind}_{period.unit}": [None, period.length]
                for kind, period in periods.items()
                if kind not in OUTSIDE_ORGANISATIONS
            },
        },
    )


# Records of no organisation: people sign in before choosing one, and sessions span them.
OUTSIDE_ORGANISATIONS = frozenset(
    {RecordType.SIGN_IN_LOG, RecordType.LOCKOUT_ATTEMPT, RecordType.SESSION}
)


def _apply_outside_organisations(
    periods: dict[RecordType, RetentionPeriod], *, now: datetime, dry_run: bool
) -> RetentionCounts:
    """The sign-in log, lockout counters and expired sessions past their periods."""
    sign_in_before = _start_of(periods[RecordType.SIGN_IN_LOG].keep_from)
    # A counter goes only once its lockout would be over, whatever the period says.
    attempts_before = min(
        _start_of(periods[RecordType.LOCKOUT_ATTEMPT].keep_from), now - settings.AXES_COOLOFF_TIME
    )
    rows = {
        "sign_in_log_deleted": (
            AccessLog.objects.filter(attempt_time__lt=sign_in_before),
            AccessFailureLog.objects.filter(attempt_time__lt=sign_in_before),
        ),
        "lockout_attempts_deleted": (
            AccessAttempt.objects.filter(attempt_time__lt=attempts_before),
        ),
        "sessions_deleted": (
            Session.objects.filter(
                expire_date__lt=_start_of(periods[RecordType.SESSION].keep_from)
            ),
        ),
    }
    counts = RetentionCounts()
    with transaction.atomic():
        for name, querysets in rows.items():
            found = sum(q.count() if dry_run else _purge(q) for q in querysets)
            setattr(counts, name, found)
    return counts


@contextmanager
def _log_purge_allowed() -> Iterator[None]:
    """Declare the enclosed deletes the retention purge, the one delete the logs' trigger
    allows, and withdraw the declaration after them: inside an outer transaction (a test,
    a caller's atomic block) ``SET LOCAL`` would otherwise outlive this purge. On failure
    the rollback undoes the setting."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL polku.retention_purge = 'on'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL polku.retention_purge = 'off'")


def _purge(rows: QuerySet[models.Model]) -> int:
    deleted, _by_model = rows.delete()
    return deleted


def _anonymise(client_ids: list[int], *, today: date) -> None:
    """Remove identity and free text from these clients and every record about them."""
    Client.objects.filter(pk__in=client_ids).update(
        # Unique per organisation like the identity code it replaces; never a valid code.
        hetu=Concat(Value("X"), LPad(Cast("pk", CharField()), 10, Value("0"))),
        birth_date=TruncYear("birth_date"),
        first_names=ERASED,
        last_name=ERASED,
        phone="",
        email="",
        street_address="",
        postal_code="",
        post_office="",
        contact_verified_on=None,
        processing_restriction_reason="",
        anonymised_on=today,
        version=F("version") + 1,
    )
    for model, path in _records_about_clients():
        rows = model._default_manager.filter(**{f"{path}__in": client_ids})
        for name in _free_text_fields(model):
            rows.exclude(Q(**{name: ""}) | Q(**{f"{name}__isnull": True})).update(**{name: ERASED})


def _records_about_clients() -> Iterator[tuple[type[models.Model], str]]:
    """Every model that refers to a client, directly or through one record between, with
    the lookup path to the client; the logs are left to their own retention."""
    for model, path in _referring_models(Client):
        yield model, path
        for inner, inner_field in _referring_models(model):
            yield inner, f"{inner_field}__{path}"


def _referring_models(target: type[models.Model]) -> Iterator[tuple[type[models.Model], str]]:
    """Models with a foreign key to ``target`` (the logs excepted), with the key's name."""
    for relation in target._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ForeignObjectRel) or relation.many_to_many:
            continue
        model = relation.related_model
        if isinstance(model, str) or model._meta.app_label == "audit":
            continue
        yield model, relation.field.name


def _free_text_fields(model: type[models.Model]) -> list[str]:
    """Text fields without a code list; a unique one is a key (a link's token hash), not text."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not field.unique
        and f"{model._meta.label}.{field.name}" not in KEPT_FOR_STATISTICS
    ]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
