"""Retention (703/2023): dated scenarios just inside and just past each period."""

import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.tests.factories import actor_of
from polku.audit import services as audit
from polku.audit.events import CLIENT_UPDATED
from polku.audit.models import AccessLogEntry, ChangeLogEntry, DisclosureLogEntry
from polku.clients.models import Client, Consent
from polku.clients.retention import ERASED, RetentionCounts, retention_apply
from polku.clients.tests.factories import ClientFactory, ConsentFactory
from polku.plans.models import PlanStatus
from polku.plans.tests.factories import ParticipantFactory, PlanFactory
from polku.referrals.tests.factories import ReferralFactory
from polku.reports.models import OneTimeLink, QuestionnaireKind
from polku.reports.services import link_create
from polku.service_episodes.tests.factories import EpisodeFactory
from polku.sharelist.models import ShareListImport
from polku.sharelist.tests.factories import pending_import

LAST_ACTIVITY = datetime(2016, 3, 1, 12, 0, tzinfo=UTC)  # 14:00 in Helsinki
INSIDE = date(2026, 3, 1)  # ten years to the day: still kept
PAST = date(2026, 3, 2)  # the next day: past retention
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


@pytest.fixture
def closed_client(organisation: Organisation, coach: User) -> Client:
    """A client whose last change was on 1.3.2016 and who has nothing open."""
    client = ClientFactory.create(
        organisation=organisation,
        responsible_worker=coach,
        first_names="Aino Maria",
        last_name="Korhonen",
        phone="040 123 4567",
        email="aino@example.invalid",
        street_address="Kuja 1",
        home_municipality="Esimerkkilä",
        updated_at=LAST_ACTIVITY,
    )
    audit.record(
        event=CLIENT_UPDATED,
        at=LAST_ACTIVITY,
        actor=coach,
        organisation=organisation,
        target=client,
        client_id=client.pk,
        changes={"last_name": ["Virtanen", "Korhonen"]},
    )
    return client


def _apply(today: date, *, dry_run: bool = False) -> RetentionCounts:
    return retention_apply(today=today, now=NOW, dry_run=dry_run).counts


def _log_read(user: User, organisation: Organisation, client: Client, at: datetime) -> None:
    audit.access_record_many(
        at=at,
        user=user,
        organisation=organisation,
        client_ids=[client.pk],
        kind=AccessLogEntry.Kind.RECORD,
        channel="ui",
        view="clients:detail",
    )


def test_retention__a_closed_client_is_kept_through_the_last_day_of_the_period(
    closed_client: Client,
) -> None:
    counts = _apply(INSIDE)

    closed_client.refresh_from_db()
    assert counts.clients_anonymised == 0
    assert closed_client.last_name == "Korhonen"
    assert closed_client.anonymised_on is None


def test_retention__the_next_day_identity_and_free_text_go_and_statistics_stay(
    closed_client: Client, coach: User
) -> None:
    hetu, birth_year = closed_client.hetu, closed_client.birth_date.year
    consent = ConsentFactory.create(client=closed_client, purpose="Kuntoutusselvitys Ainolle")
    plan = PlanFactory.create(
        client=closed_client, status=PlanStatus.ENDED, client_tasks="Aino hakee töitä"
    )
    participant = ParticipantFactory.create(plan=plan, name="Matti Meikäläinen")

    counts = _apply(PAST)

    closed_client.refresh_from_db()
    consent.refresh_from_db()
    plan.refresh_from_db()
    participant.refresh_from_db()
    assert counts.clients_anonymised == 1
    assert counts.change_log_deleted == 1
    assert closed_client.anonymised_on == PAST
    assert closed_client.hetu == f"X{closed_client.pk:010d}" != hetu
    assert (closed_client.first_names, closed_client.last_name) == (ERASED, ERASED)
    assert (closed_client.phone, closed_client.email, closed_client.street_address) == ("", "", "")
    assert closed_client.birth_date == date(birth_year, 1, 1)
    assert closed_client.home_municipality == "Esimerkkilä"  # kept for statistics
    assert (consent.purpose, consent.party, consent.given_on) == (ERASED, "kela", date(2026, 1, 5))
    assert (plan.client_tasks, plan.status, plan.made_on) == (ERASED, "ended", date(2026, 9, 1))
    assert participant.name == ERASED  # two steps away from the client, still found
    assert not ChangeLogEntry.objects.filter(client=closed_client).exists()


