from datetime import datetime, timedelta

import pytest
from django.http import Http404

from polku.access import policy
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.audit.models import AccessLogEntry, ChangeLogEntry
from polku.clients.models import CareAssignment, Client
from polku.clients.tests.factories import ClientFactory


def test_client_open__by_the_responsible_worker_writes_exactly_one_access_log_row(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    policy.client_open(actor=coach_actor, client_id=coach_client.pk, now=now, view="test")

    rows = list(AccessLogEntry.objects.all())
    assert len(rows) == 1
    assert (rows[0].user, rows[0].client, rows[0].kind, rows[0].break_glass) == (
        coach_actor.user,
        coach_client,
        AccessLogEntry.Kind.RECORD,
        False,
    )


def test_client_open__of_another_organisations_client_is_not_found_and_not_logged(
    stranger_actor: Actor, coach_client: Client, now: datetime
) -> None:
    with pytest.raises(Http404):
        policy.client_open(actor=stranger_actor, client_id=coach_client.pk, now=now, view="test")

    assert not AccessLogEntry.objects.exists()


def test_client_open__without_care_relationship_is_refused(
    colleague_actor: Actor, coach_client: Client, now: datetime
) -> None:
    with pytest.raises(policy.NoCareRelationship):
        policy.client_open(actor=colleague_actor, client_id=coach_client.pk, now=now, view="test")

    assert not AccessLogEntry.objects.exists()


def test_client_open__an_active_care_assignment_is_a_care_relationship(
    colleague_actor: Actor, coach_client: Client, now: datetime
) -> None:
    CareAssignment.objects.create(
        client=coach_client,
        worker=colleague_actor.user,
        basis=CareAssignment.Basis.SERVICE,
        started_on=now.date(),
    )

    assert (
        policy.client_open(actor=colleague_actor, client_id=coach_client.pk, now=now, view="test")
        == coach_client
    )


def test_client_open__an_ended_care_assignment_no_longer_opens_the_record(
    colleague_actor: Actor, coach_client: Client, now: datetime
) -> None:
    CareAssignment.objects.create(
        client=coach_client,
        worker=colleague_actor.user,
        basis=CareAssignment.Basis.LIST,
        started_on=now.date() - timedelta(days=30),
        ended_on=now.date(),
    )

    with pytest.raises(policy.NoCareRelationship):
        policy.client_open(actor=colleague_actor, client_id=coach_client.pk, now=now, view="test")


@pytest.mark.parametrize(
    "reason",
    [
        "",
        "   ",
        "katsoin",
        "\u200b" * 12,  # zero-width spaces
        "\u200b\u200e\u2060\ufeff" * 4,  # zero-width, direction mark, word joiner, BOM
        "aaaaaaaaaa",
        "aaaa aaaa aaaa",
        "aaaaa bbbbb ccccc",  # each word one repeated letter
        "tarkistus tarkistus",  # one word, repeated
        "1234567890 !!!",
        "k\u200ba\u200bt\u200bs\u200bo\u200bi\u200bn",  # one word behind invisible characters
    ],
)
def test_break_glass_open__requires_a_reason(
    colleague_actor: Actor, coach_client: Client, now: datetime, reason: str
) -> None:
    with pytest.raises(policy.ReasonRequired):
        policy.break_glass_open(
            actor=colleague_actor, client_id=coach_client.pk, reason=reason, now=now
        )

    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize(
    "reason",
    [
        "Asiakas soitti päivystykseen",
        "Klienten ringde jouren",
        "Client phoned, worker away",
        "Päivystys: asiakas paikalla\u200b",  # a stray invisible character does no harm
    ],
)
def test_reason_is_written__accepts_real_words_in_any_of_the_languages(reason: str) -> None:
    assert policy.reason_is_written(reason)


def test_break_glass_open__is_logged_with_its_reason_and_lasts_a_limited_time(
    colleague_actor: Actor, coach_client: Client, now: datetime
) -> None:
    reason = "Asiakas soitti päivystykseen, vastuutyöntekijä lomalla"

    policy.break_glass_open(
        actor=colleague_actor, client_id=coach_client.pk, reason=reason, now=now
    )
    policy.client_open(
        actor=colleague_actor, client_id=coach_client.pk, now=now + timedelta(minutes=5), view="t"
    )

    rows = list(AccessLogEntry.objects.order_by("at"))
    assert [(row.break_glass, row.reason) for row in rows] == [(True, reason)]
    assert ChangeLogEntry.objects.get().event == "access.break_glass.granted"
    with pytest.raises(policy.NoCareRelationship):
        policy.client_open(
            actor=colleague_actor, client_id=coach_client.pk, now=now + timedelta(hours=2), view="t"
        )


def test_break_glass_open__cannot_reach_another_organisation(
    stranger_actor: Actor, coach_client: Client, now: datetime
) -> None:
    with pytest.raises(Http404):
        policy.break_glass_open(
            actor=stranger_actor,
            client_id=coach_client.pk,
            reason="Yritän katsoa toisen kunnan asiakasta",
            now=now,
        )


def test_break_glass_open__is_not_for_managers(
    organisation: Organisation, coach_client: Client, now: datetime
) -> None:
    manager = UserFactory.create(memberships=[(organisation, Role.MANAGER)])

    with pytest.raises(policy.CapabilityMissing):
        policy.break_glass_open(
            actor=actor_of(manager, organisation),
            client_id=coach_client.pk,
            reason="Haluan nähdä asiakkaan tiedot",
            now=now,
        )


def test_clients_visible_to__lists_only_own_clients_of_own_organisation(
    coach_actor: Actor, coach: User, coach_client: Client, foreign_client: Client, now: datetime
) -> None:
    ClientFactory.create(organisation=coach_actor.organisation)  # nobody's client

    assert list(policy.clients_visible_to(coach_actor, now)) == [coach_client]
