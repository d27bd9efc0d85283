"""Benchmark figure of the client page through the whole stack (SPEC §4: pages at 500,000 clients).

The page is fetched with Django's test client as the client's responsible worker, through
every middleware, the access policy, the access log and the templates. Each fetch runs in a
transaction that is rolled back, so measuring leaves no access-log rows behind.
"""

import random
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts.models import Organisation
from polku.accounts.second_factor import mark_fresh
from polku.clients.models import Client
from polku.core.benchmarking import percentile_ms, timings

PAGES = 30


def largest_organisation() -> tuple[Organisation, int] | None:
    """The organisation with the most clients (the synthetic deployment when there is one)."""
    row: dict[str, Any] | None = (
        Client.objects.values("organisation_id")
        .annotate(clients=Count("id"))
        .order_by("-clients")
        .first()
    )
    if row is None:
        return None
    return Organisation.objects.get(pk=row["organisation_id"]), row["clients"]


def _signed_in(client: Client) -> HttpClient:
    http = HttpClient()
    worker = client.responsible_worker
    assert worker is not None  # noqa: S101 - the deployment gives everyone a worker
    http.force_login(worker)
    device = TOTPDevice.objects.create(user=worker, confirmed=True, name="benchmark")
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    mark_fresh(session, timezone.now())
    session.save()
    return http


def _page_seconds(client: Client) -> tuple[float, int]:
    with transaction.atomic():
        http = _signed_in(client)
        url = reverse("clients:detail", args=[client.pk])
        http.get(url)  # the first fetch warms the templates and the session
        with CaptureQueriesContext(connection) as queries:
            (seconds,) = timings(lambda: _ok(http.get(url)), runs=1)
        transaction.set_rollback(True)
    return seconds, len(queries)


def _ok(response: Any) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"client page answered {response.status_code}")


def figures(clients: int) -> dict[str, Any]:
    largest = largest_organisation()
    if largest is None:
        return {"client_page": None}
    organisation, count = largest
    ids = list(
        Client.objects.filter(organisation=organisation)
        .exclude(responsible_worker=None)
        .values_list("id", flat=True)[:5_000]
    )
    sample = random.Random(2026).sample(ids, min(PAGES, len(ids)))  # noqa: S311 - not security
    measured = [
        _page_seconds(client)
        for client in Client.objects.filter(pk__in=sample).select_related("responsible_worker")
    ]
    seconds = [s for s, _ in measured]
    return {
        "client_page": {
            "size": count,
            "unit": "ms",
            "value": percentile_ms(seconds, 95),
            "p50": percentile_ms(seconds, 50),
            "queries": max(q for _, q in measured),
            "note": f"p95 of {len(seconds)} different clients' pages, whole stack with the "
            "access log write; no naive variant (the page is a fixed number of queries)",
        }
    }
