"""The client page's panel: referrals and handovers, sote-team bookings, meetings, summaries."""

from datetime import date

from polku.accounts.roles import Actor, Capability
from polku.clients.models import Client
from polku.clients.panels import Panel
from polku.referrals.models import Referral
from polku.referrals.selectors import client_referrals


def client_panel(client: Client, actor: Actor, today: date) -> Panel:
    return Panel(
        template="referrals/_panel.html",
        context={
            "client": client,
            "data": client_referrals(client=client, today=today),
            "kinds": Referral.Kind.choices,
            "can_refer": actor.can(Capability.MANAGE_REFERRALS),
            "can_meet": actor.can(Capability.MANAGE_MEETINGS),
        },
    )
