"""Every built-in indicator against the October scenario, with the numbers worked by hand."""

from decimal import Decimal

import pytest

from polku.accounts.models import Organisation, User
from polku.reports import indicators
from polku.reports.models import FollowUp
from polku.reports.tests.scenario import OCTOBER, OCTOBER_END, october
from polku.service_episodes.models import Outcome, ServiceEpisode


@pytest.fixture
def values(organisation: Organisation, coach: User) -> dict[str, indicators.IndicatorValue]:
    october(organisation, coach)
    return indicators.compute_all(organisation.pk, OCTOBER, OCTOBER_END)


def _rows(value: indicators.IndicatorValue) -> dict[str, Decimal]:
    return {row.key: row.value for row in value.rows}


def test_referral_sources__counts_clients_whose_service_started_in_the_period(values) -> None:
    # 6 from the share list and 3 by themselves started in October; one started in September.
    value = values["referral_sources"]
    assert value.value == 9
    assert _rows(value) == {"share_list": 6, "self": 3}


def test_clients_per_service__counts_every_client_with_a_service_running(values) -> None:
    # c0..c8 started in October, c9 runs since September; c10 ended on 30.9.
    assert values["clients_per_service"].value == 10
    assert _rows(values["clients_per_service"]) == {"ktt": 10}


def test_ktt_occupancy__is_signed_contracts_over_ktt_places(values) -> None:
    # 6 signed contracts (the draft does not count) over 20 places (the company's 4 are not KTT).
    value = values["ktt_occupancy"]
    assert (value.numerator, value.denominator, value.value) == (6, 20, Decimal("30.0"))


def test_ktt_compensation__sums_claims_whose_period_ends_in_the_period(values) -> None:
    assert values["ktt_compensation"].value == Decimal("1234.50")


def test_plans_up_to_date__is_the_share_of_active_plans_not_overdue(values) -> None:
    # 8 active plans, 2 with the review due 15.10.: 6/8; the ended plan does not count.
    value = values["plans_up_to_date"]
    assert (value.numerator, value.denominator, value.value) == (6, 8, Decimal("75.0"))
    assert values["overdue_reviews"].value == 2


def test_share_list_contacted__is_listed_persons_with_an_attempt_in_the_period(values) -> None:
    # 10 on October's list; c0..c3 tried in October (c3 twice), c4 only in September.
    value = values["share_list_contacted"]
    assert (value.numerator, value.denominator, value.value) == (4, 10, Decimal("40.0"))


def test_share_list_euros__sums_the_share_by_quarter(values) -> None:
    value = values["share_list_euros"]
    assert value.value == Decimal("1000.00")
    assert _rows(value) == {"2026 Q4": Decimal("1000.00")}


def test_outcomes_at_exit__groups_the_services_ended_in_the_period(values) -> None:
    value = values["outcomes_at_exit"]
    assert value.value == 5
    assert _rows(value) == {"work": 3, "studies": 2}


def test_feedback_and_capacity_scores__are_means_of_the_periods_answers(values) -> None:
    assert values["feedback_score"].value == Decimal("4.00")  # (4+5+3+4+5+3)/6
    assert values["feedback_score"].persons == 6
    assert values["capacity_score"].value == Decimal("3.00")  # (2.5+3.5)/2
    assert values["capacity_score"].suppressed  # two persons


def test_handover_completion__is_acknowledged_over_sent(values) -> None:
    value = values["handover_completion"]
    assert (value.numerator, value.denominator, value.value) == (4, 5, Decimal("80.0"))


def test_unemployment_rate__is_the_last_entered_figure_of_the_period(values) -> None:
    assert values["unemployment_rate"].value == Decimal("8.7")


def test_workshop_budget__is_actuals_over_budget(values) -> None:
    value = values["workshop_budget"]
    assert (value.numerator, value.denominator) == (Decimal("13500.00"), Decimal("15000.00"))
    assert value.value == Decimal("90.0")


def test_public__suppresses_groups_under_five_persons(values) -> None:
    sources = {row["key"]: row for row in values["referral_sources"].public()["rows"]}
    assert sources["share_list"]["value"] == "6"
    assert sources["self"]["value"] == "< 5"
    capacity = values["capacity_score"].public()
    assert capacity["value"] == "< 5"
    assert capacity["persons"] == "< 5"
    outcomes = values["outcomes_at_exit"].public()
    assert outcomes["value"] == "5"
    assert {row["value"] for row in outcomes["rows"]} == {"< 5"}


def test_compute_all__runs_a_bounded_number_of_queries(
    organisation: Organisation, coach: User, django_assert_max_num_queries
) -> None:
    october(organisation, coach)
    with django_assert_max_num_queries(20):
        indicators.compute_all(organisation.pk, OCTOBER, OCTOBER_END)


def test_follow_up__groups_situations_by_months_after_the_service_ended(
    organisation: Organisation, coach: User
) -> None:
    clients = october(organisation, coach)
    ended = ServiceEpisode.objects.filter(client__in=clients[:5], ended_on__isnull=False)
    for episode in ended:
        work = episode.client_id in {c.pk for c in clients[:3]}
        FollowUp.objects.create(
            episode=episode,
            months=3,
            situation=Outcome.WORK if work else Outcome.STUDIES,
            recorded_on=OCTOBER_END,
            recorded_by=coach,
        )
    FollowUp.objects.create(
        episode=ended.get(client=clients[0]),
        months=6,
        situation=Outcome.WORK,
        recorded_on=OCTOBER_END,
        recorded_by=coach,
    )

    value = indicators.follow_up(organisation.pk, OCTOBER, OCTOBER_END)

    assert value.value == 5  # five followed at three months
    assert _rows(value) == {"3:studies": 2, "3:work": 3, "6:work": 1}
