from datetime import UTC, date, datetime

import pytest
from django.db import connection

from polku.audit.models import AccessLogEntry
from polku.clients.models import Client
from polku.core import hetu as hetu_codes
from polku.demo.scale import Deployment, deployment_ensure
from polku.plans.models import Plan
from polku.reports.indicators import compute_all
from polku.service_episodes.models import Attendance, KttContract

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


@pytest.fixture
def deployment(db: None) -> Deployment:
    return deployment_ensure(clients=1_000, events=25_000, today=TODAY, now=NOW)


def test_the_deployment_holds_the_asked_clients_and_events_in_one_organisation(
    deployment: Deployment,
) -> None:
    organisation = deployment.organisation

    assert Client.objects.filter(organisation=organisation).count() == 1_000
    assert deployment.events == 25_000
    assert Plan.objects.filter(client__organisation=organisation).count() == 1_000
    assert KttContract.objects.filter(episode__client__organisation=organisation).exists()
    assert Attendance.objects.filter(client__organisation=organisation).exists()
    assert AccessLogEntry.objects.filter(organisation=organisation).count() > 10_000


def test_identity_codes_are_valid_unique_and_from_the_synthetic_range(
    deployment: Deployment,
) -> None:
    codes = list(Client.objects.values_list("hetu", flat=True))

    assert len(set(codes)) == len(codes) == 1_000
    assert all(hetu_codes.parse(code).is_temporary for code in codes)


def test_a_second_run_reuses_the_deployment_and_writes_nothing(deployment: Deployment) -> None:
    again = deployment_ensure(clients=1_000, events=None, today=TODAY, now=NOW)

    assert again.reused
    assert again.organisation == deployment.organisation
    assert Client.objects.count() == 1_000


def test_new_rows_after_the_deployment_get_fresh_ids(deployment: Deployment) -> None:
    organisation = deployment.organisation
    highest = Client.objects.order_by("-id").values_list("id", flat=True).first()

    client = Client.objects.create(
        organisation=organisation,
        hetu=hetu_codes.build(date(1990, 1, 1), 999, "-"),
        first_names="Uusi",
        last_name="Asiakas",
        birth_date=date(1990, 1, 1),
        created_at=NOW,
        updated_at=NOW,
    )

    assert highest is not None
    assert client.pk == highest + 1


def test_the_report_indicators_see_the_deployment(deployment: Deployment) -> None:
    organisation = deployment.organisation

    values = compute_all(organisation.pk, date(2026, 10, 1), date(2026, 10, 31))

    assert values["plans_up_to_date"].value is not None
    assert values["ktt_occupancy"].value is not None


def _foreign_keys() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f'"
        )
        return set(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY path of PostgreSQL")
def test_every_foreign_key_is_back_and_checked_after_the_copy(db: None) -> None:
    before = _foreign_keys()

    deployment_ensure(clients=300, events=3_000, today=TODAY, now=NOW)

    assert _foreign_keys() == before
