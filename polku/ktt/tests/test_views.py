import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client as HttpClient
from django.urls import reverse
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.audit.models import DisclosureLogEntry
from polku.clients.models import Client, Consent
from polku.clients.tests.factories import ConsentFactory
from polku.ktt.models import KttProvider, WorkEvaluation
from polku.ktt.tests.factories import KttProviderFactory
from polku.service_episodes.models import KttContract, Placement
from polku.service_episodes.tests.factories import (
    AttendanceFactory,
    EpisodeFactory,
    KttContractFactory,
    PlacementFactory,
)

OCTOBER = {"period_start": "1.10.2026", "period_end": "31.10.2026"}
EVALUATION = {
    "period_start": "1.9.2026",
    "period_end": "30.10.2026",
    "work_tasks": "Sahaus, hionta ja pintakäsittely",
    "working_skills": "Noudattaa ohjeita, käyttää suojaimia",
    "social_skills": "Auttaa muita ryhmässä",
    "punctuality": "Saapuu ajallaan",
    "work_ability_observations": "Selkä kipeytyy seisomatyössä",
    "strengths": "Tarkkuus ja kädentaidot",
    "support_needs": "Tauotus ja vaihtelevat työasennot",
    "recommendation": "Työkyvyn arviointi terveysasemalla",
    "client_view": "Haluaa jatkaa pajalla",
}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _user(organisation: Organisation, username: str, role: Role) -> User:
    return UserFactory.create(username=username, memberships=[(organisation, role)])


@pytest.fixture
def lead(organisation: Organisation) -> User:
    return _user(organisation, "vastaava", Role.LEAD_COACH)


# --------------------------------------------------------------------------- providers


def test_providers_page__groups_the_providers_by_arrangement_in_few_queries(
    lead: User, organisation: Organisation, django_assert_max_num_queries: Any
) -> None:
    for number in range(8):
        provider = KttProviderFactory.create(
            organisation=organisation, purchased=True, name=f"Yhdistys {number} ry"
        )
        PlacementFactory.create(organisation=organisation, provider=provider, kind="association")
    KttProviderFactory.create(organisation=organisation, cooperation=True)
    http = logged_in(lead)

    with django_assert_max_num_queries(12):
        page = http.get(reverse("ktt:providers")).content.decode()

    assert page.count("Yhdistys") >= 8
    assert "Yhteistyösopimus" in page
    assert "Ostopalvelu" in page
    assert reverse("ktt:provider_create") in page


