import json
from datetime import UTC, datetime
from io import StringIO

import time_machine
from django.core.management import call_command
from django_otp.oath import TOTP

from polku.accounts.models import Membership, User
from polku.accounts.roles import Role
from polku.clients.models import Client
from polku.core import hetu as hetu_codes
from polku.demo.management.commands.demo import DEMO_TOTP_KEY, DEMO_USERS


def test_demo_creates_one_user_per_role_and_synthetic_clients_idempotently(db: None) -> None:
    call_command("demo", "--clients", "30", stdout=StringIO())
    first = (Client.objects.count(), User.objects.count())

    call_command("demo", "--clients", "30", stdout=StringIO())

    assert (Client.objects.count(), User.objects.count()) == first
    assert Client.objects.filter(organisation__slug="esimerkkila").count() == 30
    roles = set(
        Membership.objects.filter(organisation__slug="esimerkkila").values_list("role", flat=True)
    )
    assert roles == set(Role.values)
    assert all(
        hetu_codes.parse(code).is_temporary
        for code in Client.objects.values_list("hetu", flat=True)
    )


def test_demo_prints_the_users_as_an_aligned_table(db: None) -> None:
    out = StringIO()

    call_command("demo", "--clients", "30", stdout=out)

    usernames = {user[0] for user in DEMO_USERS} | {"naapuri"}
    rows = [line for line in out.getvalue().splitlines() if line[2:].split(" ")[0] in usernames]
    assert len(rows) == len(usernames)
    # username (16), full name (24), role: the role column starts at the same place.
    assert all(row[43] == " " and row[44] != " " for row in rows), rows


def test_benchmark_prints_figures_with_size_unit_and_ratio(db: None) -> None:
    out = StringIO()

    call_command("benchmark", "--json", "--clients", "200", stdout=out)

    figure = json.loads(out.getvalue())["rules_activation_plan_batch"]
    assert (figure["size"], figure["unit"]) == (200, "clients/s")
    assert figure["ratio"] > 0


def test_benchmark_measures_the_busiest_workers_worklist(coach_client: object) -> None:
    out = StringIO()

    call_command("benchmark", "--json", "--clients", "10", stdout=out)

    figures = json.loads(out.getvalue())
    # The synthetic deployment of 10 clients gives its only worker all ten.
    assert (figures["worklist_one_worker"]["size"], figures["worklist_one_worker"]["unit"]) == (
        10,
        "ms",
    )
    assert figures["worklist_one_worker"]["value"] > 0
    assert figures["synthetic_deployment"]["size"] == 10
    assert figures["client_page"]["queries"] > 0


def test_demo_code_prints_the_code_the_demo_users_sign_in_with(db: None) -> None:
    out = StringIO()

    with time_machine.travel(datetime(2026, 11, 24, 12, 0, 5, tzinfo=UTC), tick=False):
        call_command("demo", "--code", stdout=out)

    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY), step=30, digits=6)
    totp.time = datetime(2026, 11, 24, 12, 0, 0, tzinfo=UTC).timestamp()
    assert out.getvalue().strip() == f"{totp.token():06d}"
