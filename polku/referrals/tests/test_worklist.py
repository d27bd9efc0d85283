from datetime import date

from pytest_django import DjangoAssertNumQueries

from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.core.worklist import WorklistScope
from polku.referrals.models import Referral
from polku.referrals.tests.factories import ReferralFactory
from polku.referrals.worklist import handovers_unacknowledged

TODAY = date(2026, 11, 24)


def test_handovers_unacknowledged__lists_sent_and_received_handovers_and_flags_old_ones(
    coach: User, colleague: User, coach_client: Client, organisation: Organisation
) -> None:
    old = ReferralFactory.create(client=coach_client, sent_on=date(2026, 11, 2))
    received = ReferralFactory.create(
        client=ClientFactory.create(organisation=organisation, responsible_worker=colleague),
        receiving_worker=coach,
        sent_on=date(2026, 11, 23),
    )
    ReferralFactory.create(client=coach_client, status=Referral.Status.ACKNOWLEDGED)

    section = handovers_unacknowledged(
        WorklistScope(organisation_id=organisation.pk, worker_ids=(coach.pk,), today=TODAY)
    )

    assert section.total == 2
    by_client = {item.client_id: item for item in section.items}
    assert by_client[old.client_id].overdue
    assert not by_client[received.client_id].overdue
    assert by_client[received.client_id].url == "/referrals/received/"


def test_handovers_unacknowledged__runs_at_most_two_queries_whatever_the_size(
    coach: User,
    coach_client: Client,
    organisation: Organisation,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(30):
        ReferralFactory.create(client=coach_client)
    scope = WorklistScope(
        organisation_id=organisation.pk, worker_ids=(coach.pk,), today=TODAY, limit=10
    )

    with django_assert_max_num_queries(2):
        section = handovers_unacknowledged(scope)

    assert (len(section.items), section.total) == (10, 30)


def test_handovers_unacknowledged__ignores_another_organisations_workers(
    coach_client: Client, stranger: User, other_organisation: Organisation
) -> None:
    ReferralFactory.create(client=coach_client)

    section = handovers_unacknowledged(
        WorklistScope(organisation_id=other_organisation.pk, worker_ids=(stranger.pk,), today=TODAY)
    )

    assert section.total == 0
