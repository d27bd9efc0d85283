import json
from datetime import date, timedelta
from typing import Any

from django.test import Client as HttpClient
from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import UserFactory
from polku.audit.models import DisclosureLogEntry
from polku.clients.models import Client, Consent
from polku.clients.tests.factories import ConsentFactory
from polku.ktt.models import KttProvider
from polku.ktt.tests.factories import KttProviderFactory, WorkEvaluationFactory
from polku.service_episodes.models import KttContract, Placement
from polku.service_episodes.tests.factories import (
    AttendanceFactory,
    EpisodeFactory,
    KttContractFactory,
)

TEXTS = {
    "period_start": "2026-09-01",
    "period_end": "2026-10-30",
    "work_tasks": "Puutyöt",
    "working_skills": "Noudattaa ohjeita",
    "social_skills": "Auttaa muita",
    "strengths": "Tarkkuus",
    "support_needs": "Tauotus",
    "recommendation": "Työkyvyn arviointi",
}


def _api(user: User, organisation: Organisation) -> HttpClient:
    token = api_token_create(user=user, organisation=organisation, now=timezone.now())
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(http: HttpClient, path: str, body: dict[str, Any]) -> Any:
    return http.post(path, json.dumps(body), content_type="application/json")


def _user(organisation: Organisation, username: str, role: Role) -> User:
    return UserFactory.create(username=username, memberships=[(organisation, role)])


def test_providers__a_company_for_the_work_activity_is_422_on_the_scope(
    organisation: Organisation,
) -> None:
    http = _api(_user(organisation, "vastaava", Role.LEAD_COACH), organisation)

    refused = _post(
        http,
        "/api/v1/ktt-providers/",
        {"name": "Rakennus Oy", "arrangement": "purchased", "legal_form": "company"},
    )
    accepted = _post(
        http,
        "/api/v1/ktt-providers/",
        {
            "name": "Rakennus Oy",
            "arrangement": "purchased",
            "legal_form": "company",
            "scope": "support_only",
        },
    )

    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid"
    assert "scope" in refused.json()["fields"]
    assert accepted.status_code == 201
    assert accepted.json()["scope"] == "support_only"


def test_providers__patch_with_an_old_version_is_409_and_changes_nothing(
    organisation: Organisation,
) -> None:
    provider = KttProviderFactory.create(organisation=organisation, purchased=True)
    http = _api(_user(organisation, "vastaava", Role.LEAD_COACH), organisation)
    body: dict[str, Any] = {}  # a partial update: only the fields sent change
    path = f"/api/v1/ktt-providers/{provider.pk}"
    first = http.patch(
        path, json.dumps({**body, "version": 1, "contact_person": "A"}), "application/json"
    )

    second = http.patch(
        path, json.dumps({**body, "version": 1, "contact_person": "B"}), "application/json"
    )

    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert second.status_code == 409
    saved = KttProvider.objects.get()
    assert (saved.contact_person, saved.name, saved.procurement) == (
        "A",
        provider.name,
        "DPS kuntouttava työtoiminta",
    )


def test_placements__list_their_provider_and_can_be_created_under_one(
    organisation: Organisation,
) -> None:
    dps = KttProviderFactory.create(organisation=organisation, purchased=True)
    http = _api(_user(organisation, "vastaava", Role.LEAD_COACH), organisation)

    created = _post(
        http,
        "/api/v1/placements/",
        {"name": "Kirpputori", "kind": "association", "provider_id": dps.pk},
    )
    implied = _post(http, "/api/v1/placements/", {"name": "Rakennus Oy", "kind": "company"})

    assert created.status_code == 201
    assert (created.json()["provider_id"], created.json()["provider"]) == (dps.pk, dps.name)
    assert implied.json()["can_host_ktt"] is False
    assert Placement.objects.get(name="Rakennus Oy").provider.scope == "support_only"


