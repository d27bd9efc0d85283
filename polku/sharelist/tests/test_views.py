"""The share-list pages, API, worklist section and demo stage."""

import base64
import json
import random
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.selectors import actor_for
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import UserFactory
from polku.audit.models import AccessLogEntry, ChangeLogEntry
from polku.clients.models import CareAssignment, Client
from polku.clients.tests.factories import ClientFactory
from polku.core import hetu as hetu_codes
from polku.core.worklist import WorklistScope
from polku.demo.context import DemoContext
from polku.sharelist import demo, selectors, services
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
        reverse("sharelist:review_assign"),
        {"client": [person.pk], "contact_owner": colleague.pk, "reassign": "on"},
    )

    assert ContactOwner.objects.get(client=person).worker == colleague
    assert not CareAssignment.objects.filter(client=person, worker=coach, ended_on=None).exists()


def test_review_assign__a_coach_cannot_take_a_person_they_do_not_work_with(
    organisation: Organisation, coach: User
) -> None:
    person = _on_list(organisation, 1)[0]

    for field in ("worker", "contact_owner"):
        response = logged_in(coach).post(
            reverse("sharelist:review_assign"), {"client": [person.pk], field: coach.pk}
        )
        assert response.status_code == 302

    person.refresh_from_db()
    assert person.responsible_worker is None
    assert not ContactOwner.objects.filter(client=person).exists()
    assert not CareAssignment.objects.filter(client=person, worker=coach).exists()


def test_review_assign__a_coach_cannot_push_out_the_worker_of_a_shared_client(
    organisation: Organisation, coach: User, colleague: User
) -> None:
    person = _on_list(organisation, 1, responsible_worker=colleague)[0]
    CareAssignment.objects.create(
        client=person, worker=coach, basis=CareAssignment.Basis.PLAN, started_on=date(2026, 1, 1)
    )

    response = logged_in(coach).post(
        reverse("sharelist:review_assign"),
        {"client": [person.pk], "worker": coach.pk, "reassign": "on"},
        follow=True,
    )

    person.refresh_from_db()
    assert person.responsible_worker == colleague
    assert "Vain vastaava työ- ja yksilövalmentaja voi vaihtaa" in response.content.decode()


def test_review_assign__a_worker_may_hand_their_own_client_over(
    organisation: Organisation, coach: User, colleague: User
) -> None:
    person = _on_list(organisation, 1, responsible_worker=coach)[0]

    logged_in(coach).post(
        reverse("sharelist:review_assign"), {"client": [person.pk], "worker": colleague.pk}
    )

    person.refresh_from_db()
    assert person.responsible_worker == colleague


def test_review_assign__the_lead_reassigns_only_explicitly_and_history_says_so(
    organisation: Organisation, lead: User, coach: User, colleague: User
) -> None:
    person = _on_list(organisation, 1, responsible_worker=colleague)[0]
    http = logged_in(lead)

    http.post(reverse("sharelist:review_assign"), {"client": [person.pk], "worker": coach.pk})
    person.refresh_from_db()
    assert person.responsible_worker == colleague

    http.post(
        reverse("sharelist:review_assign"),
        {"client": [person.pk], "worker": coach.pk, "reassign": "on"},
    )
    person.refresh_from_db()
    assert person.responsible_worker == coach
    entry = ChangeLogEntry.objects.get(client_id=person.pk, event="sharelist.review.assigned")
    assert entry.actor == lead
    assert entry.changes == {
        "responsible_worker": [colleague.pk, coach.pk],
        "reason": [None, "reassigned_by_lead"],
    }


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


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("lista.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "kuva"),
        ("lista.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        ("osoitteet.csv", b"nimi;osoite\nAino;Katu 1\n", "ei ole kuntaosuuslista"),
    ],
    ids=["png renamed csv", "pdf", "other text"],
)
def test_import_pages__another_kind_of_file_is_refused_before_any_preview(
    organisation: Organisation, lead: User, name: str, content: bytes, says: str
) -> None:
    response = _upload(logged_in(lead), organisation, content, name)

    assert response.status_code == 200
    assert says in response.content.decode()
    assert not ShareListImport.objects.exists()


