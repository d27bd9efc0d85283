"""A synthetic deployment of any size for the benchmark (SPEC §4: 500,000 clients, 10 M events).

One organisation holds every client, so the monthly report and the worklist sections run
against the whole size, not a slice of it. Rows are written set-wise with ids we choose
(COPY on PostgreSQL, ``executemany`` on SQLite): the ORM's per-object path would take hours
at this size, and the demo's service calls longer still. The shapes follow the demo: one
plan per client, services, KTT contracts with attendance, referrals, a share list with
contact attempts, questionnaires and follow-ups; the rest of the events are access-log and
change-log rows. Identity codes use individual numbers 900–999 only.

The deployment is keyed by its size (organisation ``synthetic-<clients>``), so a second
benchmark run reuses it instead of writing it again.
"""

import json
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from math import ceil
from typing import Any

from django.db import connection, models, transaction

from polku.accounts.models import Membership, Organisation, User
from polku.accounts.roles import Role
from polku.audit import events
from polku.audit.models import AccessLogEntry, ChangeLogEntry
from polku.clients.models import Client, Consent
from polku.core import hetu as hetu_codes
from polku.demo.names import FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES, STREETS
from polku.ktt.models import KttProvider
from polku.plans.models import Plan
from polku.referrals.models import Meeting, Referral
from polku.reports.models import FollowUp, QuestionnaireResponse
from polku.reports.services import questionnaire_version_current
from polku.service_episodes.models import (
    Attendance,
    KttContract,
    Outcome,
    Placement,
    ReferralSource,
    ServiceEpisode,
    ServiceType,
)
from polku.sharelist.models import ContactAttempt, ShareListRow

CLIENTS_PER_WORKER = 400
CLIENTS_PER_PLACEMENT = 2_500
EVENTS_PER_CLIENT = 20  # 500,000 clients → 10 million events (SPEC §4)
BIRTH_SPAN_DAYS = 17_000  # ages from about 17 to 64 on the reference day
INDIVIDUAL_NUMBERS = 100  # 900–999: numbers no real person has
ATTENDANCE_DAYS = 42  # the last six weeks of every running KTT contract
OUTCOMES = [choice.value for choice in Outcome]
SOURCES = [choice.value for choice in ReferralSource]
PLAN_TYPES = ("activation", "activation", "multisector", "employment", "coaching")
SERVICE_KINDS = ("ktt", "ktt", "work_trial", "social_rehabilitation", "individual_coaching")
REFERRAL_KINDS = [choice.value for choice in Referral.Kind]
INCOMES = ("unemployment_benefit", "labour_market_subsidy", "social_assistance", "other")


@dataclass
class Deployment:
    organisation: Organisation
    clients: int
    events: int
    written: dict[str, int] = field(default_factory=dict)
    reused: bool = False


def deployment_ensure(
    *, clients: int, events: int | None, today: date, now: datetime
) -> Deployment:
    """The deployment of this size: the existing one, or one written now in one transaction."""
    wanted_events = clients * EVENTS_PER_CLIENT if events is None else events
    existing = Organisation.objects.filter(slug=_slug(clients)).first()
    if existing is not None:
        return Deployment(existing, clients, _event_count(existing), reused=True)
    with transaction.atomic():
        deployment = _Writer(clients=clients, events=wanted_events, today=today, now=now).write()
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would gather them later: the planner otherwise
        # takes the tables for empty and picks plans no production database would use.
        cursor.execute("ANALYZE")
    return deployment


def _slug(clients: int) -> str:
    return f"synthetic-{clients}"


def _event_count(organisation: Organisation) -> int:
    by_organisation = (AccessLogEntry, ChangeLogEntry, Meeting, ShareListRow)
    by_client = (Attendance, ContactAttempt)
    return sum(
        model.objects.filter(organisation=organisation).count() for model in by_organisation
    ) + sum(model.objects.filter(client__organisation=organisation).count() for model in by_client)


# --- set-wise writing ----------------------------------------------------------------------


