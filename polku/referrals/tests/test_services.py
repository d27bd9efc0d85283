from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404

from polku.accounts.models import DataSharingAgreement, Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.tests.factories import OrganisationFactory, UserFactory, actor_of
from polku.audit.models import ChangeLogEntry, DisclosureLogEntry
from polku.clients.models import CareAssignment, Client, Consent
from polku.clients.tests.factories import ConsentFactory
from polku.core.choices import ContactChannel
from polku.referrals import services
from polku.referrals.disclosure import ConsentRequired
from polku.referrals.models import Meeting, Referral, TeamBooking
from polku.referrals.tests.factories import MeetingFactory, ReferralFactory

HELSINKI = ZoneInfo("Europe/Helsinki")
TODAY = date(2026, 11, 24)


@pytest.fixture
def county(db: None) -> Organisation:
    return OrganisationFactory.create(
        slug="hva", name="Esimerkkimaan hyvinvointialue", kind=Organisation.Kind.WELLBEING_COUNTY
    )


@pytest.fixture
def agreement(organisation: Organisation, county: Organisation) -> DataSharingAgreement:
    return DataSharingAgreement.objects.create(
        provider=organisation,
        recipient=county,
        purpose="Yhteispalvelu",
        valid_from=date(2026, 1, 1),
    )


@pytest.fixture
def social_counsellor(organisation: Organisation) -> User:
    return UserFactory.create(
        username="sosiaaliohjaaja", memberships=[(organisation, Role.SOCIAL_COUNSELLOR)]
    )


def _referral_data(recipient: Organisation, **changes: object) -> services.ReferralData:
    fields: dict[str, object] = {
        "kind": Referral.Kind.WORK_ABILITY_TEAM,
        "receiving_organisation_id": recipient.pk,
        "reason": "Tilanne jumissa, palvelut kokeiltu",
        "sent_on": TODAY,
    }
    fields.update(changes)
    return services.ReferralData(**fields)  # type: ignore[arg-type]


def test_referral_send__within_the_organisation_needs_no_consent_and_logs_no_disclosure(
    coach_actor: Actor, coach_client: Client, organisation: Organisation, now: datetime
) -> None:
    referral = services.referral_send(
        actor=coach_actor, client_id=coach_client.pk, data=_referral_data(organisation), now=now
    )

    assert referral.status == Referral.Status.SENT
    assert referral.consent is None
    assert not DisclosureLogEntry.objects.exists()
    assert ChangeLogEntry.objects.filter(
        event="referrals.referral.sent", client=coach_client
    ).exists()


def test_referral_send__to_another_organisation_with_consent_writes_the_disclosure_log(
    coach_actor: Actor,
    coach_client: Client,
    county: Organisation,
    agreement: DataSharingAgreement,
    now: datetime,
) -> None:
    consent = ConsentFactory.create(client=coach_client, party=Consent.Party.WELLBEING_COUNTY)

    referral = services.referral_send(
        actor=coach_actor, client_id=coach_client.pk, data=_referral_data(county), now=now
    )

    assert referral.consent == consent
    entry = DisclosureLogEntry.objects.get()
    assert (entry.client_id, entry.recipient_organisation_id, entry.consent_id) == (
        coach_client.pk,
        county.pk,
        consent.pk,
    )
    assert entry.actor == coach_actor.user
    assert "Työkyvyn tuen tiimi" in entry.disclosed


@pytest.mark.parametrize(
    "consent",
    [
        None,
        {"withdrawn_on": date(2026, 6, 1)},
        {"expires_on": date(2026, 10, 31)},
        {"party": Consent.Party.KELA},
    ],
    ids=["missing", "withdrawn", "expired", "other_party"],
)
def test_referral_send__to_another_organisation_without_valid_consent_is_refused(
    coach_actor: Actor,
    coach_client: Client,
    county: Organisation,
    agreement: DataSharingAgreement,
    now: datetime,
    consent: dict[str, object] | None,
) -> None:
    if consent is not None:
        ConsentFactory.create(
            client=coach_client, **{"party": Consent.Party.WELLBEING_COUNTY, **consent}
        )

    with pytest.raises(ConsentRequired) as refused:
        services.referral_send(
            actor=coach_actor, client_id=coach_client.pk, data=_referral_data(county), now=now
        )

    assert refused.value.missing == "consent"
    assert "suostumus" in refused.value.message
    assert "Hyvinvointialue" in refused.value.message
    assert not Referral.objects.exists()
    assert not DisclosureLogEntry.objects.exists()


