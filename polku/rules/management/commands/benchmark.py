"""``python manage.py benchmark --json`` (CONTRACTS.md §4): measured figures with their sizes.

First the synthetic deployment of the asked size is written to the configured database
(or reused when an earlier run wrote it: ``polku.demo.scale``); then each figure module
measures against the largest organisation in the database. Here: the rules engine's batch
screening of the activation-plan obligation against the naive per-client decision with a
full explanation, and the same screening streamed from the database.
"""

import importlib
import json
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from polku.clients.benchmarks import largest_organisation
from polku.core.benchmarking import timings
from polku.demo.scale import deployment_ensure
from polku.rules.engine.activation_plan import decide_activation_plan
from polku.rules.engine.batch import activation_plan_required_many
from polku.rules.facts import activation_plan_facts
from polku.rules.selectors import clients_meeting_activation_criteria

AS_OF = date(2026, 11, 24)
# Modules with ``figures(clients: int) -> dict[str, dict]``: each capability's measurements.
FIGURE_MODULES: tuple[str, ...] = (
    "polku.reports.benchmarks",
    "polku.clients.benchmarks",
    "polku.sharelist.benchmarks",
    "polku.service_episodes.benchmarks",
    "polku.reports.report_benchmarks",
)
INCOMES = ("unemployment_benefit", "labour_market_subsidy", "social_assistance", "other")


def _seconds(work: Callable[[], object]) -> float:
    (seconds,) = timings(work, runs=1)
    return seconds


def _synthetic_facts(count: int, seed: int) -> list[tuple[int, Any]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic benchmark data, not security
    return [
        (
            index,
            activation_plan_facts(
                birth_date=AS_OF - timedelta(days=rng.randint(17 * 365, 64 * 365)),
                main_income=rng.choice(INCOMES),
                lms_days_total=rng.randint(0, 1400),
                lms_days_last_12_months=rng.randint(0, 260),
                lms_days_after_max_period=rng.randint(0, 400),
                daily_allowance_max_period_exhausted=rng.random() < 0.3,
                social_assistance_months=rng.randint(0, 24),
                has_employment_plan=rng.random() < 0.7,
                job_search_discussion_held=rng.random() < 0.5,
            ),
        )
        for index in range(count)
    ]


def rules_batch_figure(count: int) -> dict[str, Any]:
    facts = _synthetic_facts(count, seed=2026)
    batch = _seconds(
        lambda: sum(required for _, required in activation_plan_required_many(facts, AS_OF))
    )
    naive = _seconds(lambda: [decide_activation_plan(item, AS_OF) for _, item in facts])
    return {
        "size": count,
        "unit": "clients/s",
        "value": round(count / batch),
        "naive_value": round(count / naive),
        "naive": "decide_activation_plan with a full explanation, one client at a time",
        "ratio": round(naive / batch, 1),
    }


def rules_batch_from_database_figure() -> dict[str, Any] | None:
    largest = largest_organisation()
    if largest is None:
        return None
    organisation, clients = largest
    seconds = _seconds(
        lambda: clients_meeting_activation_criteria(organisation_id=organisation.pk, as_of=AS_OF)
    )
    return {
        "size": clients,
        "unit": "clients/s",
        "value": round(clients / seconds),
        "seconds": round(seconds, 3),
        "note": "one streamed query over the organisation's clients, then the batch screening",
    }


def deployment_figure(clients: int, events: int | None) -> dict[str, Any]:
    started = time.perf_counter()
    deployment = deployment_ensure(
        clients=clients, events=events, today=timezone.localdate(), now=timezone.now()
    )
    return {
        "size": deployment.clients,
        "events": deployment.events,
        "unit": "s",
        "value": round(time.perf_counter() - started, 1),
        "note": "reused from an earlier run"
        if deployment.reused
        else f"written now: {deployment.written}",
    }


class Command(BaseCommand):
    help = "Measure Polku's performance figures and print them (with --json as one JSON object)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--clients", type=int, default=500_000, help="size (500000)")
        parser.add_argument(
            "--events", type=int, default=None, help="events of the deployment (20 per client)"
        )

    def handle(self, *args: object, **options: Any) -> None:
        figures = {
            "synthetic_deployment": deployment_figure(options["clients"], options["events"]),
            "rules_activation_plan_batch": rules_batch_figure(options["clients"]),
            "rules_activation_plan_batch_from_database": rules_batch_from_database_figure(),
        }
        for module in FIGURE_MODULES:
            figures.update(importlib.import_module(module).figures(options["clients"]))
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
            return
        for name, figure in figures.items():
            self.stdout.write(f"{name}: {figure}")
