"""Sections other apps add to the client page (plans, services, referrals, ...).

Each entry is the dotted path of a function ``(client, actor, today) -> Panel``; the
function reads through its own app's selectors (one or two queries, no N+1) and the
client page includes ``panel.template`` with ``panel`` in the context. The client
was already opened through the access policy, so panels do not log the read again.
"""

import dataclasses
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
    group: str = ""  # the collapsible part of the client page it sits in (set below)


PanelBuilder = Callable[[Client, Actor, date], Panel]

# In page order, each with the part of the page it belongs to (clients/detail.html
# shows the parts as collapsible <details>): "plans", "services", "referrals", "feedback".
CLIENT_PANELS: tuple[tuple[str, str], ...] = (
    ("plans", "polku.plans.panels.plans_panel"),
    ("services", "polku.service_episodes.panels.services_panel"),
    ("services", "polku.ktt.panels.work_evaluations_panel"),
    ("services", "polku.employment.panels.employment_panel"),
    ("services", "polku.sharelist.panels.share_list_panel"),
    ("referrals", "polku.referrals.panels.client_panel"),
    ("feedback", "polku.reports.panels.questionnaires_panel"),
)


def client_panels(*, client: Client, actor: Actor, today: date) -> list[Panel]:
    return [
        dataclasses.replace(_builder(path)(client, actor, today), group=group)
        for group, path in CLIENT_PANELS
    ]


def _builder(path: str) -> PanelBuilder:
    module, name = path.rsplit(".", 1)
    builder: PanelBuilder = getattr(importlib.import_module(module), name)
    return builder