def test_import_pages__an_oversized_upload_is_refused_before_its_body_is_read(
    organisation: Organisation, lead: User, settings: Any
) -> None:
    settings.POLKU_SHARE_LIST_MAX_BYTES = 1024
    http = logged_in(lead)

    refused = http.post(
        reverse("sharelist:import"), data=b"x", content_type="text/plain", CONTENT_LENGTH="999999"
    )
    form = http.get(refused["Location"])

    assert refused.status_code == 303
    assert "Tiedosto on liian suuri: enintään 0 Mt." in form.content.decode()
    assert 'data-max-bytes="1024"' in form.content.decode()  # the script checks it first
    assert not ShareListImport.objects.exists()


def test_import_pages__errors_are_shown_in_words_not_codes(
    organisation: Organisation, lead: User, run_jobs: Any
) -> None:
    http = logged_in(lead)
    with run_jobs():
        _upload(http, organisation, csv_bytes([line("010190-999X"), line(days="x")]))
    job = ShareListImport.objects.get()

    page = http.get(reverse("sharelist:import_detail", args=[job.pk])).content.decode()

    assert "Tarkistusmerkki ei täsmää" in page
    assert "virheellinen henkilötunnus: 1" in page
    assert "invalid_hetu" not in page
    assert "invalid_amount" not in page
    assert job.summary["errors"][0]["code"] == "invalid_hetu"  # the API keeps the codes


def test_import_pages__a_list_much_smaller_than_last_months_needs_a_second_look(
    organisation: Organisation, lead: User, run_jobs: Any
) -> None:
    _on_list(organisation, 6)  # October's list: six persons
    http = logged_in(lead)
    with run_jobs():
        _upload(http, organisation, csv_bytes([line(paid_on="15.11.2026")]))
    job = ShareListImport.objects.get()

    preview = http.get(reverse("sharelist:import_detail", args=[job.pk])).content.decode()
    refused = http.post(reverse("sharelist:import_confirm", args=[job.pk]))
    with run_jobs():
        http.post(reverse("sharelist:import_confirm", args=[job.pk]), {"small_list_checked": "on"})

    assert "Tässä listassa on 1 henkilöä, edellisen kuukauden listassa 6." in preview
    assert "Lista on paljon edellistä kuukautta lyhyempi" in refused.content.decode()
    job.refresh_from_db()
    assert job.status == ShareListImport.Status.DONE
    assert ShareListRow.objects.filter(month=date(2026, 11, 1)).count() == 1


def test_import_pages__progress_is_polled_until_the_job_is_done(
    organisation: Organisation, lead: User, run_jobs: Any
) -> None:
    http = logged_in(lead)
    with run_jobs():
        _upload(http, organisation, csv_bytes([line()]))
    job = ShareListImport.objects.get()
    ShareListImport.objects.filter(pk=job.pk).update(
        status=ShareListImport.Status.CHECKING, progress=40
    )
    url = reverse("sharelist:import_progress", args=[job.pk])

    running = http.get(url, HTTP_HX_REQUEST="true")
    ShareListImport.objects.filter(pk=job.pk).update(
        status=ShareListImport.Status.PREVIEW, progress=100
    )
    done = http.get(url, HTTP_HX_REQUEST="true")
    as_page = http.get(url)

    assert 'value="40"' in running.content.decode()
    assert "hx-trigger" in running.content.decode()
    assert "HX-Refresh" not in running
    assert done["HX-Refresh"] == "true"
    assert as_page.status_code == 302