def test_allocation__answers_the_lines_with_money_as_strings(
    organisation: Organisation, coach: User, coach_client: Client, workshop: Placement
) -> None:
    episode = EpisodeFactory.create(client=coach_client, placement=workshop, created_by=coach)
    KttContractFactory.create(episode=episode, placement=workshop, signed=True)
    for offset in range(2):
        AttendanceFactory.create(
            client=coach_client, day=date(2026, 10, 5) + timedelta(days=offset), placement=workshop
        )
    http = _api(_user(organisation, "toimisto", Role.OFFICE_CLERK), organisation)

    answer = http.get("/api/v1/ktt-providers/allocation?start=2026-10-01&end=2026-10-31").json()
    reversed_period = http.get("/api/v1/ktt-providers/allocation?start=2026-10-31&end=2026-10-01")

    assert answer["reimbursement"] == "20.18"
    assert answer["allocated"] == "20.18"  # own production, 100 % agreed
    (line,) = answer["lines"]
    assert (line["placement"], line["arrangement"], line["reimbursable_days"]) == (
        "TyöVarikko",
        "own_production",
        2,
    )
    laws = [step["law"] for step in answer["explanation"]]
    assert "189/2001 § 24" in laws
    assert answer["explanation"][-1]["text"].startswith("Huom")  # 2026 amount partly verified
    assert reversed_period.status_code == 400


def test_work_evaluations__written_revised_and_sent_through_the_consent_gate(
    organisation: Organisation,
    coach: User,
    work_coach: User,
    contract: KttContract,
    coach_client: Client,
    county: Organisation,
) -> None:
    writer, sender = _api(work_coach, organisation), _api(coach, organisation)
    created = _post(
        writer,
        "/api/v1/work-evaluations/",
        {**TEXTS, "client_id": coach_client.pk, "contract_id": contract.pk},
    )
    evaluation = created.json()
    path = f"/api/v1/work-evaluations/{evaluation['id']}"
    revised = writer.patch(
        path, json.dumps({"version": 1, "strengths": "Uusi"}), "application/json"
    )
    send = {"version": 2, "recipient_id": county.pk, "recipient_person": "Lääkäri"}

    without_consent = _post(sender, path + "/send", send)
    ConsentFactory.create(client=coach_client, party=Consent.Party.HEALTH_SERVICES)
    by_the_writer = _post(writer, path + "/send", send)
    sent = _post(sender, path + "/send", send)

    assert created.status_code == 201
    assert evaluation["versions"][0]["attendance"]["days_per_week"] == 3
    assert [v["version"] for v in revised.json()["versions"]] == [2, 1]
    assert revised.json()["work_tasks"] == TEXTS["work_tasks"]
    assert without_consent.status_code == 422
    assert without_consent.json()["code"] == "consent_required"
    assert by_the_writer.status_code == 403
    assert sent.status_code == 201
    assert sent.json()["version"] == 2
    assert DisclosureLogEntry.objects.count() == 1
    listed = sender.get(f"/api/v1/work-evaluations/?client_id={coach_client.pk}").json()
    assert [item["strengths"] for item in listed] == ["Uusi"]


def test_work_evaluations__a_draft_contract_is_422(
    organisation: Organisation, work_coach: User, contract: KttContract, coach_client: Client
) -> None:
    KttContract.objects.filter(pk=contract.pk).update(status=KttContract.Status.DRAFT)

    response = _post(
        _api(work_coach, organisation),
        "/api/v1/work-evaluations/",
        {**TEXTS, "client_id": coach_client.pk, "contract_id": contract.pk},
    )

    assert response.status_code == 422
    assert "contract" in response.json()["fields"]


def test_work_evaluations__another_organisations_evaluation_is_404(
    other_organisation: Organisation, stranger: User, contract: KttContract
) -> None:
    evaluation = WorkEvaluationFactory.create(contract=contract)
    http = _api(stranger, other_organisation)
    path = f"/api/v1/work-evaluations/{evaluation.pk}"

    read = http.get(path)
    changed = http.patch(
        path, json.dumps({**TEXTS, "contract_id": contract.pk, "version": 1}), "application/json"
    )

    assert (read.status_code, changed.status_code) == (404, 404)
