import json
from datetime import date

from django.test import Client as HttpClient
from django.utils import timezone

from polku.accounts.models import DataSharingAgreement, Organisation, User
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import OrganisationFactory
from polku.clients.models import Client
from polku.referrals.models import Referral
from polku.referrals.tests.factories import MeetingFactory, ReferralFactory


def _api(user: User, organisation: Organisation) -> HttpClient:
    token = api_token_create(user=user, organisation=organisation, now=timezone.now())
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(http: HttpClient, url: str, data: object) -> object:
    return http.post(url, json.dumps(data), content_type="application/json")


def test_send_referral__without_consent_answers_consent_required(
    coach: User, coach_client: Client, organisation: Organisation
) -> None:
    county = OrganisationFactory.create(slug="hva", kind=Organisation.Kind.WELLBEING_COUNTY)
    DataSharingAgreement.objects.create(
        provider=organisation, recipient=county, purpose="x", valid_from=date(2026, 1, 1)
    )

    response = _post(
        _api(coach, organisation),
        "/api/v1/referrals/",
        {
            "client_id": coach_client.pk,
            "kind": "substance_abuse",
            "receiving_organisation_id": county.pk,
            "reason": "Päihdepalvelut",
            "sent_on": "2026-11-24",
        },
    )

    assert response.status_code == 422  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["code"] == "consent_required"
    assert body["fields"]["missing"] == ["consent"]


def test_acknowledge_referral__only_the_receiver(
    coach: User, colleague: User, coach_client: Client, organisation: Organisation
) -> None:
    referral = ReferralFactory.create(client=coach_client, receiving_worker=colleague)
    url = f"/api/v1/referrals/{referral.pk}/acknowledge"

    assert _post(_api(coach, organisation), url, {}).status_code == 403  # type: ignore[attr-defined]
    response = _post(_api(colleague, organisation), url, {})

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.json()["status"] == Referral.Status.ACKNOWLEDGED  # type: ignore[attr-defined]


def test_update_meeting__a_stale_version_is_409(
    coach: User, coach_client: Client, organisation: Organisation
) -> None:
    meeting = MeetingFactory.create(client=coach_client, version=2)

    response = _api(coach, organisation).patch(
        f"/api/v1/meetings/{meeting.pk}",
        json.dumps({"version": 1, "attendance": "attended"}),
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["fields"]["current"]["version"] == 2


def test_list_meetings__own_week(
    coach: User, coach_client: Client, organisation: Organisation
) -> None:
    MeetingFactory.create(client=coach_client)  # 24.11.2026, week 48

    response = _api(coach, organisation).get("/api/v1/meetings/?week=2026-W48")

    assert [row["client_id"] for row in response.json()] == [coach_client.pk]
