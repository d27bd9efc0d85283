"""What every demo stage receives: the organisation, its users and clients, a seeded RNG.

A stage is a module with ``populate(context: DemoContext) -> str`` that adds its
part of the living demo (plans, services, the share list, ...), does nothing when its
data is already there (the demo command is idempotent) and returns one line for
the command's report.
"""

import random
from dataclasses import dataclass
from datetime import datetime

from polku.accounts.models import Organisation, User
from polku.clients.models import Client


@dataclass(frozen=True)
class DemoContext:
    organisation: Organisation
    users: dict[str, User]  # by demo username, e.g. "valmentaja", "sosiaaliohjaaja"
    caseworkers: list[User]
    clients: list[Client]  # every client of the organisation, by id
    rng: random.Random
    now: datetime
