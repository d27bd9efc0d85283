from datetime import date, timedelta

import pytest
from django.db.models import Q

from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.core.worklist import WorklistScope
from polku.plans.models import PlanStatus, PlanType
from polku.plans.selectors import active_plan_exists
from polku.plans.tests.factories import PlanFactory
from polku.plans.worklist import assessment_periods_ending, reviews_due

TODAY = date(2026, 11, 24)


def _scope(organisation: Organisation, worker: User, limit: int = 50) -> WorklistScope:
    return WorklistScope(
        organisation_id=organisation.pk, worker_ids=(worker.pk,), today=TODAY, limit=limit
    )


def test_reviews_due__lists_overdue_and_upcoming_active_plans_of_the_workers_clients(
    organisation: Organisation, coach: User, coach_client: Client, colleague: User
) -> None:
    overdue = PlanFactory.create(client=coach_client, next_review_on=date(2026, 11, 3))
    soon = PlanFactory.create(client=coach_client, next_review_on=TODAY + timedelta(days=20))
    PlanFactory.create(client=coach_client, next_review_on=TODAY + timedelta(days=31))
    PlanFactory.create(
        client=coach_client, next_review_on=date(2026, 11, 1), status=PlanStatus.ENDED
    )
    other = ClientFactory.create(organisation=organisation, responsible_worker=colleague)
    PlanFactory.create(client=other, next_review_on=date(2026, 11, 1))

    section = reviews_due(_scope(organisation, coach))

    assert [item.url.rstrip("/").rsplit("/", 1)[1] for item in section.items] == [
        str(overdue.pk),
        str(soon.pk),
    ]
    assert section.items[0].overdue
    assert not section.items[1].overdue
    assert section.items[0].reason.startswith("Suunnitelman tarkistus erääntyi 3.11.2026")
    assert section.total == 2


def test_reviews_due__runs_at_most_two_queries_whatever_the_size(
    organisation: Organisation,
    coach: User,
    django_assert_max_num_queries: object,
) -> None:
    for _ in range(5):
        client = ClientFactory.create(organisation=organisation, responsible_worker=coach)
        PlanFactory.create_batch(3, client=client, next_review_on=date(2026, 11, 1))

    with django_assert_max_num_queries(2):  # type: ignore[operator]
        section = reviews_due(_scope(organisation, coach, limit=10))

    assert len(section.items) == 10
    assert section.total == 15


def test_assessment_periods_ending__lists_periods_ending_within_30_days_or_ended(
    organisation: Organisation,
    coach: User,
    coach_client: Client,
    django_assert_max_num_queries: object,
) -> None:
    ended = PlanFactory.create(
        client=coach_client,
        plan_type=PlanType.ASSESSMENT_PERIOD,
        assessment_period_ends_on=date(2026, 11, 20),
    )
    PlanFactory.create(
        client=coach_client,
        plan_type=PlanType.ASSESSMENT_PERIOD,
        assessment_period_ends_on=date(2027, 3, 1),
    )

    with django_assert_max_num_queries(2):  # type: ignore[operator]
        section = assessment_periods_ending(_scope(organisation, coach))

    assert [item.due_on for item in section.items] == [ended.assessment_period_ends_on]
    assert section.items[0].overdue
    assert "20.11.2026" in section.items[0].reason


@pytest.mark.parametrize(
    ("status", "expected"), [(PlanStatus.ACTIVE, True), (PlanStatus.REPLACED, False)]
)
def test_active_plan_exists__is_a_subquery_over_clients(
    coach_client: Client, status: str, expected: bool
) -> None:
    PlanFactory.create(client=coach_client, status=status)

    found = Client.objects.filter(
        Q(active_plan_exists([PlanType.ACTIVATION, PlanType.MULTISECTOR])),
        pk=coach_client.pk,
    ).exists()

    assert found is expected