def test_import_retention__unconfirmed_imports_lose_their_rows_after_expiry(
    organisation: Organisation, lead: User, run_jobs: Any
) -> None:
    http = logged_in(lead)
    with run_jobs():
        _upload(http, organisation, csv_bytes([line()]))
    job = ShareListImport.objects.get()
    assert job.parts.exists()
    purge = partial(
        services.share_list_previews_purge, organisation=organisation, now=timezone.now()
    )

    early = purge(uploaded_before=job.created_at)
    counted = purge(uploaded_before=job.created_at + timedelta(minutes=1), dry_run=True)
    assert counted == 1
    assert job.parts.exists()
    purged = purge(uploaded_before=job.created_at + timedelta(minutes=1))
    again = purge(uploaded_before=job.created_at + timedelta(days=1))

    job.refresh_from_db()
    assert (early, purged, again) == (0, 1, 0)
    assert job.status == ShareListImport.Status.EXPIRED
    assert job.summary == {}
    assert not job.parts.exists()
    assert (
        "010190" not in http.get(reverse("sharelist:import_detail", args=[job.pk])).content.decode()
    )
    actor = actor_for(user=lead, organisation_id=organisation.pk)
    assert actor is not None
    with pytest.raises(services.ImportNotPending):
        services.import_confirm(
            actor=actor,
            job_id=job.pk,
            accept_valid=True,
            small_list_checked=True,
            now=timezone.now(),
        )


def test_api__imports_a_real_monthly_list_over_the_general_body_limit(
    organisation: Organisation, lead: User
) -> None:
    rows = [
        line(hetu_codes.build(date(1970, 1, 1) + timedelta(days=n), 900 + n % 100))
        for n in range(30_000)
    ]
    content = csv_bytes(rows)  # ~2.6 MB as a file, ~3.5 MB as base64
    http = _api(lead, organisation)

    response = http.post(
        "/api/v1/share-lists/",
        json.dumps(
            {
                "filename": "lista.csv",
                "content_base64": base64.b64encode(content).decode(),
                "dry_run": True,
            }
        ),
        content_type="application/json",
    )

    assert len(content) * 4 / 3 > 2.5 * 1024 * 1024
    assert response.status_code == 201, response.content[:300]
    assert response.json()["rows"] == 30_000


def test_api__multipart_upload_returns_the_same_summary(
    organisation: Organisation, lead: User
) -> None:
    http = _api(lead, organisation)
    upload = SimpleUploadedFile("lista.csv", csv_bytes([line(), line(days="x")]))

    response = http.post("/api/v1/share-lists/upload", {"file": upload, "accept_valid": "true"})

    assert response.status_code == 201
    summary = response.json()
    assert (summary["imported"], summary["error_count"]) == (1, 1)
    assert summary["errors"][0]["code"] == "invalid_amount"
    assert summary["error_counts"] == {"invalid_amount": 1}


def test_api__an_oversized_request_gets_json_413_before_its_body_is_read(
    organisation: Organisation, lead: User, settings: Any
) -> None:
    settings.POLKU_SHARE_LIST_MAX_JSON_BYTES = 1024
    settings.POLKU_SHARE_LIST_MAX_BYTES = 1024
    http = _api(lead, organisation)

    as_json = http.post(
        "/api/v1/share-lists/", b"{}", content_type="application/json", CONTENT_LENGTH="5000"
    )
    as_file = http.post(
        "/api/v1/share-lists/upload",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10**9),
    )

    assert (as_json.status_code, as_file.status_code) == (413, 413)
    assert as_json.json()["code"] == "too_large"
    assert "multipart" in as_json.json()["message"]
    assert as_file.json()["code"] == "too_large"


def test_api__a_file_name_with_control_characters_is_stored_without_them(
    organisation: Organisation, lead: User
) -> None:
    http = _api(lead, organisation)
    good = base64.b64encode(csv_bytes([line()])).decode()

    def send(filename: str) -> Any:
        body = json.dumps({"filename": filename, "content_base64": good})
        return http.post("/api/v1/share-lists/", body, content_type="application/json")

    # NUL is refused everywhere in the API (issue 16 #8); other control characters go.
    assert send("../kansio/lista\u0000.csv").status_code == 422
    assert send("../kansio/lista\u0007.csv").status_code == 201
    assert ShareListImport.objects.get().filename == "lista.csv"