def _adapter(model_field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How one column's Python value goes to the database driver unchanged by the ORM."""
    kind = model_field.get_internal_type()
    if kind == "JSONField":
        return json.dumps
    if connection.vendor != "sqlite":
        return lambda value: value  # psycopg's COPY adapts dates, decimals and booleans itself
    if kind == "DateTimeField":
        return lambda value: connection.ops.adapt_datetimefield_value(value)
    if kind == "DateField":
        return lambda value: None if value is None else value.isoformat()
    if kind == "DecimalField":
        return lambda value: None if value is None else str(value)
    return lambda value: value


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def bulk_write(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Write rows (by attribute name); other columns get the field's default.

    Rows without an ``id`` get the next free ones. Ids are read before the writing starts:
    a query on the connection in the middle of a COPY would wait for the COPY forever.
    """
    fields = _columns(model)
    next_id = _next_id(model)
    defaults = {f.attname: f.get_default() for f in fields}  # "" for text, else null
    adapters = [_adapter(f) for f in fields]
    names = [f.attname for f in fields]

    def tuples() -> Iterator[tuple[Any, ...]]:
        for n, row in enumerate(rows):
            merged = {**defaults, "id": next_id + n, **row}
            yield tuple(adapt(merged[name]) for adapt, name in zip(adapters, names, strict=True))

    table = model._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                _foreign_keys_checked_once(cursor, table),
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for values in tuples():
                    copy.write_row(values)
                    written += 1
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our table name
                f"(SELECT MAX(id) FROM {table}))"
            )
            return written
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - our table name
        batch: list[tuple[Any, ...]] = []
        for values in tuples():
            batch.append(values)
            if len(batch) == 10_000:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch.clear()
        cursor.executemany(sql, batch)
        return written + len(batch)


@contextmanager
def _foreign_keys_checked_once(cursor: Any, table: str) -> Iterator[None]:
    """Drop the table's foreign keys for the COPY and add them back, which checks every row.

    Django's keys are deferred: kept, they queue one check per row and reference until
    COMMIT (tens of millions at this size, a quarter of an hour). Adding a key back checks
    all rows in one join instead, still inside the transaction, so nothing unchecked lands.
    Checks still queued from the ORM's rows must run first: a table with pending checks
    cannot be altered.
    """
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    keys = cursor.fetchall()
    for name, _ in keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    for name, definition in keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _next_id(model: type[models.Model]) -> int:
    latest = model._default_manager.order_by("-id").values_list("id", flat=True).first()
    return (latest or 0) + 1


# --- the deployment -------------------------------------------------------------------------


class _Writer:
    def __init__(self, *, clients: int, events: int, today: date, now: datetime) -> None:
        self.size = clients
        self.events = events
        self.today = today
        self.now = now
        self.rng = random.Random(clients)  # synthetic benchmark data, not security
        self.written: dict[str, int] = {}

    def write(self) -> Deployment:
        self.organisation = Organisation.objects.create(
            slug=_slug(self.size),
            name=f"Synteettinen alue ({self.size} asiakasta)",
            kind=Organisation.Kind.WELLBEING_COUNTY,
            municipality_code="999",
        )
        self._workers()
        self._clients()
        self._plans()
        self._referrals_and_meetings()
        self._services()
        self._share_list()
        self._questionnaires()
        self._logs()
        return Deployment(self.organisation, self.size, self._events_written(), self.written)

    def _events_written(self) -> int:
        kinds = ("access_log", "change_log", "attendance", "meetings", "contacts", "share_rows")
        return sum(self.written.get(kind, 0) for kind in kinds)

    def _write(self, name: str, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
        self.written[name] = self.written.get(name, 0) + bulk_write(model, rows)

    def _day_ago(self, most: int, least: int = 0) -> date:
        return self.today - timedelta(days=self.rng.randint(least, most))

    def _moment(self, day: date) -> datetime:
        return datetime.combine(day, time(8 + self.rng.randint(0, 8), self.rng.randint(0, 59)), UTC)

    def _workers(self) -> None:
        count = max(1, ceil(self.size / CLIENTS_PER_WORKER))
        prefix = f"synth{self.size}"
        users = [
            User(username=f"{prefix}-{n}", first_name="Työntekijä", last_name=str(n))
            for n in range(count + 1)
        ]
        for user in users:
            user.set_unusable_password()  # nobody signs in as a benchmark worker
        User.objects.bulk_create(users)
        self.manager, *self.workers = users
        Membership.objects.bulk_create(
            [Membership(user=self.manager, organisation=self.organisation, role=Role.MANAGER)]
            + [
                Membership(user=user, organisation=self.organisation, role=Role.PERSONAL_COACH)
                for user in self.workers
            ]
        )
        self.worker_ids = [user.pk for user in self.workers]

    def _worker_of(self, index: int) -> int:
        return self.worker_ids[index % len(self.worker_ids)]

    def _clients(self) -> None:
        self.first_client = _next_id(Client)
        step = max(1, BIRTH_SPAN_DAYS // ceil(self.size / INDIVIDUAL_NUMBERS))
        oldest = self.today - timedelta(days=64 * 365)
        self._write("clients", Client, (self._client(i, oldest, step) for i in range(self.size)))
        self._write("consents", Consent, self._consents())

    def _client(self, index: int, oldest: date, step: int) -> dict[str, Any]:
        birth = oldest + timedelta(days=(index // INDIVIDUAL_NUMBERS) * step)
        names = FIRST_NAMES_FEMALE if index % 2 else FIRST_NAMES_MALE
        created = self._moment(self._day_ago(900, 30))
        return {
            "id": self.first_client + index,
            "organisation_id": self.organisation.pk,
            "hetu": hetu_codes.build(birth, 900 + index % INDIVIDUAL_NUMBERS),
            "first_names": names[index % len(names)],
            "last_name": LAST_NAMES[index * 7 % len(LAST_NAMES)],
            "birth_date": birth,
            "language": "sv" if index % 20 == 0 else "fi",
            "phone": f"040 {index % 10_000_000:07d}",
            "email": "",
            "street_address": f"{STREETS[index % len(STREETS)]} {index % 90 + 1}",
            "postal_code": f"{index % 99_999:05d}",
            "post_office": "Esimerkkilä",
            "home_municipality": "Esimerkkilä",
            "contact_verified_on": self._day_ago(400),
            "main_income": INCOMES[index % len(INCOMES)],
            "unemployment_started_on": self._day_ago(2_000, 100),
            "lms_days_total": self.rng.randint(0, 1_400),
            "lms_days_last_12_months": self.rng.randint(0, 260),
            "social_assistance_months": self.rng.randint(0, 24),
            "has_employment_plan": self.rng.random() < 0.7,
            "responsible_worker_id": self._worker_of(index),
            "created_at": created,
            "updated_at": created,
        }

    def _client_ids(self, every: int = 1, offset: int = 0) -> range:
        return range(self.first_client + offset, self.first_client + self.size, every)

    def _consents(self) -> Iterator[dict[str, Any]]:
        for n, client_id in enumerate(self._client_ids(every=2)):
            given = self._day_ago(700, 1)
            yield {
                "client_id": client_id,
                "party": "social_services",
                "party_name": "Aikuissosiaalityö",
                "purpose": "Monialainen yhteistyö",
                "given_on": given,
                "expires_on": given + timedelta(days=730),
                "recorded_by_id": self._worker_of(n),
            }

    def _plans(self) -> None:

        def rows() -> Iterator[dict[str, Any]]:
            for n, client_id in enumerate(self._client_ids()):
                made = self._day_ago(330, 1)
                review = made + timedelta(days=91)
                created = self._moment(made)
                yield {
                    "organisation_id": self.organisation.pk,
                    "client_id": client_id,
                    "plan_type": PLAN_TYPES[n % len(PLAN_TYPES)],
                    "status": "active",
                    "made_on": made,
                    "agreed_services": "Kuntouttava työtoiminta",
                    "client_tasks": "Työnhaku",
                    "applications_reason": "",
                    "statutory_review_on": review,
                    "next_review_on": review,
                    "created_by_id": self._worker_of(n),
                    "created_at": created,
                    "updated_at": created,
                }

        self._write("plans", Plan, rows())

    def _referrals_and_meetings(self) -> None:
        statuses = ("sent", "acknowledged", "completed", "completed")

        def referrals() -> Iterator[dict[str, Any]]:
            for n, client_id in enumerate(self._client_ids(every=3)):
                sent = self._day_ago(540)
                status = statuses[n % len(statuses)]
                yield {
                    "organisation_id": self.organisation.pk,
                    "client_id": client_id,
                    "kind": REFERRAL_KINDS[n % len(REFERRAL_KINDS)],
                    "receiving_organisation_id": self.organisation.pk,
                    "receiving_unit": "Aikuissosiaalityö",
                    "reason": "Palvelutarpeen arviointi",
                    "sent_on": sent,
                    "sent_by_id": self._worker_of(n),
                    "status": status,
                    "acknowledged_at": None if status == "sent" else self._moment(sent),
                    "outcome": "",
                    "te_referral": "",
                    "created_at": self._moment(sent),
                    "updated_at": self._moment(sent),
                }

        self._write("referrals", Referral, referrals())

        def meetings() -> Iterator[dict[str, Any]]:
            for n, client_id in enumerate(self._client_ids()):
                starts = self._moment(self.today + timedelta(days=self.rng.randint(-90, 30)))
                yield {
                    "organisation_id": self.organisation.pk,
                    "client_id": client_id,
                    "worker_id": self._worker_of(n),
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=1),
                    "kind": "coaching",
                    "channel": "in_person",
                    "title": "Valmennus",
                    "location": "Palvelupiste",
                    "attendance": "attended" if starts.date() < self.today else "planned",
                    "notes": "",
                    "created_by_id": self._worker_of(n),
                    "created_at": starts - timedelta(days=7),
                    "updated_at": starts - timedelta(days=7),
                }

        self._write("meetings", Meeting, meetings())

    def _services(self) -> None:
        service_types = {
            kind: ServiceType.objects.create(
                organisation=self.organisation, kind=kind, name=kind, description=""
            ).pk
            for kind in dict.fromkeys(SERVICE_KINDS)
        }
        own_production = KttProvider.objects.create(
            organisation=self.organisation,
            name="Oma tuotanto",
            arrangement="own_production",
            legal_form="municipality",
            created_at=self.now,
            updated_at=self.now,
        )
        self.placement_ids = [
            placement.pk
            for placement in Placement.objects.bulk_create(
                Placement(
                    organisation=self.organisation,
                    name=f"Työtoimintapaikka {n}",
                    kind="workshop",
                    provider=own_production,
                    address="",
                    capacity=15,
                    contact_person="",
                    contact_phone="",
                )
                for n in range(max(1, self.size // CLIENTS_PER_PLACEMENT))
            )
        ]
        episodes = self._episode_rows(service_types)
        self._write("service_episodes", ServiceEpisode, (row for row, _ in episodes))
        ktt = [row for row, kind in episodes if kind == "ktt"]
        self._write("ktt_contracts", KttContract, self._contracts(ktt))
        self._write("attendance", Attendance, self._attendance(ktt))
        ended = [row for row, _ in episodes if row["ended_on"] is not None]
        self._write("follow_ups", FollowUp, self._follow_ups(ended))

    def _episode_rows(self, service_types: dict[str, int]) -> list[tuple[dict[str, Any], str]]:
        first = _next_id(ServiceEpisode)
        rows = []
        for n, client_id in enumerate(self._client_ids(every=2)):
            kind = SERVICE_KINDS[n % len(SERVICE_KINDS)]
            started = self._day_ago(720, 7)
            ended = started + timedelta(days=182) if started + timedelta(182) < self.today else None
            row = {
                "id": first + n,
                "client_id": client_id,
                "service_type_id": service_types[kind],
                "provider": "",
                "placement_id": self.placement_ids[n % len(self.placement_ids)],
                "referral_source": SOURCES[n % len(SOURCES)],
                "started_on": started,
                "ended_on": ended,
                "outcome": OUTCOMES[n % len(OUTCOMES)] if ended else "continued",
                "created_by_id": self._worker_of(n),
            }
            rows.append((row, kind))
        return rows

    def _contracts(self, episodes: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for episode in episodes:
            start, end = episode["started_on"], episode["started_on"] + timedelta(days=182)
            yield {
                "episode_id": episode["id"],
                "start": start,
                "end": end,
                "days_per_week": 3,
                "hours_per_day": Decimal(6),
                "placement_id": episode["placement_id"],
                "coaching_content": "Työvalmennus",
                "status": "ended" if episode["ended_on"] else "signed",
                "decided_on": start,
                "decision_text": "Myönnetään",
                "signed_on": start,
                "final_evaluation_on": end - timedelta(days=14),
                "interruption_reason": "",
                "created_by_id": episode["created_by_id"],
            }

    def _attendance(self, episodes: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        window = [self.today - timedelta(days=d) for d in range(1, ATTENDANCE_DAYS + 1)]
        for episode in episodes:
            if episode["ended_on"] is not None:
                continue
            for day in window:
                if day.weekday() > 2 or day < episode["started_on"]:
                    continue  # three days a week, Monday to Wednesday
                yield {
                    "client_id": episode["client_id"],
                    "day": day,
                    "status": "present" if self.rng.random() < 0.85 else "sick",
                    "reason": "",
                    "placement_id": episode["placement_id"],
                    "recorded_by_id": episode["created_by_id"],
                    "recorded_at": self._moment(day),
                }

    def _follow_ups(self, episodes: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for n, episode in enumerate(episodes[::3]):
            yield {
                "episode_id": episode["id"],
                "months": 3,
                "situation": OUTCOMES[n % len(OUTCOMES)],
                "recorded_on": episode["ended_on"] + timedelta(days=92),
                "recorded_by_id": episode["created_by_id"],
            }

    def _share_list(self) -> None:
        """Three months of the list for every fifth client, two payment periods a month."""
        months = [
            (self.today.replace(day=1) - timedelta(days=31 * k)).replace(day=1) for k in (3, 4, 5)
        ]
        listed = self._client_ids(every=5)

        def rows() -> Iterator[dict[str, Any]]:
            for client_id in listed:
                for month in months:
                    for half in (0, 15):
                        paid = Decimal(self.rng.randint(30_000, 80_000)) / 100
                        yield {
                            "organisation_id": self.organisation.pk,
                            "client_id": client_id,
                            "benefit": "TMT",
                            "payment_date": month + timedelta(days=half + 3),
                            "period_start": month + timedelta(days=half),
                            "period_end": month + timedelta(days=half + 13),
                            "month": month,
                            "days": 10,
                            "paid": paid,
                            "share_percent": Decimal(50),
                            "share": (paid / 2).quantize(Decimal("0.01")),
                            "accumulated_days": 1_000,
                        }

        def contacts() -> Iterator[dict[str, Any]]:
            for n, client_id in enumerate(listed[::2]):
                made = self._day_ago(90)
                yield {
                    "client_id": client_id,
                    "method": "phone",
                    "result": "reached" if n % 3 else "not_reached",
                    "made_on": made,
                    "note": "",
                    "made_by_id": self._worker_of(n),
                    "recorded_at": self._moment(made),
                }

        self._write("share_rows", ShareListRow, rows())
        self._write("contacts", ContactAttempt, contacts())

    def _questionnaires(self) -> None:
        versions = [
            questionnaire_version_current(organisation=self.organisation, kind=kind, now=self.now)
            for kind in ("feedback", "capacity")
        ]

        def rows() -> Iterator[dict[str, Any]]:
            for n, client_id in enumerate(self._client_ids(every=5)):
                version = versions[n % 2]
                answers = {q["key"]: self.rng.randint(1, 5) for q in version.questions}
                yield {
                    "version_id": version.pk,
                    "client_id": client_id,
                    "answered_on": self._day_ago(365),
                    "channel": "worker",
                    "answers": answers,
                    "score": Decimal(sum(answers.values())) / len(answers),
                    "recorded_by_id": self._worker_of(n),
                }

        self._write("questionnaire_responses", QuestionnaireResponse, rows())

    def _logs(self) -> None:
        """Change history for each client's records, then access-log rows up to the event total."""
        self._write("change_log", ChangeLogEntry, self._changes())
        remaining = max(0, self.events - self._events_written())
        self._write("access_log", AccessLogEntry, self._accesses(remaining))

    def _changes(self) -> Iterator[dict[str, Any]]:
        codes = (events.CLIENT_CREATED.code, events.PLAN_CREATED.code, events.MEETING_CREATED.code)
        for n, client_id in enumerate(self._client_ids()):
            for code in codes:
                yield {
                    "at": self._moment(self._day_ago(365)),
                    "actor_id": self._worker_of(n),
                    "organisation_id": self.organisation.pk,
                    "event": code,
                    "object_type": code.rsplit(".", 1)[0],
                    "object_id": str(client_id),
                    "client_id": client_id,
                    "changes": {},
                }

    def _accesses(self, count: int) -> Iterator[dict[str, Any]]:
        moments = [self._moment(self._day_ago(365)) for _ in range(10_000)]
        for n in range(count):
            index = n % self.size
            yield {
                "at": moments[n % len(moments)],
                "user_id": self._worker_of(index),
                "organisation_id": self.organisation.pk,
                "client_id": self.first_client + index,
                "kind": "record",
                "channel": "ui",
                "view": "clients:detail",
                "reason": "",
            }
