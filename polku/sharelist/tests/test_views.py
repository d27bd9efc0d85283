"""The share-list pages, API, worklist section and demo stage."""

import base64
import json
import random
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import UserFactory
from polku.audit.models import AccessLogEntry
from polku.clients.models import CareAssignment, Client
from polku.clients.tests.factories import ClientFactory
from polku.core.worklist import WorklistScope
from polku.demo.context import DemoContext
from polku.sharelist import demo, selectors
from polku.sharelist.models import ContactAttempt, ContactOwner, ShareListImport, ShareListRow
from polku.sharelist.tests.factories import ShareListRowFactory, csv_bytes, line
from polku.sharelist.worklist import persons_without_worker_or_contact

OCTOBER = date(2026, 10, 1)
SEPTEMBER = date(2026, 9, 1)


@pytest.fixture
def lead(organisation: Organisation) -> User:
    return UserFactory.create(username="lead", memberships=[(organisation, Role.LEAD_COACH)])


@pytest.fixture
def manager(organisation: Organisation) -> User:
    return UserFactory.create(username="manager", memberships=[(organisation, Role.MANAGER)])


def _on_list(organisation: Organisation, count: int, **client: Any) -> list[Client]:
    clients = [ClientFactory.create(organisation=organisation, **client) for _ in range(count)]
    for person in clients:
        ShareListRowFactory.create(client=person, month=SEPTEMBER, share=Decimal("300.00"))
        ShareListRowFactory.create(client=person, month=OCTOBER)
    return clients


def _upload(
    http: HttpClient, organisation: Organisation, content: bytes, name: str = "lista.csv"
) -> Any:
    mapping = selectors.mapping_get(organisation=organisation, name="polku")
    upload = SimpleUploadedFile(name, content)
    return http.post(reverse("sharelist:import"), {"file": upload, "mapping": mapping.pk})


