import io
from datetime import date

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from conftest import logged_in
from polku.accounts.models import User
from polku.audit.models import AccessLogEntry
from polku.clients.models import Client
from polku.plans.models import Plan, PlanStatus, PlanType
from polku.plans.tests.factories import PlanFactory


def _url(name: str, plan: Plan) -> str:
    return reverse(name, kwargs={"client_id": plan.client_id, "plan_id": plan.pk})


def test_plan_detail__shows_the_engine_explanation_and_logs_the_read(
    coach: User, coach_client: Client
) -> None:
    plan = PlanFactory.create(client=coach_client, plan_type=PlanType.MULTISECTOR)

    response = logged_in(coach).get(_url("plans:detail", plan))

    assert response.status_code == 200
    assert "Tarkistettava vähintään 3 kuukauden välein" in response.text
    # typ.review_interval_months is partly verified: the page says so.
    assert "ei ole vahvistettu lakitekstistä" in response.text
    assert AccessLogEntry.objects.filter(client=coach_client, view="plans:detail").count() == 1


def test_plan_detail__of_another_organisation_is_404(stranger: User, coach_client: Client) -> None:
    plan = PlanFactory.create(client=coach_client)

    assert logged_in(stranger).get(_url("plans:detail", plan)).status_code == 404


def test_plan_detail__without_care_relationship_is_403(
    colleague: User, coach_client: Client
) -> None:
    plan = PlanFactory.create(client=coach_client)

    response = logged_in(colleague).get(_url("plans:detail", plan))

    assert response.status_code == 403
    assert coach_client.last_name not in response.text


def test_plan_detail__with_the_wrong_client_in_the_url_is_404(
    coach: User, coach_client: Client, organisation: object
) -> None:
    plan = PlanFactory.create(client=coach_client)
    url = reverse("plans:detail", kwargs={"client_id": plan.client_id + 999, "plan_id": plan.pk})

    assert logged_in(coach).get(url).status_code == 404


def test_plan_create__form_saves_and_redirects(coach: User, coach_client: Client) -> None:
    response = logged_in(coach).post(
        reverse("plans:create", kwargs={"client_id": coach_client.pk}),
        {
            "plan_type": "coaching",
            "status": "active",
            "made_on": "2.11.2026",
            "made_how": "in_person",
            "agreed_services": "Yksilövalmennus",
            "requested_review_on": "1.2.2027",
        },
    )

    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("plans:detail", plan)
    assert plan.next_review_on == date(2027, 2, 1)


def test_plan_create__too_late_review_date_shows_the_message(
    coach: User, coach_client: Client
) -> None:
    response = logged_in(coach).post(
        reverse("plans:create", kwargs={"client_id": coach_client.pk}),
        {
            "plan_type": "activation",
            "status": "active",
            "made_on": "2.11.2026",
            "made_how": "in_person",
            "requested_review_on": "1.6.2027",
        },
    )

    assert response.status_code == 200
    assert "viimeistään 2.2.2027" in response.text
    assert not Plan.objects.exists()


def test_plan_edit__conflict_keeps_what_was_typed_and_shows_the_saved_version(
    coach: User, coach_client: Client
) -> None:
    plan = PlanFactory.create(client=coach_client, client_tasks="Tallennettu", version=2)

    response = logged_in(coach).post(
        _url("plans:edit", plan),
        {
            "version": "1",
            "status": "active",
            "made_on": "1.9.2026",
            "made_how": "in_person",
            "client_tasks": "Kirjoitettu",
        },
    )

    assert response.status_code == 200
    assert "Tiedot ovat muuttuneet sillä välin" in response.text
    assert "Tallennettu" in response.text
    assert "Kirjoitettu" in response.text
    plan.refresh_from_db()
    assert plan.client_tasks == "Tallennettu"


def test_plan_sign__records_the_signature_once_confirmed(coach: User, coach_client: Client) -> None:
    plan = PlanFactory.create(client=coach_client)
    participant = plan.participants.create(party="client", name="Aino")
    url = reverse(
        "plans:sign",
        kwargs={"client_id": coach_client.pk, "plan_id": plan.pk, "participant_id": participant.pk},
    )
    http = logged_in(coach)

    unconfirmed = http.post(url, follow=True)
    participant.refresh_from_db()
    before = participant.signed_on
    response = http.post(url, {"confirmed": "on"})

    assert before is None
    assert "rastita ensin" in unconfirmed.text
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.signed_on is not None