def test_provider_create__a_company_for_the_work_activity_is_refused_and_the_form_kept(
    lead: User,
) -> None:
    response = logged_in(lead).post(
        reverse("ktt:provider_create"),
        {
            "name": "Rakennus Oy",
            "arrangement": "purchased",
            "legal_form": "company",
            "scope": "work_activity",
            "reimbursement_share": "0",
            "business_id": "9999993-3",
            "active": "on",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "vain tukea ja ohjausta" in form.errors["scope"][0]
    assert form["business_id"].value() == "9999993-3"
    assert not KttProvider.objects.exists()


def test_provider_edit__a_conflicting_save_keeps_what_was_typed_and_shows_the_saved(
    lead: User, organisation: Organisation
) -> None:
    provider = KttProviderFactory.create(organisation=organisation, purchased=True)
    fields = {
        "name": provider.name,
        "arrangement": "purchased",
        "legal_form": "association",
        "scope": "work_activity",
        "reimbursement_share": "0",
        "active": "on",
        "version": "1",
    }
    http = logged_in(lead)
    http.post(
        reverse("ktt:provider_edit", args=[provider.pk]),
        {**fields, "contact_person": "Ensimmäinen"},
    )

    response = http.post(
        reverse("ktt:provider_edit", args=[provider.pk]), {**fields, "contact_person": "Toinen"}
    )

    assert response.status_code == 200
    assert response.context["conflict"].contact_person == "Ensimmäinen"
    assert response.context["form"]["contact_person"].value() == "Toinen"
    provider.refresh_from_db()
    assert provider.contact_person == "Ensimmäinen"


def test_placement_form__puts_the_new_placement_under_the_chosen_provider(
    lead: User, organisation: Organisation
) -> None:
    dps = KttProviderFactory.create(organisation=organisation, purchased=True)

    response = logged_in(lead).post(
        reverse("services:placement_create"),
        {"name": "Kirpputori", "kind": "association", "capacity": "5", "provider": dps.pk},
    )

    assert response.status_code == 302
    assert Placement.objects.get(name="Kirpputori").provider == dps


def test_placement_provider__moves_the_placement_and_the_detail_page_names_it(
    lead: User, organisation: Organisation
) -> None:
    placement = PlacementFactory.create(organisation=organisation, name="Kirpputori")
    dps = KttProviderFactory.create(organisation=organisation, purchased=True)
    http = logged_in(lead)

    http.post(reverse("ktt:placement_provider", args=[placement.pk]), {"provider": dps.pk})

    page = http.get(reverse("services:placement_detail", args=[placement.pk])).content.decode()
    assert dps.name in page
    assert "Ostopalvelu" in page


# ----------------------------------------------------------- reimbursement allocation


@pytest.fixture
def october_attendance(organisation: Organisation, coach: User) -> Placement:
    own = KttProviderFactory.create(organisation=organisation, reimbursement_share=50)
    park = PlacementFactory.create(organisation=organisation, name="Puistoyksikkö", provider=own)
    client = _ktt_client(organisation, coach, park)
    for offset in range(3):
        AttendanceFactory.create(
            client=client, day=date(2026, 10, 5) + timedelta(days=offset), placement=park
        )
    return park


def _ktt_client(organisation: Organisation, coach: User, placement: Placement) -> Client:
    episode = EpisodeFactory.create(
        client__organisation=organisation,
        client__responsible_worker=coach,
        placement=placement,
        created_by=coach,
    )
    KttContractFactory.create(episode=episode, placement=placement, signed=True)
    return episode.client


def test_allocation__page_pdf_and_xlsx_show_the_units_euros(
    organisation: Organisation, october_attendance: Placement
) -> None:
    clerk = _user(organisation, "toimisto", Role.OFFICE_CLERK)
    http = logged_in(clerk)

    page = http.get(reverse("ktt:allocation"), OCTOBER).content.decode()
    pdf = http.get(reverse("ktt:allocation_pdf"), OCTOBER)
    xlsx = http.get(reverse("ktt:allocation_xlsx"), OCTOBER)

    assert "Puistoyksikkö" in page
    assert "30,27" in page
    assert "15,14" in page
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Valtionkorvauksen kohdentaminen" in text
    assert "Puistoyksikkö" in text
    assert "15,14" in text
    assert organisation.name in text
    rows = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0)
    table = rows.to_python()
    assert table[1][2] == "Puistoyksikkö"
    assert table[1][6:10] == [30.27, 50.0, 15.14, 15.13]
    assert table[-1][6] == 30.27


def test_allocation__a_reversed_period_is_an_error_in_the_form(
    organisation: Organisation, october_attendance: Placement
) -> None:
    clerk = _user(organisation, "toimisto", Role.OFFICE_CLERK)

    response = logged_in(clerk).get(
        reverse("ktt:allocation"), {"period_start": "31.10.2026", "period_end": "1.10.2026"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["period_end"]


# ------------------------------------------------------------------- work evaluations


@pytest.fixture
def work_coach(organisation: Organisation) -> User:
    return _user(organisation, "tyovalmentaja", Role.WORK_COACH)


@pytest.fixture
def contract(organisation: Organisation, coach: User, work_coach: User) -> KttContract:
    placement = PlacementFactory.create(organisation=organisation, name="TyöVarikko")
    client = _ktt_client(organisation, coach, placement)
    client.care_assignments.create(worker=work_coach, basis="service", started_on=date(2026, 9, 1))
    for offset, status in enumerate(["present", "present", "present", "sick"]):
        AttendanceFactory.create(
            client=client, day=date(2026, 9, 7) + timedelta(days=offset), status=status
        )
    return KttContract.objects.get(episode__client=client)


def _write(http: HttpClient, contract: KttContract, **changes: str) -> WorkEvaluation:
    client_id = contract.episode.client_id
    response = http.post(
        reverse("ktt:evaluation_create", args=[client_id]),
        {**EVALUATION, "contract": contract.pk, **changes},
    )
    assert response.status_code == 302, response.context["form"].errors
    return WorkEvaluation.objects.get(client_id=client_id)


def test_evaluation__written_by_the_work_coach_printed_with_attendance_and_revised(
    work_coach: User, contract: KttContract
) -> None:
    http = logged_in(work_coach)
    client_id = contract.episode.client_id
    evaluation = _write(http, contract)
    edit = reverse("ktt:evaluation_edit", args=[client_id, evaluation.pk])

    http.post(edit, {**EVALUATION, "contract": contract.pk, "strengths": "Uusi", "version": "1"})

    detail = http.get(reverse("ktt:evaluation_detail", args=[client_id, evaluation.pk]))
    assert [v.version for v in detail.context["versions"]] == [2, 1]
    pdf_url = reverse("ktt:evaluation_pdf", args=[client_id, evaluation.pk])
    latest = pdf_text(http.get(pdf_url).content)
    first = pdf_text(http.get(pdf_url, {"version": "1"}).content)
    assert "Työarvio kuntouttavasta työtoiminnasta" in latest
    assert "versio 2" in latest
    assert "Uusi" in latest
    assert "versio 1" in first
    assert "Tarkkuus ja kädentaidot" in first
    assert "Läsnä 3 / 4" in first
    assert "Läsnäoloaste 75 %" in first
    assert "Selkä kipeytyy seisomatyössä" in first
    assert "1.9.2026–30.10.2026" in first


def test_evaluation__a_period_in_the_future_is_refused_on_the_field_and_the_text_kept(
    work_coach: User, contract: KttContract
) -> None:
    response = logged_in(work_coach).post(
        reverse("ktt:evaluation_create", args=[contract.episode.client_id]),
        {**EVALUATION, "contract": contract.pk, "period_end": "27.2.2027"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["period_end"]
    assert form["work_tasks"].value() == EVALUATION["work_tasks"]
    assert not WorkEvaluation.objects.exists()


def test_evaluation__shows_on_the_client_page(
    work_coach: User, coach: User, contract: KttContract
) -> None:
    evaluation = _write(logged_in(work_coach), contract)

    page = logged_in(coach).get(reverse("clients:detail", args=[contract.episode.client_id]))

    text = page.content.decode()
    assert "Työarviot" in text
    assert reverse("ktt:evaluation_detail", args=[evaluation.client_id, evaluation.pk]) in text
    assert reverse("ktt:evaluation_create", args=[evaluation.client_id]) not in text


def _send(http: HttpClient, evaluation: WorkEvaluation, recipient: Organisation) -> Any:
    return http.post(
        reverse("ktt:evaluation_send", args=[evaluation.client_id, evaluation.pk]),
        {"recipient": recipient.pk, "recipient_person": "Terveysaseman lääkäri", "version": "1"},
    )


def test_evaluation_send__without_consent_says_what_is_missing_and_sends_nothing(
    work_coach: User, coach: User, contract: KttContract, county: Organisation
) -> None:
    evaluation = _write(logged_in(work_coach), contract)

    response = _send(logged_in(coach), evaluation, county)

    assert response.status_code == 302
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert "suostumus" in message
    assert not DisclosureLogEntry.objects.exists()


def test_evaluation_send__with_consent_gives_the_pdf_and_lists_the_sending(
    work_coach: User, coach: User, contract: KttContract, county: Organisation
) -> None:
    evaluation = _write(logged_in(work_coach), contract)
    ConsentFactory.create(client=evaluation.client, party=Consent.Party.HEALTH_SERVICES)
    http = logged_in(coach)

    response = _send(http, evaluation, county)

    assert response["Content-Type"] == "application/pdf"
    assert "Sahaus, hionta ja pintakäsittely" in pdf_text(response.content)
    assert DisclosureLogEntry.objects.get().recipient_organisation == county
    detail = http.get(reverse("ktt:evaluation_detail", args=[evaluation.client_id, evaluation.pk]))
    (sending,) = detail.context["sendings"]
    assert (sending.version, sending.recipient) == (1, county.name)
    assert sending.recipient_person == "Terveysaseman lääkäri"
