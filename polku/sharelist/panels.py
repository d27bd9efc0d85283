"""The share-list panel on the client page: payments on Kela's list and contact attempts."""

from datetime import date

from polku.accounts.roles import Actor, Capability
from polku.clients.models import Client
from polku.clients.panels import Panel
from polku.sharelist.selectors import client_contacts, client_share_rows


def share_list_panel(client: Client, actor: Actor, today: date) -> Panel:
    return Panel(
        template="sharelist/panel.html",
        context={
            "client_id": client.pk,
            "rows": client_share_rows(client=client, limit=12),
            "contacts": client_contacts(client=client),
            "can_review": actor.can(Capability.REVIEW_SHARE_LIST),
        },
    )