@pytest.mark.parametrize(
    "open_matter",
    [
        lambda client: PlanFactory.create(client=client, status=PlanStatus.ACTIVE),
        lambda client: EpisodeFactory.create(client=client, ended_on=None),
        lambda client: ReferralFactory.create(client=client),
    ],
    ids=["plan", "service", "referral"],
)
def test_retention__an_open_plan_service_or_referral_keeps_the_matter_open(
    closed_client: Client, open_matter: object
) -> None:
    open_matter(closed_client)  # type: ignore[operator]

    assert _apply(PAST).clients_anonymised == 0


def test_retention__a_later_change_in_the_history_restarts_the_period(
    closed_client: Client, coach: User, organisation: Organisation
) -> None:
    audit.record(
        event=CLIENT_UPDATED,
        at=datetime(2016, 3, 2, 8, 0, tzinfo=UTC),
        actor=coach,
        organisation=organisation,
        target=closed_client,
        client_id=closed_client.pk,
    )

    assert _apply(PAST).clients_anonymised == 0
    assert _apply(date(2026, 3, 3)).clients_anonymised == 1


def test_retention__a_restricted_client_is_kept_and_counted(closed_client: Client) -> None:
    Client.objects.filter(pk=closed_client.pk).update(processing_restricted_on=date(2026, 1, 1))

    counts = _apply(PAST)

    assert (counts.clients_anonymised, counts.restricted_kept) == (0, 1)
    closed_client.refresh_from_db()
    assert closed_client.last_name == "Korhonen"


