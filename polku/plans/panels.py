"""The plans panel of the client page (``polku.clients.panels.CLIENT_PANELS``)."""

from datetime import date

from polku.accounts.roles import Actor, Capability
from polku.clients.models import Client
from polku.clients.panels import Panel
from polku.plans.selectors import client_plans


def plans_panel(client: Client, actor: Actor, today: date) -> Panel:
    """The client's plans with type, status and next review; one query."""
    return Panel(
        template="plans/_panel.html",
        context={
            "client": client,
            "plans": client_plans(client=client),
            "today": today,
            "can_manage": actor.can(Capability.MANAGE_PLANS),
        },
    )
