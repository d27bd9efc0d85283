"""The client page's work evaluations (työarvio) during KTT."""

from datetime import date

from polku.accounts.roles import Actor, Capability
from polku.clients.models import Client
from polku.clients.panels import Panel
from polku.ktt import selectors


def work_evaluations_panel(client: Client, actor: Actor, today: date) -> Panel:
    """Shown for clients who are or have been in KTT (two queries)."""
    in_ktt = selectors.evaluable_contracts(client=client).exists()
    return Panel(
        template="ktt/_panel.html",
        context={
            "client_id": client.pk,
            "in_ktt": in_ktt,
            "evaluations": selectors.client_evaluations(client=client),
            "can_write": in_ktt and actor.can(Capability.WRITE_WORK_EVALUATIONS),
        },
    )
