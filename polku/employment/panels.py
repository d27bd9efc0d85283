"""The client page's section on obligated employment and pay-subsidised work."""

from datetime import date

from polku.accounts.roles import Actor
from polku.clients.models import Client
from polku.clients.panels import Panel
from polku.employment import selectors


def employment_panel(client: Client, actor: Actor, today: date) -> Panel:
    return Panel(
        template="employment/_panel.html",
        context={
            "client_id": client.pk,
            "cases": selectors.client_obligations(client=client)[:3],
            "subsidies": selectors.client_subsidies(client=client)[:3],
        },
    )
