"""The worklist for a seeded scenario: what is on it, why, for whom, and what it costs."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.audit.models import AccessLogEntry
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory, ConsentFactory
from polku.plans.tests.factories import PlanFactory
from polku.reports.selectors import SECTIONS, worklist_get

TODAY = date(2026, 11, 24)


def _scenario(organisation: Organisation, coach: User, colleague: User) -> dict[str, Client]:
    return {
        "needs_plan": ClientFactory.create(
            organisation=organisation,
            responsible_worker=coach,
            birth_date=date(1980, 1, 1),
            main_income="labour_market_subsidy",
            lms_days_total=500,
            has_employment_plan=True,
            contact_verified_on=TODAY,
        ),
        "stale_contact": ClientFactory.create(
            organisation=organisation,
            responsible_worker=coach,
            contact_verified_on=date(2025, 1, 2),
        ),
        "consent_ending": ConsentFactory.create(
            client=ClientFactory.create(
                organisation=organisation, responsible_worker=coach, contact_verified_on=TODAY
            ),
            expires_on=date(2026, 12, 10),
        ).client,
        "colleagues": ClientFactory.create(
            organisation=organisation, responsible_worker=colleague, contact_verified_on=None
        ),
    }


def _items(worklist_sections: list, key: str) -> list[int]:
    return [item.client_id for s in worklist_sections if s.key == key for item in s.items]


def test_worklist_get__lists_each_due_thing_with_its_reason_for_the_worker_only(
    organisation: Organisation, coach: User, colleague: User, coach_actor: Actor, now: datetime
) -> None:
    clients = _scenario(organisation, coach, colleague)

    result = worklist_get(
        actor=coach_actor, worker_ids=(coach.pk,), today=TODAY, now=now, view="test"
    )

    sections = result.sections
    assert _items(sections, "activation_criteria_without_plan") == [clients["needs_plan"].pk]
    assert _items(sections, "contacts_not_verified") == [clients["stale_contact"].pk]
    assert _items(sections, "consents_expiring") == [clients["consent_ending"].pk]
    stale = next(s for s in sections if s.key == "contacts_not_verified").items[0]
    assert stale.reason == "Yhteystiedot tarkistettu viimeksi 2.1.2025."
    assert stale.url == f"/clients/{clients['stale_contact'].pk}/edit/"
    assert result.total == 3


def test_worklist_get__logs_every_client_shown(
    organisation: Organisation, coach: User, colleague: User, coach_actor: Actor, now: datetime
) -> None:
    _scenario(organisation, coach, colleague)

    worklist_get(actor=coach_actor, worker_ids=(coach.pk,), today=TODAY, now=now, view="test")

    logged = AccessLogEntry.objects.filter(user=coach, kind=AccessLogEntry.Kind.LIST)
    assert logged.count() == 3


def test_worklist_get__team_view_needs_the_team_right_and_shows_everyones_items(
    organisation: Organisation, coach: User, colleague: User, coach_actor: Actor, now: datetime
) -> None:
    clients = _scenario(organisation, coach, colleague)
    lead = UserFactory.create(username="lead", memberships=[(organisation, Role.LEAD_COACH)])

    with pytest.raises(PermissionDenied):
        worklist_get(
            actor=coach_actor, worker_ids=(colleague.pk,), today=TODAY, now=now, view="test"
        )
    team = worklist_get(
        actor=actor_of(lead, organisation),
        worker_ids=(coach.pk, colleague.pk),
        today=TODAY,
        now=now,
        view="test",
    )

    stale = _items(team.sections, "contacts_not_verified")
    assert set(stale) == {clients["stale_contact"].pk, clients["colleagues"].pk}


def test_worklist_get__runs_a_bounded_number_of_queries_whatever_the_number_of_clients(
    organisation: Organisation, coach: User, colleague: User, coach_actor: Actor, now: datetime
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            worklist_get(
                actor=coach_actor, worker_ids=(coach.pk,), today=TODAY, now=now, view="test"
            )
        return len(captured)

    _scenario(organisation, coach, colleague)
    few = queries()
    for _ in range(3):
        _scenario(organisation, coach, colleague)

    assert queries() == few
    assert few <= 2 * len(SECTIONS) + 3  # sections, the workers, the access-log insert


def test_worklist_get__cuts_long_sections_and_still_counts_them(
    organisation: Organisation, coach: User, coach_actor: Actor, now: datetime
) -> None:
    ClientFactory.create_batch(
        55, organisation=organisation, responsible_worker=coach, contact_verified_on=None
    )

    result = worklist_get(
        actor=coach_actor, worker_ids=(coach.pk,), today=TODAY, now=now, view="test"
    )

    stale = next(s for s in result.sections if s.key == "contacts_not_verified")
    assert (len(stale.items), stale.total) == (50, 55)


def test_worklist_get__drops_the_activation_item_once_an_activation_plan_is_active(
    organisation: Organisation, coach: User, colleague: User, coach_actor: Actor, now: datetime
) -> None:
    clients = _scenario(organisation, coach, colleague)
    PlanFactory.create(
        client=clients["needs_plan"], made_on=date(2026, 11, 2), next_review_on=date(2027, 2, 2)
    )

    result = worklist_get(
        actor=coach_actor, worker_ids=(coach.pk,), today=TODAY, now=now, view="test"
    )

    assert _items(result.sections, "activation_criteria_without_plan") == []
    assert _items(result.sections, "reviews_due") == []  # due in February, not within 30 days