def test_plan_print__is_a_pdf(coach: User, coach_client: Client) -> None:
    plan = PlanFactory.create(client=coach_client, plan_type=PlanType.COACHING)

    response = logged_in(coach).get(_url("plans:print", plan))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_client_detail__plans_panel_highlights_overdue_reviews_in_constant_queries(
    coach: User, coach_client: Client
) -> None:
    http = logged_in(coach)
    url = reverse("clients:detail", args=[coach_client.pk])
    PlanFactory.create(client=coach_client, next_review_on=date(2026, 1, 1))
    http.get(url)
    with CaptureQueriesContext(connection) as one:
        http.get(url)
    PlanFactory.create_batch(
        10, client=coach_client, next_review_on=date(2030, 1, 1), status=PlanStatus.DRAFT
    )

    with CaptureQueriesContext(connection) as many:
        response = http.get(url)

    assert len(many) == len(one)
    assert "myöhässä" in response.text
    assert reverse("plans:create", kwargs={"client_id": coach_client.pk}) in response.text


def _interruption_post(plan: Plan, **overrides: str) -> dict[str, str]:
    authority = plan.participants.create(party="employment_authority", name="TE")
    county = plan.participants.create(party="wellbeing_county", name="HVA")
    data = {
        "event_type": "studies",
        "event_start": "1.8.2026",
        "hearing_on": "1.9.2026",
        "hearing_how": "in_person",
        "hearing_statement": "Aloitti opinnot ammattikoulussa.",
        "decided_on": "2.9.2026",
        "employment_authority_decider": str(authority.pk),
        "wellbeing_county_decider": str(county.pk),
    }
    return {**data, **overrides}


def test_plan_interrupt__form_without_hearing_is_refused_with_a_message(
    coach: User, coach_client: Client
) -> None:
    plan = PlanFactory.create(client=coach_client, made_on=date(2026, 3, 1))

    response = logged_in(coach).post(
        _url("plans:interrupt", plan), _interruption_post(plan, hearing_on="", hearing_how="")
    )

    assert response.status_code == 200
    assert "Henkilöä on kuultava ennen päätöstä" in response.text
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_plan_interrupt__form_with_hearing_after_one_month_interrupts(
    coach: User, coach_client: Client
) -> None:
    plan = PlanFactory.create(client=coach_client, made_on=date(2026, 3, 1))

    response = logged_in(coach).post(_url("plans:interrupt", plan), _interruption_post(plan))

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.INTERRUPTED
    detail = logged_in(coach).get(_url("plans:detail", plan))
    assert "Aloitti opinnot ammattikoulussa." in detail.text


def test_plan_review__form_records_the_review(coach: User, coach_client: Client) -> None:
    plan = PlanFactory.create(client=coach_client, made_on=date(2026, 3, 1))

    response = logged_in(coach).post(
        _url("plans:review", plan),
        {
            "reviewed_on": "2.9.2026",
            "held_how": "phone",
            "outcome": "continues",
            "notes": "Kaikki hyvin",
        },
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.last_reviewed_on == date(2026, 9, 2)
    assert plan.next_review_on == date(2026, 12, 2)


def test_plan_document__has_a_signature_and_date_block_for_every_participant(
    coach_client: Client,
) -> None:
    plan = PlanFactory.create(client=coach_client)
    plan.participants.create(party="client", name="Aino Asiakas")
    plan.participants.create(
        party="municipality",
        name="Ville Valmentaja",
        role="Vastuutyöntekijä",
        signed_on=date(2026, 11, 26),
    )

    html = render_to_string("plans/print.html", {"plan": plan, "client": coach_client})

    blocks = html.split('class="signature-block"')[1:]
    assert len(blocks) == 2
    assert all("Paikka ja päiväys" in block and "Allekirjoitus" in block for block in blocks)
    assert "Aino Asiakas, asiakas" in blocks[0]
    assert "Ville Valmentaja, vastuutyöntekijä" in blocks[1]
    assert "Allekirjoitus kirjattu Polkuun 26.11.2026." in blocks[1]


def test_plan_print__says_one_application_in_the_singular(
    coach: User, coach_client: Client
) -> None:
    plan = PlanFactory.create(
        client=coach_client, plan_type=PlanType.COACHING, applications_per_month=1
    )

    response = logged_in(coach).get(_url("plans:print", plan))

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "1 hakemus kuukaudessa" in text
    assert "1 hakemusta" not in text
