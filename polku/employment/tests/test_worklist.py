from datetime import date

from polku.accounts.models import Organisation, User
from polku.clients.tests.factories import ClientFactory
from polku.core.worklist import WorklistScope
from polku.employment.models import ObligatedEmployment
from polku.employment.tests.factories import ObligationFactory
from polku.employment.worklist import obligated_employment_deadlines

TODAY = date(2024, 6, 1)


def _case(
    organisation: Organisation, worker: User, due: date, **fields: object
) -> ObligatedEmployment:
    client = ClientFactory.create(organisation=organisation, responsible_worker=worker)
    return ObligationFactory.create(client=client, job_must_start_by=due, **fields)


def test_obligated_employment_deadlines__lists_open_cases_due_within_60_days_or_passed(
    organisation: Organisation, coach: User, colleague: User, django_assert_max_num_queries: object
) -> None:
    passed = _case(organisation, coach, date(2024, 5, 20))
    soon = _case(organisation, coach, date(2024, 7, 30))
    _case(organisation, coach, date(2024, 8, 1))  # 61 days away
    _case(organisation, coach, date(2024, 6, 20), status=ObligatedEmployment.Status.EMPLOYED)
    _case(organisation, colleague, date(2024, 6, 20))
    scope = WorklistScope(organisation_id=organisation.pk, worker_ids=(coach.pk,), today=TODAY)

    with django_assert_max_num_queries(2):  # type: ignore[operator]
        section = obligated_employment_deadlines(scope)

    assert [item.due_on for item in section.items] == [date(2024, 5, 20), date(2024, 7, 30)]
    assert [item.overdue for item in section.items] == [True, False]
    assert section.total == 2
    assert str(passed.pk) in section.items[0].url
    assert str(soon.pk) in section.items[1].url


def test_obligated_employment_deadlines__counts_beyond_the_limit(
    organisation: Organisation, coach: User
) -> None:
    for _ in range(3):
        _case(organisation, coach, date(2024, 6, 10))
    scope = WorklistScope(
        organisation_id=organisation.pk, worker_ids=(coach.pk,), today=TODAY, limit=2
    )

    section = obligated_employment_deadlines(scope)

    assert (len(section.items), section.total) == (2, 3)
