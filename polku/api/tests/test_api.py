import json

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.accounts.services import api_token_create
from polku.audit.models import AccessLogEntry
from polku.clients.models import Client, Consent


def api(user: User, organisation: Organisation, language: str = "fi") -> HttpClient:
    token = api_token_create(user=user, organisation=organisation, now=timezone.now())
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=language)


def test_openapi_schema_is_served(db: None) -> None:
    response = HttpClient().get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert "/api/v1/clients/" in response.json()["paths"]


def test_requests_without_a_token_get_a_json_401(db: None) -> None:
    response = HttpClient().get("/api/v1/clients/")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_wrong_token_is_refused(db: None) -> None:
    response = HttpClient(HTTP_AUTHORIZATION="Bearer not-a-token").get("/api/v1/clients/")

    assert response.status_code == 401


def test_list_clients__returns_own_clients_with_masked_identity_codes_and_logs_them(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    response = api(coach, organisation).get("/api/v1/clients/")

    assert response.status_code == 200
    assert [row["hetu_masked"] for row in response.json()] == [coach_client.hetu_masked]
    assert AccessLogEntry.objects.get().channel == "api"


def test_get_client__of_another_organisation_is_a_json_404(
    stranger: User, other_organisation: Organisation, coach_client: Client
) -> None:
    response = api(stranger, other_organisation).get(f"/api/v1/clients/{coach_client.pk}")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Kohdetta ei löydy.", "fields": {}}


def test_get_client__without_relationship_is_403_in_the_callers_language(
    colleague: User, organisation: Organisation, coach_client: Client
) -> None:
    response = api(colleague, organisation, language="en").get(f"/api/v1/clients/{coach_client.pk}")

    assert response.status_code == 403
    assert response.json()["code"] == "no_care_relationship"


def test_get_client__reads_exactly_one_access_log_row(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    response = api(coach, organisation).get(f"/api/v1/clients/{coach_client.pk}")

    assert response.json()["hetu"] == coach_client.hetu
    assert AccessLogEntry.objects.filter(client=coach_client, kind="record").count() == 1


def test_create_client__invalid_identity_code_gets_a_field_error(
    coach: User, organisation: Organisation
) -> None:
    response = api(coach, organisation).post(
        "/api/v1/clients/",
        json.dumps({"hetu": "010190Y999K", "first_names": "Aino", "last_name": "Virtanen"}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_hetu"
    assert "hetu" in response.json()["fields"]


def test_create_client__malformed_body_gets_field_errors_not_a_crash(
    coach: User, organisation: Organisation
) -> None:
    response = api(coach, organisation).post(
        "/api/v1/clients/",
        json.dumps({"hetu": 5, "lms_days_total": -3}),
        content_type="application/json",
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert {"hetu", "lms_days_total", "first_names"} <= set(body["fields"])


def test_update_client__stale_version_is_409_with_both_versions(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    http = api(coach, organisation)
    body = {"version": coach_client.version, "first_names": "Aino", "last_name": "Uusi"}
    http.patch(
        f"/api/v1/clients/{coach_client.pk}", json.dumps(body), content_type="application/json"
    )

    response = http.patch(
        f"/api/v1/clients/{coach_client.pk}",
        json.dumps({**body, "last_name": "Toinen"}),
        content_type="application/json",
    )

    assert response.status_code == 409
    fields = response.json()["fields"]
    assert (fields["current"]["last_name"], fields["attempted"]["last_name"]) == ("Uusi", "Toinen")


@pytest.mark.parametrize("user_fixture", ["stranger", "colleague"])
def test_consents__cannot_be_added_without_access(
    request: pytest.FixtureRequest, user_fixture: str, coach_client: Client
) -> None:
    user: User = request.getfixturevalue(user_fixture)
    organisation = user.memberships.get().organisation

    response = api(user, organisation).post(
        "/api/v1/consents/",
        json.dumps(
            {
                "client_id": coach_client.pk,
                "party": "kela",
                "purpose": "x",
                "given_on": "2026-01-01",
            }
        ),
        content_type="application/json",
    )

    assert response.status_code in {403, 404}
    assert not Consent.objects.exists()


def test_consents__give_list_and_withdraw(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    http = api(coach, organisation)
    created = http.post(
        "/api/v1/consents/",
        json.dumps(
            {
                "client_id": coach_client.pk,
                "party": "kela",
                "purpose": "Kuntoutus",
                "given_on": "2026-01-01",
            }
        ),
        content_type="application/json",
    ).json()

    withdrawn = http.post(
        f"/api/v1/consents/{created['id']}/withdraw?client_id={coach_client.pk}",
        json.dumps({"withdrawn_on": "2026-02-01"}),
        content_type="application/json",
    )
    listed = http.get(f"/api/v1/consents/?client_id={coach_client.pk}").json()

    assert withdrawn.status_code == 200
    assert [(row["purpose"], row["withdrawn_on"]) for row in listed] == [
        ("Kuntoutus", "2026-02-01")
    ]


def test_client_search__finds_by_identity_code_in_the_body_but_refuses_it_in_the_url(
    organisation: Organisation, coach: User, coach_client: Client
) -> None:
    http = api(coach, organisation)

    found = http.post(
        "/api/v1/clients/search", {"q": coach_client.hetu}, content_type="application/json"
    )
    refused = http.get("/api/v1/clients/", {"q": coach_client.hetu})

    assert [row["id"] for row in found.json()] == [coach_client.pk]
    assert refused.status_code == 400
    assert refused.json()["code"] == "hetu_in_url"


def test_every_patch_operation__requires_only_the_version(db: None) -> None:
    """PATCH changes only the fields it names, so nothing written may be required: only the
    ``version`` read and, for obligated employment, the ``client_id`` that locates the case."""
    paths = HttpClient().get("/api/v1/openapi.json").json()
    schema = paths["components"]["schemas"]
    patches = [op for item in paths["paths"].values() for m, op in item.items() if m == "patch"]

    assert len(patches) >= 4
    for operation in patches:
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        required = schema[body["$ref"].rsplit("/", 1)[1]].get("required", [])
        assert "version" in required, operation["operationId"]
        assert set(required) <= {"version", "client_id"}, operation["operationId"]


def test_update_client__changes_only_the_fields_sent(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    Client.objects.filter(pk=coach_client.pk).update(
        phone="040 123 4567", email="aino@esimerkki.invalid", home_municipality="Lahti"
    )
    http = api(coach, organisation)
    before = http.get(f"/api/v1/clients/{coach_client.pk}").json()

    response = http.patch(
        f"/api/v1/clients/{coach_client.pk}",
        json.dumps({"version": before["version"], "last_name": "Uusi"}),
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    after = response.json()
    changed = {key for key in before if before[key] != after[key]}
    assert changed <= {"last_name", "version", "updated_at"}
    assert after["last_name"] == "Uusi"
    assert (after["phone"], after["home_municipality"]) == ("040 123 4567", "Lahti")


def test_update_client__refuses_null_for_a_name(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    response = api(coach, organisation).patch(
        f"/api/v1/clients/{coach_client.pk}",
        json.dumps({"version": coach_client.version, "first_names": None}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "first_names" in response.json()["fields"]


def test_update_client__a_409_that_shows_the_record_writes_one_access_log_row(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    http = api(coach, organisation)
    body = {"version": coach_client.version - 1, "last_name": "Toinen"}

    response = http.patch(
        f"/api/v1/clients/{coach_client.pk}", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json()["fields"]["current"]["last_name"] == coach_client.last_name
    assert AccessLogEntry.objects.filter(client=coach_client, channel="api").count() == 1
    assert AccessLogEntry.objects.count() == 1


def test_get_client__writes_exactly_one_access_log_row(
    coach: User, organisation: Organisation, coach_client: Client
) -> None:
    response = api(coach, organisation).get(f"/api/v1/clients/{coach_client.pk}")

    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(client=coach_client).count() == 1
    assert AccessLogEntry.objects.count() == 1
