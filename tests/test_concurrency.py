"""Two workers save the same record at the same moment, each through its own database
connection and real transactions (PostgreSQL only: SQLite serialises every write).

The race is forced into its worst order: the first save has run but not committed
when the second starts from the same version it read. The row lock must make the
second wait and then see the first's version, so exactly one save wins, the other
gets the version-conflict error, and nothing the winner wrote is lost.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.db import connection, transaction

from polku.accounts.models import Organisation
from polku.accounts.roles import Actor, Role
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client
from polku.plans import services as plans
from polku.plans.models import Plan
from polku.plans.tests.factories import PlanFactory
from polku.service_episodes import services as episodes
from polku.service_episodes.models import Attendance, AttendanceStatus, KttContract
from polku.service_episodes.tests.conftest import role_actor
from polku.service_episodes.tests.factories import (
    AttendanceFactory,
    EpisodeFactory,
    KttContractFactory,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
HOLD_SECONDS = 0.5  # how long the first save keeps its transaction open


@dataclass
class Outcome:
    result: object = None
    error: BaseException | None = None
    seconds: float = 0.0


def _in_thread(work: Callable[[], object], outcome: Outcome, before: Callable[[], None]) -> None:
    """Run ``work`` on this thread's own database connection and record what happened."""
    try:
        before()
        started = time.monotonic()
        try:
            outcome.result = work()
        except Exception as error:  # the conflict under test, or any surprise to report
            outcome.error = error
        outcome.seconds = time.monotonic() - started
    finally:
        connection.close()


def race(first: Callable[[], object], second: Callable[[], object]) -> tuple[Outcome, Outcome]:
    """``first`` saves and holds its transaction open while ``second`` starts its save."""
    saved = threading.Event()
    outcomes = Outcome(), Outcome()

    def first_holding_its_transaction() -> object:
        with transaction.atomic():
            result = first()
            saved.set()
            time.sleep(HOLD_SECONDS)  # the second save runs now, against an uncommitted row
        return result

    threads = [
        threading.Thread(
            target=_in_thread, args=(first_holding_its_transaction, outcomes[0], lambda: None)
        ),
        threading.Thread(target=_in_thread, args=(second, outcomes[1], saved.wait)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _assert_one_won(winner: Outcome, loser: Outcome, conflict: type[Exception]) -> None:
    assert winner.error is None, winner.error
    assert isinstance(loser.error, conflict), loser.error
    # The second save waited for the first's row lock instead of reading around it.
    assert loser.seconds >= HOLD_SECONDS * 0.8


def test_two_workers_saving_one_plan__one_wins_the_other_gets_the_conflict(
    coach_actor: Actor, colleague_actor: Actor, coach_client: Client
) -> None:
    plan = PlanFactory.create(client=coach_client, client_tasks="Alkuperäinen")
    read_version = plan.version

    def save(actor: Actor, text: str) -> Callable[[], object]:
        return lambda: plans.plan_update(
            actor=actor,
            plan_id=plan.pk,
            version=read_version,
            fields={"client_tasks": text},
            today=NOW.date(),
            now=NOW,
        )

    first, second = race(save(coach_actor, "Ensimmäinen"), save(coach_actor, "Toinen"))

    _assert_one_won(first, second, plans.PlanEditConflict)
    saved = Plan.objects.get(pk=plan.pk)
    assert (saved.client_tasks, saved.version) == ("Ensimmäinen", read_version + 1)
    assert (
        ChangeLogEntry.objects.filter(event="plans.plan.updated", object_id=str(plan.pk)).count()
        == 1
    )


def test_two_workers_extending_one_ktt_contract__one_wins_the_other_gets_the_conflict(
    coach_actor: Actor, coach_client: Client
) -> None:
    contract = KttContractFactory.create(signed=True, episode=EpisodeFactory(client=coach_client))
    read_version = contract.version

    def extend(new_end: date) -> Callable[[], object]:
        return lambda: episodes.ktt_contract_extend(
            actor=coach_actor,
            client_id=coach_client.pk,
            contract_id=contract.pk,
            version=read_version,
            new_end=new_end,
            now=NOW,
        )

    first, second = race(extend(date(2027, 5, 31)), extend(date(2027, 8, 31)))

    _assert_one_won(first, second, episodes.EditConflict)
    saved = KttContract.objects.get(pk=contract.pk)
    assert (saved.end, saved.version) == (date(2027, 5, 31), read_version + 1)


def _instructors(organisation: Organisation, client: Client) -> tuple[Actor, Actor]:
    return (
        role_actor(organisation, Role.WORK_COACH, "ohjaaja1", client),
        role_actor(organisation, Role.WORK_COACH, "ohjaaja2", client),
    )


def test_two_instructors_correcting_one_attendance_cell__one_wins_the_other_gets_the_conflict(
    organisation: Organisation, coach_client: Client
) -> None:
    day = date(2026, 11, 23)
    AttendanceFactory.create(client=coach_client, day=day, status=AttendanceStatus.PRESENT)
    first_instructor, second_instructor = _instructors(organisation, coach_client)

    def mark(actor: Actor, status: str) -> Callable[[], object]:
        cell = episodes.Cell(coach_client.pk, day, status, "Merkitty", version=1)
        return lambda: episodes.attendance_record(actor=actor, cells=[cell], now=NOW)

    first, second = race(
        mark(first_instructor, AttendanceStatus.SICK),
        mark(second_instructor, AttendanceStatus.EXCUSED),
    )

    _assert_one_won(first, second, episodes.AttendanceConflict)
    saved = Attendance.objects.get(client=coach_client, day=day)
    assert (saved.status, saved.version, saved.changes.count()) == (AttendanceStatus.SICK, 2, 1)


def test_two_instructors_marking_one_empty_attendance_cell__one_wins_the_other_gets_the_conflict(
    organisation: Organisation, coach_client: Client
) -> None:
    day = date(2026, 11, 23)
    first_instructor, second_instructor = _instructors(organisation, coach_client)

    def mark(actor: Actor, status: str) -> Callable[[], object]:
        cell = episodes.Cell(coach_client.pk, day, status, "Merkitty", version=0)
        return lambda: episodes.attendance_record(actor=actor, cells=[cell], now=NOW)

    first, second = race(
        mark(first_instructor, AttendanceStatus.PRESENT),
        mark(second_instructor, AttendanceStatus.EXCUSED),
    )

    _assert_one_won(first, second, episodes.AttendanceConflict)
    saved = Attendance.objects.get(client=coach_client, day=day)
    assert (saved.status, saved.version) == (AttendanceStatus.PRESENT, 1)