def test_retention__access_log_rows_go_the_day_after_twelve_years(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    _log_read(coach, organisation, coach_client, datetime(2014, 3, 1, 12, 0, tzinfo=UTC))
    _log_read(coach, organisation, coach_client, datetime(2014, 3, 2, 12, 0, tzinfo=UTC))

    assert _apply(INSIDE).access_log_deleted == 0
    assert _apply(PAST).access_log_deleted == 1
    assert AccessLogEntry.objects.get().at.date() == date(2014, 3, 2)


def test_retention__disclosure_log_rows_follow_their_own_period(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    audit.disclosure_record(
        at=datetime(2014, 3, 1, 12, 0, tzinfo=UTC),
        actor=coach,
        organisation=organisation,
        client_id=coach_client.pk,
        recipient_organisation=None,
        recipient_description="Kela",
        disclosed="Lähete",
        legal_basis="Suostumus",
    )

    assert _apply(INSIDE).disclosure_log_deleted == 0
    assert _apply(PAST).disclosure_log_deleted == 1
    assert not DisclosureLogEntry.objects.exists()


@override_settings(POLKU_RETENTION_YEARS={"access_log": 2})
def test_retention__a_setting_overrides_one_record_types_period(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    _log_read(coach, organisation, coach_client, datetime(2024, 3, 1, 12, 0, tzinfo=UTC))

    result = retention_apply(today=PAST, now=NOW, dry_run=False)

    assert result.counts.access_log_deleted == 1
    assert [(p.record_type, p.length, p.unit, p.overridden) for p in result.periods] == [
        ("working_age_services", 10, "years", False),
        ("access_log", 2, "years", True),
        ("disclosure_log", 12, "years", False),
        ("sign_in_log", 365, "days", False),
        ("lockout_attempt", 1, "days", False),
        ("session", 0, "days", False),
        ("import_preview", 3, "days", False),
        ("export_file", 2, "days", False),
    ]


def test_retention__a_second_run_does_nothing_and_writes_no_second_audit_row(
    closed_client: Client, coach: User, organisation: Organisation
) -> None:
    _log_read(coach, organisation, closed_client, datetime(2013, 1, 1, tzinfo=UTC))

    first = _apply(PAST)
    second = _apply(PAST)

    assert first.changed()
    assert second == RetentionCounts()
    summary = ChangeLogEntry.objects.get(event="audit.retention.applied")
    assert summary.client_id is None
    assert summary.changes["clients_anonymised"] == [None, 1]
    assert summary.changes["access_log_deleted"] == [None, 1]


def test_retention__a_dry_run_counts_the_same_and_writes_nothing(
    closed_client: Client, coach: User, organisation: Organisation
) -> None:
    _log_read(coach, organisation, closed_client, datetime(2013, 1, 1, tzinfo=UTC))
    history_before = ChangeLogEntry.objects.count()

    dry = _apply(PAST, dry_run=True)

    closed_client.refresh_from_db()
    assert closed_client.anonymised_on is None
    assert ChangeLogEntry.objects.count() == history_before
    assert AccessLogEntry.objects.count() == 1
    assert dry == _apply(PAST)


def test_apply_retention_command__reports_counts_and_shows_unverified_periods(
    closed_client: Client,
) -> None:
    text, as_json = StringIO(), StringIO()

    call_command("apply_retention", "--today", "2026-03-02", "--dry-run", stdout=text)
    call_command("apply_retention", "--today", "2026-03-02", "--json", stdout=as_json)

    assert "dry run" in text.getvalue()
    assert "1 clients anonymised" in text.getvalue()
    assert "access_log: 12 years (703/2023 § 11, ❌ unverified)" in text.getvalue()
    assert "sign_in_log: 365 days (EU 2016/679 art. 5(1)(e), ❌ unverified)" in text.getvalue()
    assert "source: No statutory period" in text.getvalue()
    report = json.loads(as_json.getvalue())
    assert report["counts"]["clients_anonymised"] == 1
    assert report["periods"]["working_age_services"]["status"] == "partly_verified"
    assert report["periods"]["session"]["days"] == 0
    assert report["periods"]["import_preview"]["source"].startswith("No statutory period")
    assert Consent.objects.count() == 0  # the fixture gave none; nothing was created


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only"
)
def test_retention__purges_the_append_only_logs_through_the_triggers_allowed_path(
    closed_client: Client, coach: User, organisation: Organisation
) -> None:
    _log_read(coach, organisation, closed_client, datetime(2013, 1, 1, tzinfo=UTC))

    counts = _apply(PAST)

    assert (counts.change_log_deleted, counts.access_log_deleted) == (1, 1)
    assert not AccessLogEntry.objects.filter(client=closed_client).exists()
    with connection.cursor() as cursor:  # SET LOCAL ended with the purge's transaction
        cursor.execute("SELECT current_setting('polku.retention_purge', true)")
        assert cursor.fetchone()[0] in (None, "", "off")


def test_retention__the_anonymised_client_page_still_opens(closed_client: Client) -> None:
    _apply(PAST)

    response = logged_in(closed_client.responsible_worker).get(  # type: ignore[arg-type]
        reverse("clients:detail", args=[closed_client.pk])
    )

    assert response.status_code == 200
    assert "Korhonen" not in response.content.decode()


def test_retention__a_client_without_any_history_row_goes_by_its_last_change(
    organisation: Organisation,
) -> None:
    client = ClientFactory.create(organisation=organisation, updated_at=LAST_ACTIVITY)

    assert _apply(INSIDE).clients_anonymised == 0
    assert _apply(PAST).clients_anonymised == 1
    client.refresh_from_db()
    assert client.anonymised_on == PAST


def test_retention__unique_keys_such_as_a_links_token_hash_are_not_erased(
    closed_client: Client, coach: User, organisation: Organisation
) -> None:
    other = ClientFactory.create(
        organisation=organisation, responsible_worker=coach, updated_at=LAST_ACTIVITY
    )
    actor = actor_of(coach, organisation)
    for client in (closed_client, other):
        link_create(
            actor=actor,
            client_id=client.pk,
            kind=QuestionnaireKind.FEEDBACK,
            plain_language=False,
            now=LAST_ACTIVITY,
        )
    hashes = set(OneTimeLink.objects.values_list("token_hash", flat=True))

    assert _apply(PAST).clients_anonymised == 2
    assert set(OneTimeLink.objects.values_list("token_hash", flat=True)) == hashes


# --- personal data outside the client records: periods in days -----------------------------
# On 2.3.2026 (PAST) in Helsinki: a year back is 2.3.2025, whose day starts 1.3.2025 22:00 UTC.


def _sign_in(model: type[AccessLog] | type[AccessFailureLog], at: datetime) -> None:
    row = model.objects.create(username="valmentaja", ip_address="198.51.100.7", user_agent="x")
    model.objects.filter(pk=row.pk).update(attempt_time=at)  # auto_now_add ignores a given time


@pytest.mark.parametrize("model", [AccessLog, AccessFailureLog])
def test_retention__sign_in_log_rows_go_after_a_year(
    db: None, model: type[AccessLog] | type[AccessFailureLog]
) -> None:
    _sign_in(model, datetime(2025, 3, 1, 21, 59, tzinfo=UTC))  # 1.3.2025 23.59 in Helsinki
    _sign_in(model, datetime(2025, 3, 1, 22, 0, tzinfo=UTC))  # 2.3.2025 00.00: kept

    assert _apply(PAST).sign_in_log_deleted == 1
    assert _apply(PAST).sign_in_log_deleted == 0
    assert model.objects.get().attempt_time == datetime(2025, 3, 1, 22, 0, tzinfo=UTC)


def _failed_attempt(at: datetime, address: str = "198.51.100.7") -> AccessAttempt:
    row = AccessAttempt.objects.create(
        username="valmentaja", ip_address=address, failures_since_start=5
    )
    AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=at)
    return row


def test_retention__lockout_counters_go_after_a_day(db: None) -> None:
    _failed_attempt(NOW - timedelta(days=2))
    recent = _failed_attempt(NOW - timedelta(hours=1), address="198.51.100.8")

    assert _apply(PAST).lockout_attempts_deleted == 1
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]


