"""Benchmark figures of the worklist: one worker's page against the naive per-client checks."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.clients.models import Client, Consent
from polku.core.benchmarking import median_seconds, percentile_ms, timings
from polku.reports.selectors import worklist_get
from polku.rules.engine.activation_plan import decide_activation_plan
from polku.rules.facts import client_activation_plan_facts

AS_OF = date(2026, 11, 24)
RUNS = 5
SAMPLED_WORKERS = 20


def _busiest_worker() -> tuple[User, int, int] | None:
    row = (
        Client.objects.exclude(responsible_worker=None)
        .values("responsible_worker_id", "organisation_id")
        .annotate(clients=Count("id"))
        .order_by("-clients")
        .first()
    )
    if row is None:
        return None
    user = User.objects.get(pk=row["responsible_worker_id"])
    return user, row["organisation_id"], row["clients"]


def _naive_worklist(worker: User) -> int:
    """What a worklist without set-based sections does: every check, client by client."""
    due = 0
    oldest = AS_OF - timedelta(days=settings.POLKU_CONTACT_VERIFY_DAYS)
    for client in Client.objects.filter(responsible_worker=worker):
        due += decide_activation_plan(client_activation_plan_facts(client), AS_OF).result.required
        due += client.contact_verified_on is None or client.contact_verified_on < oldest
        due += Consent.objects.filter(
            client=client, withdrawn_on=None, expires_on__range=(AS_OF, AS_OF + timedelta(30))
        ).count()
    return due


def figures(clients: int) -> dict[str, Any]:
    busiest = _busiest_worker()
    if busiest is None:
        return {"worklist_one_worker": None}
    worker, organisation_id, count = busiest
    organisation = Organisation.objects.get(pk=organisation_id)
    actor = Actor(user=worker, organisation=organisation, roles=frozenset({Role.PERSONAL_COACH}))

    seconds = median_seconds(lambda: _page(actor, worker), RUNS)
    naive = median_seconds(lambda: _naive_worklist(worker), RUNS)
    return {
        "worklist_one_worker": {
            "size": count,
            "unit": "ms",
            "value": round(seconds * 1000, 1),
            "naive_value": round(naive * 1000, 1),
            "naive": "every check client by client with a full engine explanation",
            "ratio": round(naive / seconds, 1),
            "note": f"median of {RUNS}; the busiest worker's clients of "
            f"{Client.objects.count()} clients in the database",
        },
        "worklist_workers_p95": _workers_p95(organisation),
    }


def _page(actor: Actor, worker: User) -> None:
    with transaction.atomic():
        worklist_get(
            actor=actor, worker_ids=(worker.pk,), today=AS_OF, now=timezone.now(), view="bench"
        )
        transaction.set_rollback(True)  # measuring must not fill the access log


def _workers_p95(organisation: Organisation) -> dict[str, Any]:
    """Each sampled worker's own worklist once: the spread a team sees, not one warm page."""
    workers = User.objects.filter(
        memberships__organisation=organisation, memberships__role=Role.PERSONAL_COACH
    ).order_by("id")[:SAMPLED_WORKERS]
    seconds: list[float] = []
    for worker in workers:
        actor = Actor(
            user=worker, organisation=organisation, roles=frozenset({Role.PERSONAL_COACH})
        )
        seconds += timings(lambda: _page(actor, worker), runs=1)  # noqa: B023 - called at once
    return {
        "size": Client.objects.filter(organisation=organisation).count(),
        "unit": "ms",
        "value": percentile_ms(seconds, 95) if seconds else None,
        "p50": percentile_ms(seconds, 50) if seconds else None,
        "note": f"p95 over {len(seconds)} workers' own worklists (all sections), one run each",
    }
