import json
from typing import Any

from django.test import Client as HttpClient
from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.accounts.services import api_token_create
from polku.audit.models import AccessLogEntry
from polku.clients.models import Client
from polku.plans.models import Plan
from polku.plans.tests.factories import PlanFactory


def _api(user: User, organisation: Organisation) -> HttpClient:
    token = api_token_create(user=user, organisation=organisation, now=timezone.now())
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


def _send(http: HttpClient, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(http, method)(url, json.dumps(body), content_type="application/json")


def test_create_plan__returns_the_engines_review_date(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    response = _send(
        _api(coach, organisation),
        "post",
        "/api/v1/plans/",
        {"client_id": coach_client.pk, "plan_type": "activation", "made_on": "2026-11-02"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["next_review_on"] == "2027-02-02"
    assert [p["party"] for p in body["participants"]] == ["client", "municipality"]


def test_create_plan__too_late_review_is_a_field_error(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    response = _send(
        _api(coach, organisation),
        "post",
        "/api/v1/plans/",
        {
            "client_id": coach_client.pk,
            "plan_type": "activation",
            "made_on": "2026-11-02",
            "requested_review_on": "2027-06-01",
        },
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "requested_review_on" in body["fields"]


def test_list_plans__lists_the_clients_plans_and_logs_the_read(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    plan = PlanFactory.create(client=coach_client)

    response = _api(coach, organisation).get(f"/api/v1/plans/?client_id={coach_client.pk}")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [plan.pk]
    assert AccessLogEntry.objects.filter(channel="api", view="api:plans").count() == 1


def test_update_plan__stale_version_is_409_with_both_versions(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    plan = PlanFactory.create(client=coach_client, version=3)

    response = _send(
        _api(coach, organisation),
        "patch",
        f"/api/v1/plans/{plan.pk}",
        {"version": 2, "made_on": "2026-09-01", "client_tasks": "Uusi"},
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "edit_conflict"
    assert body["fields"]["current"]["version"] == 3
    assert body["fields"]["attempted"]["client_tasks"] == "Uusi"
    # The answer shows the saved plan: its read is logged, once.
    assert AccessLogEntry.objects.filter(client=coach_client).count() == 1


def test_record_review__recomputes_the_next_review(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    plan = PlanFactory.create(client=coach_client)
    today = timezone.localdate()

    response = _send(
        _api(coach, organisation),
        "post",
        f"/api/v1/plans/{plan.pk}/reviews",
        {"reviewed_on": today.isoformat(), "held_how": "remote", "outcome": "continues"},
    )

    assert response.status_code == 201, response.content
    plan.refresh_from_db()
    assert plan.last_reviewed_on == today
    assert plan.next_review_on is not None
    assert plan.next_review_on > today


def test_get_plan__of_another_organisation_is_404(
    stranger: User, other_organisation: Organisation, coach_client: Client
) -> None:
    plan = PlanFactory.create(client=coach_client)

    response = _api(stranger, other_organisation).get(f"/api/v1/plans/{plan.pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_get_plan__without_care_relationship_is_403(
    colleague: User, organisation: Organisation, coach_client: Client
) -> None:
    plan = PlanFactory.create(client=coach_client)

    response = _api(colleague, organisation).get(f"/api/v1/plans/{plan.pk}")

    assert response.status_code == 403
    assert response.json()["code"] == "no_care_relationship"
    assert not Plan.objects.exclude(pk=plan.pk).exists()