@override_settings(AXES_COOLOFF_TIME=timedelta(days=5))
def test_retention__a_lockout_counter_stays_while_its_lockout_lasts(db: None) -> None:
    _failed_attempt(NOW - timedelta(days=2))  # past the one-day period, still locking out

    assert _apply(PAST).lockout_attempts_deleted == 0
    assert AccessAttempt.objects.count() == 1


def test_retention__expired_sessions_go_and_live_ones_stay(db: None) -> None:
    for key, expires in (("expired", NOW - timedelta(days=1)), ("live", NOW + timedelta(hours=1))):
        Session.objects.create(session_key=key, session_data="", expire_date=expires)

    assert _apply(PAST).sessions_deleted == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_retention__an_unconfirmed_preview_loses_its_file_after_three_days(
    organisation: Organisation, coach: User
) -> None:
    abandoned = pending_import(organisation, coach, b"henkilotunnus\n010190Y999W\n")
    recent = pending_import(organisation, coach, b"henkilotunnus\n010190Y999W\n")
    imported = pending_import(organisation, coach, b"")
    ShareListImport.objects.filter(pk=abandoned.pk).update(created_at=NOW - timedelta(days=4))
    ShareListImport.objects.filter(pk=recent.pk).update(created_at=NOW - timedelta(days=2))
    ShareListImport.objects.filter(pk=imported.pk).update(
        created_at=NOW - timedelta(days=30), status=ShareListImport.Status.DONE
    )

    assert _apply(PAST, dry_run=True).import_previews_deleted == 1
    assert _apply(PAST).import_previews_deleted == 1
    assert _apply(PAST).import_previews_deleted == 0

    statuses = dict(ShareListImport.objects.values_list("pk", "status"))
    assert statuses == {
        abandoned.pk: ShareListImport.Status.EXPIRED,
        recent.pk: ShareListImport.Status.PREVIEW,
        imported.pk: ShareListImport.Status.DONE,
    }
    # The summary holds the first rows (identity codes): gone with the file.
    summaries = dict(ShareListImport.objects.values_list("pk", "summary"))
    assert summaries[abandoned.pk] == {}
    assert summaries[recent.pk] != {}
    summary = ChangeLogEntry.objects.get(event="audit.retention.applied")
    assert summary.changes["import_previews_deleted"] == [None, 1]
    assert summary.changes["import_preview_days"] == [None, 3]


@override_settings(POLKU_RETENTION_DAYS={"session": 3})
def test_retention__a_setting_overrides_a_period_in_days(db: None) -> None:
    Session.objects.create(session_key="s", session_data="", expire_date=NOW - timedelta(days=2))

    result = retention_apply(today=PAST, now=NOW, dry_run=False)

    assert result.counts.sessions_deleted == 0
    assert [p.overridden for p in result.periods if p.record_type == "session"] == [True]