def test_import_pages__upload_preview_confirm_and_result(
    organisation: Organisation, lead: User, run_jobs: Any
) -> None:
    http = logged_in(lead)

    with run_jobs():
        response = _upload(http, organisation, csv_bytes([line(), line("020290-998A")]))

    job = ShareListImport.objects.get()
    assert response.status_code == 302
    assert job.status == ShareListImport.Status.PREVIEW
    assert job.summary["imported"] == 2  # what confirming would do, computed once
    assert not ShareListRow.objects.exists()
    assert not job.parts.filter(kind="upload").exists()  # the file itself is not kept
    preview = http.get(reverse("sharelist:import_detail", args=[job.pk]))
    assert b"010190-****" in preview.content
    assert b"010190-999W" not in preview.content
    with run_jobs():
        http.post(reverse("sharelist:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ShareListImport.Status.DONE
    assert job.summary["imported"] == 2
    assert "preview" not in job.summary
    assert not job.parts.exists()
    assert ShareListRow.objects.count() == 2


def test_import_pages__an_invalid_file_is_rejected_whole_unless_valid_rows_accepted(
    organisation: Organisation, lead: User, run_jobs: Any
) -> None:
    http = logged_in(lead)
    with run_jobs():
        _upload(http, organisation, csv_bytes([line(), line("020290-998A", days="x")]))
    job = ShareListImport.objects.get()

    report = http.get(reverse("sharelist:import_report", args=[job.pk]))
    with run_jobs():
        http.post(reverse("sharelist:import_confirm", args=[job.pk]), {"accept_valid": "on"})

    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    job.refresh_from_db()
    assert job.status == ShareListImport.Status.DONE
    assert ShareListRow.objects.count() == 1


def test_import_pages__confirm_without_accepting_keeps_the_preview_for_another_try(
    organisation: Organisation, lead: User, run_jobs: Any
) -> None:
    http = logged_in(lead)
    with run_jobs():
        _upload(http, organisation, csv_bytes([line(), line("020290-998A", days="x")]))
    job = ShareListImport.objects.get()

    refused = http.post(reverse("sharelist:import_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert refused.status_code == 200
    assert "Tuo kelvolliset rivit" in refused.content.decode()
    assert job.status == ShareListImport.Status.PREVIEW
    assert not ShareListRow.objects.exists()
    assert not Client.objects.exists()
    with run_jobs():
        http.post(reverse("sharelist:import_confirm", args=[job.pk]), {"accept_valid": "on"})
    job.refresh_from_db()
    assert job.status == ShareListImport.Status.DONE
    assert ShareListRow.objects.count() == 1


def test_review__lists_everyone_on_the_month_and_logs_each_row(
    organisation: Organisation, lead: User, django_assert_max_num_queries: Any
) -> None:
    clients = _on_list(organisation, 12)
    http = logged_in(lead)
    http.get(reverse("sharelist:review"))  # the session settles on the first request

    with django_assert_max_num_queries(16):
        response = http.get(reverse("sharelist:review"))

    assert response.status_code == 200
    assert response.context["summary"].persons == 12
    assert response.context["result"].rows[0].trend == "up"
    logged = AccessLogEntry.objects.filter(user=lead, view="sharelist:review")
    assert set(logged.values_list("client_id", flat=True)) == {client.pk for client in clients}
    assert logged.count() == 2 * 12


def test_review__other_organisations_persons_never_appear(
    organisation: Organisation, other_organisation: Organisation, lead: User
) -> None:
    _on_list(organisation, 1)
    foreign = _on_list(other_organisation, 1)[0]

    response = logged_in(lead).get(reverse("sharelist:review"))

    assert foreign.pk not in {row.client.pk for row in response.context["result"].rows}


def test_review__filters_persons_without_a_worker(
    organisation: Organisation, lead: User, coach: User
) -> None:
    _on_list(organisation, 2, responsible_worker=coach)
    without = _on_list(organisation, 1)

    response = logged_in(lead).get(reverse("sharelist:review"), {"without_worker": "on"})

    assert [row.client.pk for row in response.context["result"].rows] == [without[0].pk]


def test_review_assign__gives_worker_and_contact_owner_with_a_list_care_relationship(
    organisation: Organisation, lead: User, coach: User
) -> None:
    person = _on_list(organisation, 1)[0]
    not_on_list = ClientFactory.create(organisation=organisation)

    logged_in(lead).post(
        reverse("sharelist:review_assign"),
        {"client": [person.pk, not_on_list.pk], "worker": coach.pk, "contact_owner": coach.pk},
    )

    person.refresh_from_db()
    assert person.responsible_worker == coach
    assert ContactOwner.objects.get(client=person).worker == coach
    assert CareAssignment.objects.filter(
        client=person, worker=coach, basis=CareAssignment.Basis.LIST, ended_on=None
    ).exists()
    assert not ContactOwner.objects.filter(client=not_on_list).exists()


def test_review_assign__changing_the_contact_owner_ends_the_old_relationship(
    organisation: Organisation, lead: User, coach: User, colleague: User
) -> None:
    person = _on_list(organisation, 1)[0]
    http = logged_in(lead)
    http.post(
        reverse("sharelist:review_assign"), {"client": [person.pk], "contact_owner": coach.pk}
    )

    http.post(
        reverse("sharelist:review_assign"), {"client": [person.pk], "contact_owner": colleague.pk}
    )

    assert ContactOwner.objects.get(client=person).worker == colleague
    assert not CareAssignment.objects.filter(client=person, worker=coach, ended_on=None).exists()


def test_contact__records_an_attempt_for_a_person_with_a_care_relationship(
    organisation: Organisation, coach: User
) -> None:
    person = _on_list(organisation, 1, responsible_worker=coach)[0]

    response = logged_in(coach).post(
        reverse("sharelist:contact", args=[person.pk]),
        {"method": "phone", "result": "reached", "made_on": "20.11.2026", "note": ""},
    )

    assert response.status_code == 302
    attempt = ContactAttempt.objects.get(client=person)
    assert (attempt.method, attempt.made_on) == ("phone", date(2026, 11, 20))


def test_letter__is_a_pdf_in_the_clients_language(organisation: Organisation, coach: User) -> None:
    person = _on_list(organisation, 1, responsible_worker=coach, language="sv")[0]

    response = logged_in(coach).get(reverse("sharelist:letter", args=[person.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "sharelist/letter_sv.html" in [template.name for template in response.templates]


def test_costs__shows_aggregates_by_month_and_quarter_without_names(
    organisation: Organisation, manager: User
) -> None:
    person = _on_list(organisation, 2)[0]

    response = logged_in(manager).get(reverse("sharelist:costs"))

    assert response.status_code == 200
    quarters = response.context["quarters"]
    assert [(line.label, line.share) for line, _percent in quarters] == [
        ("Q3/2026", Decimal("600.00")),
        ("Q4/2026", Decimal("784.36")),
    ]
    assert person.last_name.encode() not in response.content


def test_costs_people__estimates_the_saving_with_the_rules_engine(
    organisation: Organisation, lead: User
) -> None:
    person = _on_list(organisation, 1)[0]

    response = logged_in(lead).get(reverse("sharelist:costs_people"), {"client": [person.pk]})

    saving = response.context["saving"]
    assert saving.persons == 1
    assert saving.share_now > 0
    assert saving.per_month == saving.share_now - saving.share_in_services


def test_client_page__shows_the_share_list_panel(organisation: Organisation, coach: User) -> None:
    person = _on_list(organisation, 1, responsible_worker=coach)[0]

    response = logged_in(coach).get(reverse("clients:detail", args=[person.pk]))

    assert "sharelist/panel.html" in [template.name for template in response.templates]


def test_persons_without_worker_or_contact__one_worker_and_team_scope(
    organisation: Organisation, coach: User, colleague: User, django_assert_max_num_queries: Any
) -> None:
    mine = _on_list(organisation, 1, responsible_worker=coach)[0]
    contacted = _on_list(organisation, 1, responsible_worker=coach)[0]
    ContactAttempt.objects.create(
        client=contacted,
        method="phone",
        result="reached",
        made_on=date(2026, 11, 2),
        made_by=coach,
        recorded_at=timezone.now(),
    )
    nobody = _on_list(organisation, 1)[0]
    today = date(2026, 11, 24)

    with django_assert_max_num_queries(2):
        own = persons_without_worker_or_contact(
            WorklistScope(organisation_id=organisation.pk, worker_ids=(coach.pk,), today=today)
        )
    team = persons_without_worker_or_contact(
        WorklistScope(
            organisation_id=organisation.pk, worker_ids=(coach.pk, colleague.pk), today=today
        )
    )

    assert [item.client_id for item in own.items] == [mine.pk]
    assert {item.client_id for item in team.items} == {mine.pk, nobody.pk}


def _api(user: User, organisation: Organisation) -> HttpClient:
    token = api_token_create(user=user, organisation=organisation, now=timezone.now())
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_api__import_returns_the_contract_summary_and_422_when_rejected(
    organisation: Organisation, lead: User
) -> None:
    http = _api(lead, organisation)
    good = base64.b64encode(csv_bytes([line()])).decode()
    bad = base64.b64encode(csv_bytes([line(days="x")])).decode()

    created = http.post(
        "/api/v1/share-lists/",
        json.dumps({"filename": "a.csv", "content_base64": good}),
        content_type="application/json",
    )
    rejected = http.post(
        "/api/v1/share-lists/",
        json.dumps({"filename": "b.csv", "content_base64": bad}),
        content_type="application/json",
    )

    assert created.status_code == 201
    assert created.json()["imported"] == 1
    assert rejected.status_code == 422
    assert rejected.json()["errors"][0]["code"] == "invalid_amount"


def test_api__months_and_persons(organisation: Organisation, lead: User) -> None:
    _on_list(organisation, 2)
    http = _api(lead, organisation)

    months = http.get("/api/v1/share-lists/").json()
    persons = http.get("/api/v1/share-lists/persons").json()

    assert months[-1] == {
        "month": "2026-10-01",
        "persons": 2,
        "paid": "1568.70",
        "share": "784.36",
    }
    assert len(persons) == 2
    assert persons[0]["trend"] == "up"
    assert persons[0]["hetu_masked"].endswith("****")


def test_demo_stage__populates_once(organisation: Organisation, coach: User) -> None:
    office = UserFactory.create(
        username="toimisto", memberships=[(organisation, Role.OFFICE_CLERK)]
    )
    clients = [
        ClientFactory.create(organisation=organisation, main_income="labour_market_subsidy")
        for _ in range(20)
    ]
    context = DemoContext(
        organisation=organisation,
        users={"toimisto": office, "valmentaja": coach},
        caseworkers=[coach],
        clients=clients,
        rng=random.Random(1),
        now=timezone.now(),
    )

    first = demo.populate(context)
    rows = ShareListRow.objects.count()
    second = demo.populate(context)

    assert "12 months" in first
    assert rows > 20
    assert second == "Share lists: already there."
    assert ShareListRow.objects.count() == rows
    assert Client.objects.filter(needs_review=True).exists()
