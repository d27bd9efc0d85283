import json
from datetime import date

from django.test import Client as HttpClient
from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.accounts.services import api_token_create
from polku.clients.models import Client
from polku.employment.models import Employer
from polku.employment.tests.factories import ObligationFactory


def _api(user: User, organisation: Organisation) -> HttpClient:
    token = api_token_create(user=user, organisation=organisation, now=timezone.now())
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(http: HttpClient, path: str, body: dict[str, object]) -> object:
    return http.post(path, json.dumps(body), content_type="application/json")


def test_record_notice__returns_the_engines_deadline_and_explanation(
    organisation: Organisation, coach: User, older_client: Client
) -> None:
    response = _post(
        _api(coach, organisation),
        "/api/v1/obligated-employment/",
        {
            "client_id": older_client.pk,
            "notice_received_on": "2024-03-01",
            "max_period_end": "2024-06-28",
        },
    )

    body = response.json()  # type: ignore[attr-defined]
    assert response.status_code == 201  # type: ignore[attr-defined]
    assert body["job_must_start_by"] == "2024-06-28"
    assert body["duration_months"] == 6
    assert body["unverified"] is True
    assert body["explanation"]


def test_update_steps__answers_409_on_a_stale_version(
    organisation: Organisation, coach: User, older_client: Client
) -> None:
    case = ObligationFactory.create(client=older_client, version=3)

    response = _api(coach, organisation).patch(
        f"/api/v1/obligated-employment/{case.pk}",
        json.dumps({"client_id": older_client.pk, "version": 2, "meeting_on": "2024-03-12"}),
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["fields"]["current_version"] == 3


def test_apply_subsidy__money_as_strings_and_refusal_as_422(
    organisation: Organisation,
    coach: User,
    coach_client: Client,
    company: Employer,
    municipal_unit: Employer,
) -> None:
    http = _api(coach, organisation)
    body = {
        "client_id": coach_client.pk,
        "employer_id": company.pk,
        "job_title": "Varastotyöntekijä",
        "basis": "skills",
        "unemployed_months_of_last_28": 25,
        "start": "2024-02-01",
        "end": "2024-11-30",
        "monthly_wage_costs": "2100.00",
        "applied_on": "2024-01-10",
    }

    granted = _post(http, "/api/v1/pay-subsidies/", body)
    refused = _post(
        http,
        "/api/v1/pay-subsidies/",
        body | {"employer_id": municipal_unit.pk, "start": "2025-02-01", "end": "2025-11-30"},
    )

    assert granted.status_code == 201  # type: ignore[attr-defined]
    assert granted.json()["rate"] == 50  # type: ignore[attr-defined]
    assert granted.json()["duration_months"] == 10  # type: ignore[attr-defined]
    assert granted.json()["monthly_cap"] == "1260.00"  # type: ignore[attr-defined]
    assert granted.json()["monthly_wage_costs"] == "2100.00"  # type: ignore[attr-defined]
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert refused.json()["code"] == "subsidy_refused"  # type: ignore[attr-defined]


def test_list_subsidies__another_organisations_client_is_404(
    organisation: Organisation, coach: User, foreign_client: Client
) -> None:
    response = _api(coach, organisation).get(
        "/api/v1/pay-subsidies/", {"client_id": foreign_client.pk}
    )

    assert response.status_code == 404


def test_update_steps__changes_only_the_steps_sent(
    organisation: Organisation, coach: User, older_client: Client
) -> None:
    case = ObligationFactory.create(client=older_client, meeting_on=date(2024, 3, 12))

    response = _api(coach, organisation).patch(
        f"/api/v1/obligated-employment/{case.pk}",
        json.dumps(
            {"client_id": older_client.pk, "version": 1, "subsidy_applied_on": "2024-04-15"}
        ),
        content_type="application/json",
    )

    body = response.json()
    assert response.status_code == 200
    assert body["meeting_on"] == "2024-03-12"
    assert body["status"] == "subsidy_applied"
    assert body["version"] == 2