def test_referral_send__without_a_data_sharing_agreement_is_refused(
    coach_actor: Actor, coach_client: Client, county: Organisation, now: datetime
) -> None:
    ConsentFactory.create(client=coach_client, party=Consent.Party.WELLBEING_COUNTY)
    DataSharingAgreement.objects.create(
        provider=coach_client.organisation,
        recipient=county,
        purpose="Päättynyt",
        valid_from=date(2025, 1, 1),
        valid_until=date(2025, 12, 31),
    )

    with pytest.raises(ConsentRequired) as refused:
        services.referral_send(
            actor=coach_actor, client_id=coach_client.pk, data=_referral_data(county), now=now
        )

    assert refused.value.missing == "agreement"
    assert "tietojenluovutussopimusta" in refused.value.message
    assert not DisclosureLogEntry.objects.exists()


def test_referral_send__consent_naming_the_organisation_is_enough(
    coach_actor: Actor,
    coach_client: Client,
    county: Organisation,
    agreement: DataSharingAgreement,
    now: datetime,
) -> None:
    ConsentFactory.create(
        client=coach_client, party=Consent.Party.ORGANISATION, party_name=county.name
    )

    referral = services.referral_send(
        actor=coach_actor,
        client_id=coach_client.pk,
        data=_referral_data(county, kind=Referral.Kind.KELA_REHABILITATION),
        now=now,
    )

    assert referral.consent is not None


def test_referral_acknowledge__only_the_named_receiver_may_acknowledge(
    coach_actor: Actor,
    colleague_actor: Actor,
    coach_client: Client,
    social_counsellor: User,
    organisation: Organisation,
    now: datetime,
) -> None:
    referral = ReferralFactory.create(client=coach_client, receiving_worker=social_counsellor)

    for actor in (coach_actor, colleague_actor):
        with pytest.raises(services.NotTheReceiver):
            services.referral_acknowledge(actor=actor, referral_id=referral.pk, now=now)
    acknowledged = services.referral_acknowledge(
        actor=actor_of(social_counsellor, organisation), referral_id=referral.pk, now=now
    )

    assert acknowledged.status == Referral.Status.ACKNOWLEDGED
    assert acknowledged.acknowledged_by == social_counsellor
    assert acknowledged.acknowledged_at == now
    # The warm handover gives the receiver a care relationship to the client.
    assert CareAssignment.objects.filter(client=coach_client, worker=social_counsellor).exists()


def test_referral_acknowledge__without_a_named_worker_any_referral_worker_of_the_organisation(
    colleague_actor: Actor, coach_client: Client, now: datetime
) -> None:
    referral = ReferralFactory.create(client=coach_client)

    acknowledged = services.referral_acknowledge(
        actor=colleague_actor, referral_id=referral.pk, now=now
    )

    assert acknowledged.acknowledged_by == colleague_actor.user


def test_referral_acknowledge__twice_is_refused(
    colleague_actor: Actor, coach_client: Client, now: datetime
) -> None:
    referral = ReferralFactory.create(client=coach_client)
    services.referral_acknowledge(actor=colleague_actor, referral_id=referral.pk, now=now)

    with pytest.raises(services.InvalidInput):
        services.referral_acknowledge(actor=colleague_actor, referral_id=referral.pk, now=now)


def test_referral_acknowledge__another_organisations_worker_gets_not_found(
    stranger_actor: Actor, coach_client: Client, now: datetime
) -> None:
    referral = ReferralFactory.create(client=coach_client)

    with pytest.raises(Http404):
        services.referral_acknowledge(actor=stranger_actor, referral_id=referral.pk, now=now)


