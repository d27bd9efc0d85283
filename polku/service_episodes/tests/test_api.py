import json
from datetime import date, timedelta

from django.test import Client as HttpClient
from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import UserFactory
from polku.audit.models import AccessLogEntry
from polku.clients.models import CareAssignment, Client
from polku.service_episodes.models import Placement, ServiceType


def _api(user: User, organisation: Organisation) -> HttpClient:
    token = api_token_create(user=user, organisation=organisation, now=timezone.now())
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


def _put(http: HttpClient, cells: list[dict[str, object]]) -> object:
    return http.put(
        "/api/v1/attendance/", json.dumps({"cells": cells}), content_type="application/json"
    )


def test_put_attendance__answers_409_with_the_cells_someone_else_saved(
    organisation: Organisation, coach_client: Client
) -> None:
    instructor = UserFactory.create(
        username="ohjaaja", memberships=[(organisation, Role.WORK_COACH)]
    )
    CareAssignment.objects.create(
        client=coach_client, worker=instructor, basis="service", started_on=date(2026, 9, 1)
    )
    http = _api(instructor, organisation)
    cell = {"client_id": coach_client.pk, "day": "2026-11-23", "status": "present", "version": 0}
    assert _put(http, [cell]).json() == {"changed": 1}  # type: ignore[attr-defined]

    response = _put(http, [cell | {"status": "sick"}])

    assert response.status_code == 409  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["code"] == "edit_conflict"
    # The answer shows the saved cell: that is logged, once (issue 16 #6).
    shown = AccessLogEntry.objects.filter(client=coach_client, user=instructor)
    assert shown.count() == 1
    assert body["fields"]["conflicts"] == [
        {
            "client_id": coach_client.pk,
            "day": "2026-11-23",
            "saved_status": "present",
            "saved_version": 1,
            "attempted_status": "sick",
        }
    ]
    listed = http.get(
        f"/api/v1/attendance/?client_id={coach_client.pk}&start=2026-11-01&end=2026-11-30"
    ).json()
    assert listed == [
        {
            "client_id": coach_client.pk,
            "day": "2026-11-23",
            "status": "present",
            "reason": "",
            "version": 1,
        }
    ]


def test_put_attendance__another_organisations_client_is_not_found(
    other_organisation: Organisation, coach_client: Client
) -> None:
    instructor = UserFactory.create(
        username="naapuri", memberships=[(other_organisation, Role.WORK_COACH)]
    )

    response = _put(
        _api(instructor, other_organisation),
        [{"client_id": coach_client.pk, "day": "2026-11-23", "status": "present"}],
    )

    assert response.status_code == 404  # type: ignore[attr-defined]


def test_post_ktt_contract__explains_the_legal_limits_it_breaks(
    organisation: Organisation,
    coach: User,
    coach_client: Client,
    ktt_service: ServiceType,
    workshop: Placement,
) -> None:
    response = _api(coach, organisation).post(
        "/api/v1/ktt-contracts/",
        json.dumps(
            {
                "client_id": coach_client.pk,
                "placement_id": workshop.pk,
                "start": "2026-12-01",
                "end": "2029-12-01",
                "days_per_week": 5,
                "hours_per_day": "3",
                "coaching_content": "Puutyöt",
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 422
    codes = [error["code"] for error in response.json()["fields"]["errors"]]
    assert codes == ["period_too_long", "days_per_week_out_of_range", "hours_per_day_too_low"]


def test_get_placements__says_a_company_cannot_host_ktt(
    organisation: Organisation, coach: User
) -> None:
    from polku.service_episodes.tests.factories import PlacementFactory

    PlacementFactory.create(organisation=organisation, company=True, name="Yritys Oy")

    placements = _api(coach, organisation).get("/api/v1/placements/").json()

    assert [(p["name"], p["can_host_ktt"], p["occupancy"]) for p in placements] == [
        ("Yritys Oy", False, 0)
    ]


def test_post_ktt_contract__sends_it_to_the_chosen_counsellor_or_says_who_may_decide(
    organisation: Organisation,
    coach: User,
    colleague: User,
    coach_client: Client,
    ktt_service: ServiceType,
    workshop: Placement,
) -> None:
    counsellor = UserFactory.create(
        username="sosiaali", memberships=[(organisation, Role.SOCIAL_COUNSELLOR)]
    )
    body = {
        "client_id": coach_client.pk,
        "placement_id": workshop.pk,
        "start": "2026-12-01",
        "end": "2027-05-31",
        "days_per_week": 3,
        "hours_per_day": "4",
        "coaching_content": "Puutyöt",
    }
    http = _api(coach, organisation)

    refused = http.post(
        "/api/v1/ktt-contracts/",
        json.dumps(body | {"decider_id": colleague.pk}),
        content_type="application/json",
    )
    sent = http.post(
        "/api/v1/ktt-contracts/",
        json.dumps(body | {"decider_id": counsellor.pk}),
        content_type="application/json",
    )

    assert refused.status_code == 409
    assert "sosiaaliohjaaja" in refused.json()["message"]
    assert sent.status_code == 201
    assert sent.json()["decider_id"] == counsellor.pk


def test_put_attendance__answers_422_for_a_day_still_to_come(
    organisation: Organisation, coach_client: Client
) -> None:
    instructor = UserFactory.create(
        username="ohjaaja", memberships=[(organisation, Role.WORK_COACH)]
    )
    CareAssignment.objects.create(
        client=coach_client, worker=instructor, basis="service", started_on=date(2026, 9, 1)
    )
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = _put(
        _api(instructor, organisation),
        [{"client_id": coach_client.pk, "day": tomorrow.isoformat(), "status": "present"}],
    )

    assert response.status_code == 422  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["code"] == "attendance_refused"
    assert body["fields"]["future_days"] == [
        {"client_id": coach_client.pk, "day": tomorrow.isoformat()}
    ]
