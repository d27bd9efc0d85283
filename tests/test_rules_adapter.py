from datetime import date

from polku.accounts.models import Organisation
from polku.clients.tests.factories import ClientFactory
from polku.rules.facts import months_between
from polku.rules.selectors import client_obligations, clients_meeting_activation_criteria

AS_OF = date(2026, 11, 24)


def test_batch_screening_finds_the_clients_who_meet_the_activation_criteria(
    organisation: Organisation,
) -> None:
    meets = ClientFactory.create(
        organisation=organisation,
        birth_date=date(1980, 1, 1),
        main_income="labour_market_subsidy",
        lms_days_total=500,
        has_employment_plan=True,
    )
    ClientFactory.create(
        organisation=organisation,
        birth_date=date(1980, 1, 1),
        main_income="labour_market_subsidy",
        lms_days_total=499,
        has_employment_plan=True,
    )

    found = clients_meeting_activation_criteria(organisation_id=organisation.pk, as_of=AS_OF)

    assert found == [meets.pk]


def test_client_obligations_agree_with_the_batch_screening(organisation: Organisation) -> None:
    client = ClientFactory.create(
        organisation=organisation,
        birth_date=date(1980, 1, 1),
        main_income="social_assistance",
        social_assistance_months=12,
        has_employment_plan=True,  # everyone 25+ needs a prior employment plan (ADDENDUM § 1)
    )

    activation = client_obligations(client=client, as_of=AS_OF)[0]

    assert activation.result["required"] is True
    assert activation.result["initiator"] == "social_services"
    assert clients_meeting_activation_criteria(organisation_id=organisation.pk, as_of=AS_OF) == [
        client.pk
    ]


def test_months_between_counts_whole_calendar_months() -> None:
    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == 0
    assert months_between(date(2026, 1, 15), date(2026, 2, 15)) == 1
    assert months_between(None, AS_OF) == 0
    assert months_between(date(2027, 1, 1), AS_OF) == 0
