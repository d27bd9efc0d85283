"""Issue 16 #4 and #8: dates, integers and NUL characters no page or API call can break on.

Runs on SQLite and, with DATABASE_URL set, on PostgreSQL (where NUL and an integer past
the column used to end as 500s)."""

import json
from datetime import UTC, date, datetime

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import UserFactory
from polku.clients.models import Client
from polku.referrals.models import Meeting
from polku.referrals.tests.factories import MeetingFactory, ReferralFactory

EARLIEST = datetime(1, 1, 1, 12, tzinfo=UTC)
LATEST = date(9999, 12, 31)


def api(user: User, organisation: Organisation) -> HttpClient:
    token = api_token_create(user=user, organisation=organisation, now=timezone.now())
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def lead(organisation: Organisation) -> User:
    return UserFactory.create(username="lead", memberships=[(organisation, Role.LEAD_COACH)])


@pytest.fixture
def odd_dates(coach: User, colleague: User, coach_client: Client) -> Client:
    """A meeting in year 1 and a referral sent on the last day of year 9999, written past
    every form and schema (an old import, a database edit)."""
    MeetingFactory.create(
        client=coach_client, starts_at=EARLIEST, ends_at=EARLIEST.replace(hour=13)
    )
    ReferralFactory.create(
        client=coach_client, sent_on=LATEST, sent_by=coach, receiving_worker=colleague
    )
    return coach_client


@pytest.mark.parametrize("week", [None, "9999-W52", "0001-W01", "2026-W99", "x"])
def test_stored_odd_dates__do_not_break_the_pages_that_show_them(
    odd_dates: Client, coach: User, colleague: User, lead: User, week: str | None
) -> None:
    as_coach = logged_in(coach)
    calendar = reverse("referrals:calendar") + (f"?week={week}" if week else "")
    pages = [
        reverse("clients:detail", args=[odd_dates.pk]),
        reverse("clients:data_export", args=[odd_dates.pk]),
        reverse("clients:data_export", args=[odd_dates.pk]) + "?format=pdf",
        reverse("reports:worklist"),
        calendar,
        reverse("referrals:calendar_ics"),
    ]
    for page in pages:
        assert as_coach.get(page).status_code == 200, page
    assert logged_in(colleague).get(reverse("reports:worklist")).status_code == 200
    assert logged_in(lead).get(reverse("reports:team_worklist")).status_code == 200


@pytest.mark.parametrize("typed", ["1.1.0001", "31.12.9999"])
def test_a_meeting_form__refuses_a_date_out_of_bounds_with_a_field_error(
    coach: User, coach_client: Client, typed: str
) -> None:
    url = reverse("referrals:meeting_create", args=[coach_client.pk])
    response = logged_in(coach).post(
        url,
        {
            "worker": coach.pk,
            "day": typed,
            "start": "09.00",
            "end": "10.00",
            "kind": "coaching",
            "channel": "in_person",
            "title": "",
            "location": "",
        },
    )

    assert response.status_code == 200
    assert "1900–2100" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("sent", ["0001-01-01", "9999-12-31"])
def test_the_api__refuses_a_date_out_of_bounds_with_a_422(
    coach: User, organisation: Organisation, coach_client: Client, sent: str
) -> None:
    response = api(coach, organisation).post(
        "/api/v1/referrals/",
        json.dumps(
            {
                "client_id": coach_client.pk,
                "kind": "adult_social_work",
                "receiving_organisation_id": organisation.pk,
                "reason": "Arvio",
                "sent_on": sent,
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert "sent_on" in response.json()["fields"]


NUL = "Aino\x00"
HUGE = 2**40


def test_forms__refuse_nul_and_huge_integers_with_a_field_error(
    coach: User, coach_client: Client
) -> None:
    http = logged_in(coach)
    client_id = coach_client.pk
    posts = {
        reverse("clients:create"): {"hetu": "010190-123F", "first_names": NUL, "last_name": "X"},
        reverse("clients:edit", args=[client_id]): {
            "first_names": "Aino",
            "last_name": "Uusi",
            "language": "fi",
            "version": HUGE,
        },
        reverse("clients:consent_add", args=[client_id]): {
            "party": "organisation",
            "party_name": NUL,
            "purpose": "Yhteistyö",
            "given_on": "1.11.2026",
        },
        reverse("referrals:create", args=[client_id]): {
            "kind": "adult_social_work",
            "reason": NUL,
            "sent_on": "1.11.2026",
        },
        reverse("referrals:meeting_create", args=[client_id]): {
            "worker": coach.pk,
            "day": "1.12.2026",
            "start": "09.00",
            "end": "10.00",
            "kind": "coaching",
            "channel": "in_person",
            "title": NUL,
            "location": "",
        },
    }
    for url, data in posts.items():
        response = http.post(url, data)
        assert response.status_code == 200, url
        assert response.context["form"].errors, url
    coach_client.refresh_from_db()
    assert coach_client.last_name != "Uusi"


def test_search_page__refuses_nul_with_a_400_page(coach: User) -> None:
    response = logged_in(coach).get(reverse("clients:list"), {"q": NUL})

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_api__answers_nul_and_huge_integers_with_a_422(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    http = api(coach, organisation)
    client_id = coach_client.pk
    sends = [
        ("post", "/api/v1/clients/", {"hetu": "010190-123F", "first_names": NUL, "last_name": "X"}),
        ("patch", f"/api/v1/clients/{client_id}", {"version": 1, "lms_days_total": HUGE}),
        ("patch", f"/api/v1/clients/{client_id}", {"version": HUGE, "last_name": "Uusi"}),
        ("post", "/api/v1/clients/search", {"q": NUL}),
        (
            "post",
            "/api/v1/consents/",
            {
                "client_id": client_id,
                "party": "organisation",
                "party_name": NUL,
                "purpose": "Yhteistyö",
                "given_on": "2026-11-01",
            },
        ),
        (
            "post",
            "/api/v1/referrals/",
            {
                "client_id": client_id,
                "kind": "adult_social_work",
                "receiving_organisation_id": organisation.pk,
                "reason": NUL,
                "sent_on": "2026-11-01",
            },
        ),
        (
            "post",
            "/api/v1/meetings/",
            {
                "client_id": client_id,
                "worker_id": coach.pk,
                "starts_at": "2026-12-01T09:00:00+02:00",
                "ends_at": "2026-12-01T10:00:00+02:00",
                "kind": "coaching",
                "channel": "in_person",
                "title": NUL,
            },
        ),
    ]
    for method, url, body in sends:
        response = getattr(http, method)(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 422, (method, url)
        assert response.json()["code"] == "invalid"
    assert http.get("/api/v1/clients/", {"q": NUL}).status_code == 422
    coach_client.refresh_from_db()
    assert coach_client.last_name != "Uusi"
