"""Locust scenario: caseworkers signing in and going through their day (SPEC §4).

Each simulated worker takes its own ``kuormaNN`` account from the targets file
(``LOADTEST_TARGETS``, written by ``loadtest.seed``), signs in with the password and
the code computed from the demo authenticator key, then loops: search a client, open
a client page, the own worklist, a placement's attendance grid, a plan's review page,
thinking 1–3 s between pages as a person does.
"""

import itertools
import json
import os
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import django
from locust import HttpUser, SequentialTaskSet, between, task

# Settings only, for the demo's password and code; the load generator never queries.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from polku.demo.management.commands.demo import DEMO_PASSWORD, demo_code  # noqa: E402

TARGETS: list[dict[str, Any]] = json.loads(
    Path(os.environ.get("LOADTEST_TARGETS", "build/loadtest/targets.json")).read_text()
)
_accounts: Iterator[dict[str, Any]] = itertools.cycle(TARGETS)


class WorkingDay(SequentialTaskSet):
    """One round of a caseworker's usual pages; the round repeats until the test ends."""

    @property
    def worker(self) -> "Caseworker":
        return cast("Caseworker", self.user)

    def _get(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as response:
            self.worker.expect_page(response)

    @task
    def search_client(self) -> None:
        surname = random.choice(self.worker.targets["surnames"])
        with self.client.post(
            "/clients/",
            data={"q": surname, "csrfmiddlewaretoken": self.worker.csrf_token()},
            headers={"HX-Request": "true", "X-CSRFToken": self.worker.csrf_token()},
            name="search client (POST /clients/)",
            catch_response=True,
        ) as response:
            self.worker.expect_page(response)

    @task
    def client_page(self) -> None:
        client_id = random.choice(self.worker.targets["clients"])
        self._get(f"/clients/{client_id}/", "client page /clients/[id]/")

    @task
    def worklist(self) -> None:
        self._get("/worklist/", "own worklist /worklist/")

    @task
    def attendance_grid(self) -> None:
        if self.worker.targets["placements"]:
            placement_id = random.choice(self.worker.targets["placements"])
            url = f"/services/placements/{placement_id}/attendance/"
            self._get(url, "attendance grid /services/placements/[id]/attendance/")

    @task
    def plan_review(self) -> None:
        if self.worker.targets["plans"]:
            client_id, plan_id = random.choice(self.worker.targets["plans"])
            url = f"/plans/{client_id}/{plan_id}/review/"
            self._get(url, "plan review /plans/[client]/[plan]/review/")


class Caseworker(HttpUser):
    wait_time = between(1, 3)
    tasks = [WorkingDay]

    def on_start(self) -> None:
        self.targets = next(_accounts)
        self.sign_in()

    def csrf_token(self) -> str:
        return str(self.client.cookies.get("csrftoken", ""))

    def expect_page(self, response: Any) -> None:
        """A page counts only when it came back 200 and was not the sign-in page."""
        if response.status_code != 200:
            response.failure(f"status {response.status_code} {response.error or ''}".strip())
        elif "/accounts/" in response.url:
            response.failure(f"landed on {response.url}")
        else:
            response.success()

    def sign_in(self) -> None:
        self.client.get("/accounts/login/", name="login: form")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.targets["username"],
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": self.csrf_token(),
            },
            name="login: password",
            catch_response=True,
        ) as response:
            if "/accounts/second-factor/" not in response.url:
                response.failure(f"password not accepted, landed on {response.url}")
        with self.client.post(
            "/accounts/second-factor/",
            data={"token": demo_code(datetime.now(UTC)), "csrfmiddlewaretoken": self.csrf_token()},
            name="login: code",
            catch_response=True,
        ) as response:
            self.expect_page(response)
