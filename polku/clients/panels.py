"""Sections other apps add to the client page (plans, services, referrals, ...).

Each entry is the dotted path of a function ``(client, actor, today) -> Panel``; the
function reads through its own app's selectors (one or two queries, no N+1) and the
client page includes ``panel.template`` with ``panel`` in the context. The client
was already opened through the access policy, so panels do not log the read again.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from polku.accounts.roles import Actor
from polku.clients.models import Client


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelBuilder = Callable[[Client, Actor, date], Panel]

# In page order.
CLIENT_PANELS: tuple[str, ...] = (
    "polku.plans.panels.plans_panel",
    "polku.referrals.panels.client_panel",
    "polku.service_episodes.panels.services_panel",
    "polku.ktt.panels.work_evaluations_panel",
    "polku.sharelist.panels.share_list_panel",
    "polku.employment.panels.employment_panel",
    "polku.reports.panels.questionnaires_panel",
)


def client_panels(*, client: Client, actor: Actor, today: date) -> list[Panel]:
    builders: list[PanelBuilder] = [_builder(path) for path in CLIENT_PANELS]
    return [build(client, actor, today) for build in builders]


def _builder(path: str) -> PanelBuilder:
    module, name = path.rsplit(".", 1)
    builder: PanelBuilder = getattr(importlib.import_module(module), name)
    return builder
