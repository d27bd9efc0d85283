from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.clients.models import CareAssignment
from polku.clients.tests.factories import ClientFactory
from polku.core.worklist import WorklistScope
from polku.service_episodes.models import KttContract
from polku.service_episodes.tests.factories import EpisodeFactory, KttContractFactory
from polku.service_episodes.worklist import ktt_decisions_pending, ktt_evaluations_due

TODAY = date(2026, 11, 24)


def _contract(
    organisation: Organisation, worker: User, evaluation: date, **fields: object
) -> KttContract:
    client = ClientFactory.create(organisation=organisation, responsible_worker=worker)
    return KttContractFactory.create(
        episode=EpisodeFactory.create(client=client),
        signed=True,
        final_evaluation_on=evaluation,
        **fields,
    )


def test_ktt_evaluations_due__lists_due_and_overdue_evaluations_of_the_workers_clients(
    organisation: Organisation, coach: User, colleague: User
) -> None:
    overdue = _contract(organisation, coach, date(2026, 11, 20))
    soon = _contract(organisation, coach, date(2026, 12, 20))
    _contract(organisation, coach, date(2027, 1, 30))  # more than 30 days away
    _contract(organisation, coach, date(2026, 11, 30), evaluation_held_on=date(2026, 11, 10))
    _contract(organisation, colleague, date(2026, 11, 30))

    with CaptureQueriesContext(connection) as queries:
        section = ktt_evaluations_due(WorklistScope(organisation.pk, (coach.pk,), TODAY))

    assert [(item.client_id, item.overdue) for item in section.items] == [
        (overdue.episode.client_id, True),
        (soon.episode.client_id, False),
    ]
    assert "20.12.2026" in section.items[1].reason
    assert section.total == 2
    assert len(queries) <= 2


def test_ktt_evaluations_due__appears_on_the_workers_worklist_page(
    organisation: Organisation, coach: User
) -> None:
    _contract(organisation, coach, timezone.localdate() + timedelta(days=3))

    response = logged_in(coach).get(reverse("reports:worklist"))

    assert "KTT:n loppuarvioinnit" in response.text


def test_ktt_evaluations_due__reach_the_work_coach_who_works_with_the_client(
    organisation: Organisation, coach: User, colleague: User
) -> None:
    contract = _contract(organisation, coach, date(2026, 12, 1))
    CareAssignment.objects.create(
        client_id=contract.episode.client_id,
        worker=colleague,
        basis=CareAssignment.Basis.SERVICE,
        started_on=date(2026, 9, 1),
    )

    section = ktt_evaluations_due(WorklistScope(organisation.pk, (colleague.pk,), TODAY))

    assert [item.client_id for item in section.items] == [contract.episode.client_id]


def test_ktt_decisions_pending__lists_the_drafts_sent_to_the_counsellor_oldest_start_first(
    organisation: Organisation, coach: User, colleague: User
) -> None:
    late = _contract(organisation, coach, date(2027, 2, 14), status="draft", decider=colleague)
    KttContract.objects.filter(pk=late.pk).update(start=date(2026, 11, 16))
    coming = _contract(organisation, coach, date(2027, 2, 14), status="draft", decider=colleague)
    KttContract.objects.filter(pk=coming.pk).update(start=date(2026, 12, 7))
    _contract(organisation, coach, date(2027, 2, 14), decider=colleague)  # decided and signed
    _contract(organisation, coach, date(2027, 2, 14), status="draft", decider=coach)

    with CaptureQueriesContext(connection) as queries:
        section = ktt_decisions_pending(WorklistScope(organisation.pk, (colleague.pk,), TODAY))

    assert [(item.client_id, item.overdue) for item in section.items] == [
        (late.episode.client_id, True),
        (coming.episode.client_id, False),
    ]
    assert "alkaa 7.12.2026" in section.items[1].reason
    assert section.items[1].url == reverse(
        "services:contract_detail", args=[coming.episode.client_id, coming.pk]
    )
    assert section.total == 2
    assert len(queries) <= 2
