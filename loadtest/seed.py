"""Give the demo organisation one account per simulated worker and write what each works on.

Run after ``manage.py demo`` on the load-test database: ``python -m loadtest.seed N OUT``.
Each sign-in code works only once per account (replay protection), so fifty simulated
workers cannot share the eleven demo accounts; each gets its own ``kuormaNN`` account
(personal coach and work coach, the demo password and authenticator key). The demo
caseworkers' clients are dealt out among them as if these workers had always held them,
so every own worklist, search and client page has realistic content. ``OUT`` receives
the JSON the locustfile reads: per account its clients, surnames to search for, active
plans and the placements where its clients work.
"""

import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from polku.accounts.models import Membership, Organisation, User  # noqa: E402
from polku.accounts.roles import Role  # noqa: E402
from polku.clients.models import Client, ResponsibleWorkerPeriod  # noqa: E402
from polku.demo.management.commands.demo import ORGANISATION_SLUG, _user  # noqa: E402
from polku.plans.models import Plan, PlanStatus  # noqa: E402
from polku.service_episodes.models import ServiceEpisode  # noqa: E402

TARGETS_PER_KIND = 20  # plenty to vary the pages a simulated worker opens


def worker_name(number: int) -> str:
    return f"kuorma{number:02d}"


def _workers(organisation: Organisation, count: int) -> list[User]:
    workers = []
    for number in range(1, count + 1):
        user = _user(
            worker_name(number), "Kuorma", f"Testaaja {number}", organisation, Role.PERSONAL_COACH
        )
        Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.WORK_COACH)
        workers.append(user)
    return workers


def _deal_clients(organisation: Organisation, workers: list[User]) -> dict[int, list[int]]:
    """Hand every client that has a responsible worker to the load-test workers in turn."""
    client_ids = list(
        Client.objects.filter(organisation=organisation, responsible_worker__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    dealt = {worker.pk: client_ids[index :: len(workers)] for index, worker in enumerate(workers)}
    for worker_id, ids in dealt.items():
        Client.objects.filter(pk__in=ids).update(responsible_worker_id=worker_id)
        ResponsibleWorkerPeriod.objects.filter(client_id__in=ids, ended_on__isnull=True).update(
            worker_id=worker_id
        )
    return dealt


def _targets(worker: User, client_ids: list[int]) -> dict[str, object]:
    clients = Client.objects.filter(pk__in=client_ids).order_by("pk")
    plans = Plan.objects.filter(client_id__in=client_ids, status=PlanStatus.ACTIVE).order_by("pk")
    placements = (
        ServiceEpisode.objects.filter(
            client_id__in=client_ids, placement__isnull=False, ended_on__isnull=True
        )
        .order_by("placement_id")
        .values_list("placement_id", flat=True)
        .distinct()
    )
    return {
        "username": worker.username,
        "clients": client_ids[:TARGETS_PER_KIND],
        "surnames": sorted({c.last_name for c in clients[:TARGETS_PER_KIND]}),
        "plans": [[p.client_id, p.pk] for p in plans[:TARGETS_PER_KIND]],
        "placements": list(placements[:TARGETS_PER_KIND]),
    }


def main(count: int, out: Path) -> None:
    organisation = Organisation.objects.get(slug=ORGANISATION_SLUG)
    workers = _workers(organisation, count)
    dealt = _deal_clients(organisation, workers)
    targets = [_targets(worker, dealt[worker.pk]) for worker in workers]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(targets, indent=1))
    print(f"{count} load-test workers (kuorma01–{worker_name(count)}), targets in {out}")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
