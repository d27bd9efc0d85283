from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from conftest import logged_in
from polku.accounts.models import DataSharingAgreement, Organisation, User
from polku.accounts.roles import Actor
from polku.accounts.tests.factories import OrganisationFactory
from polku.audit.models import AccessLogEntry, DisclosureLogEntry
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.referrals import services
from polku.referrals.models import Meeting, Referral
from polku.referrals.tests.factories import MeetingFactory, ReferralFactory, SummaryFactory

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEK = "2026-W49"  # Monday 30.11.2026


def _meetings(client: Client, count: int) -> None:
    for n in range(count):
        start = datetime(2026, 11, 30, 8, 0, tzinfo=HELSINKI) + timedelta(days=n % 5, hours=n)
        MeetingFactory.create(client=client, starts_at=start, ends_at=start + timedelta(minutes=45))


def _feed_token(actor: Actor, *, names: bool = False) -> str:
    _feed, token = services.calendar_feed_create(
        actor=actor, show_client_names=names, now=timezone.now()
    )
    return token


def test_calendar__shows_the_week_with_previous_and_next_links(
    coach: User, coach_client: Client
) -> None:
    _meetings(coach_client, 3)

    response = logged_in(coach).get(reverse("referrals:calendar"), {"week": WEEK})

    assert response.status_code == 200
    content = response.content.decode()
    assert "?week=2026-W48" in content
    assert "?week=2026-W50" in content
    assert content.count(coach_client.first_names) == 3
    assert AccessLogEntry.objects.filter(client=coach_client, view="referrals:calendar").exists()


def test_calendar__query_count_does_not_grow_with_meetings(
    coach: User, organisation: Organisation, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    http = logged_in(coach)
    for _n in range(12):
        _meetings(ClientFactory.create(organisation=organisation, responsible_worker=coach), 2)
    http.get(reverse("referrals:calendar"), {"week": WEEK})  # warm the session

    with django_assert_max_num_queries(14):
        response = http.get(reverse("referrals:calendar"), {"week": WEEK})

    assert response.status_code == 200


def test_calendar_ics__exports_the_workers_meetings_without_names_by_default(
    coach: User, coach_client: Client
) -> None:
    _meetings(coach_client, 2)

    response = logged_in(coach).get(reverse("referrals:calendar_ics"))

    assert response["Content-Type"] == "text/calendar"
    events = list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))
    assert len(events) == 2
    assert all(str(event["SUMMARY"]).startswith("Asiakastapaaminen") for event in events)
    assert events[0].decoded("DTSTART") == datetime(2026, 11, 30, 8, 0, tzinfo=HELSINKI)
    assert coach_client.last_name not in response.content.decode()


def test_calendar_ics__with_names_when_asked_and_never_the_identity_code(
    coach: User, coach_client: Client
) -> None:
    _meetings(coach_client, 1)

    response = logged_in(coach).get(reverse("referrals:calendar_ics"), {"names": "1"})

    text = response.content.decode()
    assert coach_client.last_name in text
    assert coach_client.hetu not in text
    assert AccessLogEntry.objects.filter(view="referrals:calendar_ics").count() == 1


def test_referral_inbox__query_count_does_not_grow_with_handovers(
    coach_client: Client,
    colleague: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(15):
        ReferralFactory.create(client=coach_client, receiving_worker=colleague)
    http = logged_in(colleague)
    http.get(reverse("referrals:inbox"))

    with django_assert_max_num_queries(14):
        response = http.get(reverse("referrals:inbox"))

    assert response.content.decode().count("Kuittaa vastaanotetuksi") == 15


def test_feed__by_default_shows_no_client_names(coach_actor: Actor, coach_client: Client) -> None:
    _meetings(coach_client, 2)
    token = _feed_token(coach_actor)

    response = HttpClient().get(reverse("referrals:feed", kwargs={"token": token}))

    assert response.status_code == 200
    events = list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))
    assert [str(event["SUMMARY"]) for event in events] == [
        "Asiakastapaaminen: Valmennustapaaminen"
    ] * 2
    text = response.content.decode()
    assert coach_client.last_name not in text
    assert coach_client.hetu not in text
    assert not AccessLogEntry.objects.filter(view="referrals:feed").exists()


def test_feed__shows_names_when_the_worker_opted_in_and_logs_it(
    coach_actor: Actor, coach_client: Client
) -> None:
    _meetings(coach_client, 1)
    token = _feed_token(coach_actor, names=True)

    response = HttpClient().get(reverse("referrals:feed", kwargs={"token": token}))

    text = response.content.decode()
    assert coach_client.last_name in text
    assert coach_client.hetu not in text
    assert AccessLogEntry.objects.filter(view="referrals:feed", client=coach_client).exists()


def test_feed__a_wrong_token_is_not_found(db: None) -> None:
    response = HttpClient().get(reverse("referrals:feed", kwargs={"token": "arvaus"}))

    assert response.status_code == 404


