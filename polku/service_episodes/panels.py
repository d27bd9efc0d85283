"""The client page's services section: episodes, KTT and the recent attendance summary."""

from datetime import date, timedelta

from polku.accounts.roles import Actor
from polku.clients.models import Client
from polku.clients.panels import Panel
from polku.service_episodes import selectors

SUMMARY_DAYS = 30


def services_panel(client: Client, actor: Actor, today: date) -> Panel:
    return Panel(
        template="service_episodes/_panel.html",
        context={
            "client_id": client.pk,
            "episodes": selectors.client_episodes(client=client)[:5],
            "summary": selectors.attendance_summary(
                client=client, start=today - timedelta(days=SUMMARY_DAYS), end=today
            ),
        },
    )
