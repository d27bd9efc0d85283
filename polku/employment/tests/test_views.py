from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.employment.models import Employer, ObligatedEmployment, PaySubsidyClaim
from polku.employment.tests.factories import ObligationFactory, SubsidyFactory


def test_obligation_create__a_notice_after_the_end_is_refused_with_the_engines_reasons(
    coach: User, older_client: Client
) -> None:
    http = logged_in(coach)

    response = http.post(
        reverse("employment:obligation_create", args=[older_client.pk]),
        {"notice_received_on": "1.10.2024", "max_period_end": "31.12.2024"},
        follow=True,
    )

    case = ObligatedEmployment.objects.get()
    assert case.status == ObligatedEmployment.Status.REFUSED
    content = response.content.decode()
    assert "Työllistämisvelvoitetta ei synny." in content
    assert "lakkautettu" in content  # the engine's explanation
    assert "Huom:" in content  # the abolition's transitional rules are only partly verified


def test_obligation_detail__shows_the_deadline_and_the_engines_explanation(
    coach: User, older_client: Client
) -> None:
    case = ObligationFactory.create(client=older_client)
    http = logged_in(coach)

    response = http.get(reverse("employment:obligation_detail", args=[older_client.pk, case.pk]))

    content = response.content.decode()
    assert "28.6.2024" in content
    assert "Kotikunnan on järjestettävä 6 kuukauden työ" in content
    assert "vahvistamaton" in content  # job_must_start_by rests on seed 004 only


def test_obligation_edit__a_conflict_keeps_what_was_typed_and_shows_the_saved_version(
    coach: User, older_client: Client, municipal_unit: Employer
) -> None:
    case = ObligationFactory.create(client=older_client, version=2, job_title="Tallennettu")
    http = logged_in(coach)

    response = http.post(
        reverse("employment:obligation_edit", args=[older_client.pk, case.pk]),
        {"meeting_on": "12.3.2024", "job_title": "Kirjoitettu", "version": "1"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Tiedot ovat muuttuneet sillä välin" in content
    assert "Tallennettu" in content
    assert 'value="Kirjoitettu"' in content


def test_subsidy_create__a_municipal_employer_in_2025_is_refused_with_the_reason(
    coach: User, coach_client: Client, municipal_unit: Employer
) -> None:
    http = logged_in(coach)

    response = http.post(
        reverse("employment:subsidy_create", args=[coach_client.pk]),
        {
            "employer": municipal_unit.pk,
            "job_title": "Kirjastoavustaja",
            "basis": "skills",
            "unemployed_months_of_last_28": "12",
            "start": "1.2.2025",
            "end": "30.6.2025",
            "monthly_wage_costs": "2100",
            "applied_on": "2.1.2025",
        },
    )

    assert response.status_code == 200
    assert "alentuneen työkyvyn perusteella" in response.content.decode()


def test_subsidy_detail__shows_rate_cap_months_and_explanation(
    coach: User, coach_client: Client
) -> None:
    subsidy = SubsidyFactory.create(
        client=coach_client, employer__organisation=coach_client.organisation
    )
    http = logged_in(coach)

    response = http.get(reverse("employment:subsidy_detail", args=[coach_client.pk, subsidy.pk]))

    content = response.content.decode()
    assert "1260.00" in content or "1260,00" in content
    assert "Osaamisvaje: 50 %" in content
    assert "05/2026" in content


def test_index__lists_open_cases_and_current_subsidies_in_few_queries(
    coach: User, organisation: Organisation, django_assert_max_num_queries: object
) -> None:
    for _ in range(5):
        client = ClientFactory.create(organisation=organisation, responsible_worker=coach)
        ObligationFactory.create(client=client)
        SubsidyFactory.create(
            client=client, employer__organisation=organisation, end=date(2027, 1, 31)
        )
    http = logged_in(coach)

    with django_assert_max_num_queries(20):  # type: ignore[operator]
        response = http.get(reverse("employment:index"))

    assert response.content.decode().count("Korhonen") >= 10


def test_claim_list__the_clerk_makes_a_claim_and_downloads_it(
    clerk: User, organisation: Organisation
) -> None:
    client = ClientFactory.create(organisation=organisation)
    SubsidyFactory.create(client=client, employer__organisation=organisation)
    http = logged_in(clerk)

    response = http.post(
        reverse("employment:claim_list"),
        {"period_start": "1.1.2026", "period_end": "31.3.2026"},
        follow=True,
    )

    claim = PaySubsidyClaim.objects.get()
    assert claim.amount == Decimal("3000.00")
    assert "3000.00" in response.content.decode() or "3000,00" in response.content.decode()
    pdf = http.get(reverse("employment:claim_pdf", args=[claim.pk]))
    xlsx = http.get(reverse("employment:claim_xlsx", args=[claim.pk]))
    assert pdf.content[:4] == b"%PDF"
    assert xlsx.content[:2] == b"PK"


@pytest.mark.parametrize("url_name", ["employment:claim_list", "employment:budget_set"])
def test_claim_pages__are_closed_to_the_coach(coach: User, url_name: str) -> None:
    response = logged_in(coach).post(reverse(url_name), {})

    assert response.status_code == 403


def test_budget__compares_the_budget_with_costs_and_subsidies_by_month(
    clerk: User, organisation: Organisation
) -> None:
    client = ClientFactory.create(organisation=organisation)
    SubsidyFactory.create(client=client, employer__organisation=organisation)
    http = logged_in(clerk)
    http.post(reverse("employment:budget_set"), {"year": "2026", "amount": "20000"})

    response = http.get(reverse("employment:budget"), {"year": "2026"})

    follow_up = response.context["follow_up"]
    assert follow_up.budget.amount == Decimal(20000)
    assert follow_up.wage_costs == Decimal("10000.00")  # 5 months × 2000 €
    assert follow_up.subsidy == Decimal("5000.00")  # 5 months × 1000 €
    assert follow_up.remaining == Decimal("15000.00")


def test_employer_create__the_business_coordinator_adds_an_employer_and_a_contact(
    organisation: Organisation,
) -> None:
    from polku.accounts.roles import Role
    from polku.accounts.tests.factories import UserFactory

    coordinator = UserFactory.create(
        username="elinkeino", memberships=[(organisation, Role.BUSINESS_COORDINATOR)]
    )
    http = logged_in(coordinator)

    response = http.post(
        reverse("employment:employer_create"),
        {"name": "Kauppa Oy", "employer_type": "company", "active": "on"},
    )
    employer = Employer.objects.get()
    http.post(reverse("employment:contact_add", args=[employer.pk]), {"name": "Kalle Kauppa"})

    assert response.status_code == 302
    assert employer.contacts.get().name == "Kalle Kauppa"


def test_client_page__shows_the_employment_panel(coach: User, older_client: Client) -> None:
    ObligationFactory.create(client=older_client)

    response = logged_in(coach).get(reverse("clients:detail", args=[older_client.pk]))

    assert "Velvoitetyöllistäminen ja palkkatuki" in response.content.decode()