def test_referral_record_outcome__completing_needs_the_receivers_acknowledgement(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    referral = ReferralFactory.create(client=coach_client)

    with pytest.raises(services.InvalidInput):
        services.referral_record_outcome(
            actor=coach_actor,
            client_id=coach_client.pk,
            referral_id=referral.pk,
            version=referral.version,
            fields={"status": Referral.Status.COMPLETED, "outcome": "Tehty"},
            now=now,
        )


def test_referral_record_outcome__records_health_check_feedback(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    referral = ReferralFactory.create(
        client=coach_client, kind=Referral.Kind.HEALTH_CHECK, acknowledged_at=now
    )

    saved = services.referral_record_outcome(
        actor=coach_actor,
        client_id=coach_client.pk,
        referral_id=referral.pk,
        version=referral.version,
        fields={
            "status": Referral.Status.COMPLETED,
            "te_referral": "TE-lähete 12.11.2026",
            "feedback_received_on": TODAY,
            "outcome": "Ohjattu työkykyarvioon",
        },
        now=now,
    )

    assert (saved.status, saved.feedback_received_on, saved.version) == ("completed", TODAY, 2)


def _slot(hour: int) -> tuple[datetime, datetime]:
    start = datetime(2026, 12, 1, hour, 0, tzinfo=HELSINKI)
    return start, start + timedelta(hours=1)


def test_team_booking_create__consultation_without_permission_is_refused(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    starts_at, ends_at = _slot(9)
    data = services.TeamBookingData(
        team="Sote-tiimi",
        mode=TeamBooking.Mode.CONSULTATION,
        starts_at=starts_at,
        ends_at=ends_at,
        question="Kuntoutuksen tarve?",
    )

    with pytest.raises(services.InvalidInput) as refused:
        services.team_booking_create(
            actor=coach_actor, client_id=coach_client.pk, data=data, now=now
        )

    assert refused.value.field == "client_permission_on"
    assert not TeamBooking.objects.exists()


def test_team_booking_create__consultation_with_permission_is_booked(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    starts_at, ends_at = _slot(9)
    data = services.TeamBookingData(
        team="Sote-tiimi",
        mode=TeamBooking.Mode.CONSULTATION,
        starts_at=starts_at,
        ends_at=ends_at,
        question="Kuntoutuksen tarve?",
        client_permission_on=TODAY,
    )

    booking = services.team_booking_create(
        actor=coach_actor, client_id=coach_client.pk, data=data, now=now
    )

    assert booking.client_permission_on == TODAY
    slot = Meeting.objects.get(client=coach_client)
    assert (slot.kind, slot.worker, slot.starts_at) == ("sote_team", coach_actor.user, starts_at)


def test_meeting_create__books_a_meeting_in_the_workers_calendar(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    starts_at, ends_at = _slot(10)

    meeting = services.meeting_create(
        actor=coach_actor,
        client_id=coach_client.pk,
        data=services.MeetingData(
            worker_id=coach_actor.user.pk,
            starts_at=starts_at,
            ends_at=ends_at,
            kind="ktt_follow_up",
            channel=ContactChannel.PHONE,
        ),
        now=now,
    )

    assert (meeting.worker, meeting.attendance, meeting.kind) == (
        coach_actor.user,
        Meeting.Attendance.PLANNED,
        Meeting.Kind.KTT_FOLLOW_UP,
    )
    assert ChangeLogEntry.objects.filter(event="referrals.meeting.created").count() == 1


def test_meeting_create__an_end_before_the_start_is_refused(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    starts_at, ends_at = _slot(10)

    with pytest.raises(services.InvalidInput):
        services.meeting_create(
            actor=coach_actor,
            client_id=coach_client.pk,
            data=services.MeetingData(
                worker_id=coach_actor.user.pk,
                starts_at=ends_at,
                ends_at=starts_at,
                kind="coaching",
                channel="phone",
            ),
            now=now,
        )


def test_meeting_create__a_worker_of_another_organisation_is_refused(
    coach_actor: Actor, coach_client: Client, stranger: User, now: datetime
) -> None:
    starts_at, ends_at = _slot(10)

    with pytest.raises(services.InvalidInput):
        services.meeting_create(
            actor=coach_actor,
            client_id=coach_client.pk,
            data=services.MeetingData(
                worker_id=stranger.pk,
                starts_at=starts_at,
                ends_at=ends_at,
                kind="coaching",
                channel="phone",
            ),
            now=now,
        )


def test_meeting_update__a_stale_version_is_a_conflict_and_nothing_is_overwritten(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    meeting = MeetingFactory.create(client=coach_client)
    services.meeting_update(
        actor=coach_actor,
        client_id=coach_client.pk,
        meeting_id=meeting.pk,
        version=1,
        fields={"attendance": Meeting.Attendance.ATTENDED, "notes": "Ensimmäinen"},
        now=now,
    )

    with pytest.raises(services.StaleVersion) as clash:
        services.meeting_update(
            actor=coach_actor,
            client_id=coach_client.pk,
            meeting_id=meeting.pk,
            version=1,
            fields={"attendance": Meeting.Attendance.NO_SHOW, "notes": "Toinen"},
            now=now,
        )

    meeting.refresh_from_db()
    assert (meeting.attendance, meeting.notes, meeting.version) == ("attended", "Ensimmäinen", 2)
    assert clash.value.current.pk == meeting.pk


def test_summary_save__each_save_is_a_new_version_in_the_history(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    summary = services.summary_save(
        actor=coach_actor,
        client_id=coach_client.pk,
        summary_id=None,
        version=None,
        fields={"question": "Mikä on työkyky?", "debts": ""},
        now=now,
    )
    services.summary_save(
        actor=coach_actor,
        client_id=coach_client.pk,
        summary_id=summary.pk,
        version=1,
        fields={"question": "Mikä on työkyky?", "debts": "Vuokrarästit"},
        now=now,
    )

    summary.refresh_from_db()
    assert (summary.version, summary.debts) == (2, "Vuokrarästit")
    rows = ChangeLogEntry.objects.filter(event="referrals.work_ability_summary.saved")
    assert rows.count() == 2
    with pytest.raises(services.StaleVersion):
        services.summary_save(
            actor=coach_actor,
            client_id=coach_client.pk,
            summary_id=summary.pk,
            version=1,
            fields={"debts": "Ei velkoja"},
            now=now,
        )


def test_summary_disclose__passes_the_gate_and_writes_the_disclosure_log(
    coach_actor: Actor,
    coach_client: Client,
    county: Organisation,
    agreement: DataSharingAgreement,
    now: datetime,
) -> None:
    ConsentFactory.create(client=coach_client, party=Consent.Party.HEALTH_SERVICES)
    summary = services.summary_save(
        actor=coach_actor,
        client_id=coach_client.pk,
        summary_id=None,
        version=None,
        fields={"question": "Työkyky?"},
        now=now,
    )

    services.summary_disclose(
        actor=coach_actor,
        client_id=coach_client.pk,
        summary_id=summary.pk,
        recipient_id=county.pk,
        today=TODAY,
        now=now,
    )

    assert DisclosureLogEntry.objects.get().recipient_organisation == county


def test_summary_disclose__without_consent_is_refused(
    coach_actor: Actor,
    coach_client: Client,
    county: Organisation,
    agreement: DataSharingAgreement,
    now: datetime,
) -> None:
    summary = services.summary_save(
        actor=coach_actor,
        client_id=coach_client.pk,
        summary_id=None,
        version=None,
        fields={"question": "Työkyky?"},
        now=now,
    )

    with pytest.raises(ConsentRequired):
        services.summary_disclose(
            actor=coach_actor,
            client_id=coach_client.pk,
            summary_id=summary.pk,
            recipient_id=county.pk,
            today=TODAY,
            now=now,
        )

    assert not DisclosureLogEntry.objects.exists()


def test_calendar_feed_create__stores_only_a_hash_and_replaces_the_old_feed(
    coach_actor: Actor, now: datetime
) -> None:
    first, first_token = services.calendar_feed_create(
        actor=coach_actor, show_client_names=False, now=now
    )
    second, second_token = services.calendar_feed_create(
        actor=coach_actor, show_client_names=True, now=now
    )

    first.refresh_from_db()
    assert first.revoked_at == now
    assert second.revoked_at is None
    assert first_token not in (first.token_hash, second.token_hash)
    assert first_token != second_token