def test_feed__a_revoked_token_is_not_found(coach: User, coach_actor: Actor) -> None:
    token = _feed_token(coach_actor)

    logged_in(coach).post(reverse("referrals:feed_revoke"))

    response = HttpClient().get(reverse("referrals:feed", kwargs={"token": token}))
    assert response.status_code == 404


def test_feed_create__shows_the_new_address_once(coach: User) -> None:
    response = logged_in(coach).post(reverse("referrals:feed_create"), {"show_client_names": ""})

    assert response.status_code == 200
    assert "/referrals/calendar/feed/" in response.content.decode()


def test_summary_pdf__is_a_pdf(coach: User, coach_client: Client) -> None:
    summary = SummaryFactory.create(client=coach_client, debts="Vuokrarästit")

    response = logged_in(coach).get(
        reverse(
            "referrals:summary_pdf",
            kwargs={"client_id": coach_client.pk, "summary_id": summary.pk},
        )
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert coach_client.last_name not in response["Content-Disposition"]


def test_summary_create__is_prefilled_from_the_client_record(
    coach: User, coach_client: Client
) -> None:
    Client.objects.filter(pk=coach_client.pk).update(lms_days_total=321)

    response = logged_in(coach).get(
        reverse("referrals:summary_create", kwargs={"client_id": coach_client.pk})
    )

    assert "Työmarkkinatukipäiviä yhteensä 321" in response.content.decode()


def test_referral_create__another_organisations_client_is_not_found(
    stranger: User, coach_client: Client
) -> None:
    response = logged_in(stranger).get(
        reverse("referrals:create", kwargs={"client_id": coach_client.pk})
    )

    assert response.status_code == 404


def test_referral_create__without_a_care_relationship_is_forbidden(
    colleague: User, coach_client: Client
) -> None:
    response = logged_in(colleague).get(
        reverse("referrals:create", kwargs={"client_id": coach_client.pk})
    )

    assert response.status_code == 403


def test_referral_create__refusal_names_the_missing_consent(
    coach: User, coach_client: Client, organisation: Organisation
) -> None:
    county = OrganisationFactory.create(
        slug="hva", name="Hyvinvointialue", kind=Organisation.Kind.WELLBEING_COUNTY
    )
    DataSharingAgreement.objects.create(
        provider=organisation, recipient=county, purpose="Yhteistyö", valid_from="2026-01-01"
    )

    response = logged_in(coach).post(
        reverse("referrals:create", kwargs={"client_id": coach_client.pk}),
        {
            "kind": Referral.Kind.MENTAL_HEALTH,
            "receiving_organisation": county.pk,
            "reason": "Mielenterveyspalvelujen tarve",
            "sent_on": "24.11.2026",
        },
    )

    assert response.status_code == 200
    assert "puuttuu voimassa oleva suostumus" in response.content.decode()
    assert not Referral.objects.exists()
    assert not DisclosureLogEntry.objects.exists()


def test_referral_inbox__the_receiver_acknowledges_from_the_list(
    coach_client: Client, colleague: User
) -> None:
    referral = ReferralFactory.create(client=coach_client, receiving_worker=colleague)
    http = logged_in(colleague)

    assert coach_client.last_name in http.get(reverse("referrals:inbox")).content.decode()
    http.post(reverse("referrals:acknowledge", kwargs={"referral_id": referral.pk}))

    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACKNOWLEDGED
    # Now the receiver reaches the client record.
    detail = http.get(reverse("clients:detail", kwargs={"client_id": coach_client.pk}))
    assert detail.status_code == 200


def test_referral_acknowledge__the_sender_cannot_acknowledge_their_own_handover(
    coach: User, coach_client: Client, colleague: User
) -> None:
    referral = ReferralFactory.create(client=coach_client, receiving_worker=colleague)

    response = logged_in(coach).post(
        reverse("referrals:acknowledge", kwargs={"referral_id": referral.pk})
    )

    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT


def test_meeting_edit__records_attendance(coach: User, coach_client: Client) -> None:
    meeting = MeetingFactory.create(client=coach_client)
    url = reverse(
        "referrals:meeting_edit", kwargs={"client_id": coach_client.pk, "meeting_id": meeting.pk}
    )

    response = logged_in(coach).post(
        url,
        {
            "day": "24.11.2026",
            "start": "11:00",
            "end": "12:00",
            "kind": "coaching",
            "channel": "phone",
            "attendance": "attended",
            "notes": "Kävi",
            "version": "1",
        },
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.attendance, meeting.version) == (Meeting.Attendance.ATTENDED, 2)


def test_meeting_create__warns_when_the_worker_is_already_booked_then(
    coach: User, coach_client: Client
) -> None:
    other_client = ClientFactory.create(
        organisation=coach_client.organisation, responsible_worker=coach
    )
    booked = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
    MeetingFactory.create(
        client=other_client, starts_at=booked, ends_at=booked + timedelta(hours=1)
    )
    MeetingFactory.create(
        client=other_client,
        starts_at=booked + timedelta(hours=1),
        ends_at=booked + timedelta(hours=2),
        attendance=Meeting.Attendance.CANCELLED,
    )
    url = reverse("referrals:meeting_create", kwargs={"client_id": coach_client.pk})
    fields = {"worker": coach.pk, "kind": "coaching", "channel": "phone", "day": "24.11.2026"}

    overlapping = logged_in(coach).post(
        url, {**fields, "start": "9:30", "end": "10:30"}, follow=True
    )
    after = logged_in(coach).post(url, {**fields, "start": "10:30", "end": "11:00"}, follow=True)

    assert Meeting.objects.filter(client=coach_client).count() == 2  # warned, not refused
    assert "samaan aikaan toinen tapaaminen: 24.11.2026 09.00–10.00." in overlapping.text
    assert other_client.last_name not in overlapping.text
    assert "samaan aikaan" not in after.text  # back to back, or over a cancelled one


def test_meeting_edit__a_conflict_keeps_what_was_typed(coach: User, coach_client: Client) -> None:
    meeting = MeetingFactory.create(client=coach_client, version=3)
    url = reverse(
        "referrals:meeting_edit", kwargs={"client_id": coach_client.pk, "meeting_id": meeting.pk}
    )

    response = logged_in(coach).post(
        url,
        {
            "day": "24.11.2026",
            "start": "11:00",
            "end": "12:00",
            "kind": "coaching",
            "channel": "phone",
            "attendance": "no_show",
            "notes": "Minun muistiinpanoni",
            "version": "1",
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Tiedot ovat muuttuneet sillä välin" in content
    assert "Minun muistiinpanoni" in content


def test_client_page__lists_upcoming_and_past_meetings(coach: User, coach_client: Client) -> None:
    now = timezone.now()
    MeetingFactory.create(
        client=coach_client,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=1),
        title="Tuleva",
    )
    MeetingFactory.create(
        client=coach_client,
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3, hours=-1),
        title="Mennyt",
    )

    response = logged_in(coach).get(
        reverse("clients:detail", kwargs={"client_id": coach_client.pk})
    )

    content = response.content.decode()
    assert content.index("Tuleva") < content.index("Mennyt")


@pytest.mark.parametrize("week", ["", "2026-W99", "roskaa"])
def test_calendar__a_missing_or_malformed_week_shows_this_week(coach: User, week: str) -> None:
    response = logged_in(coach).get(reverse("referrals:calendar"), {"week": week})

    assert response.status_code == 200


def test_summary_edit__saves_a_new_version_and_lists_the_history(
    coach: User, coach_client: Client
) -> None:
    http = logged_in(coach)
    create = reverse("referrals:summary_create", kwargs={"client_id": coach_client.pk})
    response = http.post(create, {"question": "Riittääkö työkyky?"})
    edit = response["Location"]

    response = http.post(
        edit, {"question": "Riittääkö työkyky?", "debts": "Vuokrarästit", "version": "1"}
    )
    page = http.get(edit).content.decode()

    assert response.status_code == 302
    assert "Versiohistoria" in page
    assert "velat" in page
    assert "Versio 2" in page


def test_calendar__times_in_finnish_and_stored_titles_in_the_users_language(
    coach: User, coach_client: Client
) -> None:
    start = datetime(2026, 11, 30, 9, 0, tzinfo=HELSINKI)
    MeetingFactory.create(
        client=coach_client,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        title="Asiantuntija",
    )
    http = logged_in(coach)

    finnish = http.get(reverse("referrals:calendar"), {"week": WEEK}).content.decode()
    http.cookies["django_language"] = "sv"
    swedish = http.get(reverse("referrals:calendar"), {"week": WEEK}).content.decode()

    assert "09.00–09.45" in finnish
    assert "9:00" not in finnish
    assert "Sakkunnig" in swedish


def test_meeting_form__shows_and_accepts_times_as_09_00(coach: User, coach_client: Client) -> None:
    start = datetime(2026, 11, 24, 9, 0, tzinfo=HELSINKI)
    meeting = MeetingFactory.create(
        client=coach_client, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    url = reverse(
        "referrals:meeting_edit", kwargs={"client_id": coach_client.pk, "meeting_id": meeting.pk}
    )
    http = logged_in(coach)

    form = http.get(url).content.decode()
    response = http.post(
        url,
        {
            "day": "24.11.2026",
            "start": "09.30",
            "end": "10.15",
            "kind": "coaching",
            "channel": "phone",
            "attendance": "attended",
            "notes": "",
            "version": "1",
        },
    )

    assert 'value="09.00"' in form
    assert 'placeholder="tt.mm"' in form
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).strftime("%H.%M") == "09.30"
