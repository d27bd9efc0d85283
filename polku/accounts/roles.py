"""Roles (SPEC §1) and what each may do.

Roles are stored on memberships; code asks for a Capability, never for a role
name, so the table below is the one place that says who may do what.
"""

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from polku.accounts.models import Organisation, User


class Role(models.TextChoices):
    SOCIAL_COUNSELLOR = "social_counsellor", _("Sosiaaliohjaaja / sosiaalityöntekijä")
    PERSONAL_COACH = "personal_coach", _("Yksilövalmentaja")
    LEAD_COACH = "lead_coach", _("Vastaava työ- ja yksilövalmentaja")
    WORK_COACH = "work_coach", _("Työvalmentaja / työnohjaaja")
    OUTREACH_YOUTH_WORKER = "outreach_youth_worker", _("Etsivä nuorisotyöntekijä")
    OFFICE_CLERK = "office_clerk", _("Toimistovirkailija")
    BUSINESS_COORDINATOR = "business_coordinator", _("Elinkeinokoordinaattori")
    PLACEMENT_SUPERVISOR = "placement_supervisor", _("Työtoimintapaikan ohjaaja")
    MANAGER = "manager", _("Esihenkilö / työllisyydenhoidon työryhmä")
    ADMINISTRATOR = "administrator", _("Pääkäyttäjä")


class Capability(enum.Enum):
    VIEW_CLIENTS = "view_clients"
    CREATE_CLIENTS = "create_clients"
    EDIT_CLIENTS = "edit_clients"
    ASSIGN_RESPONSIBLE_WORKER = "assign_responsible_worker"
    MANAGE_CONSENTS = "manage_consents"
    BREAK_GLASS = "break_glass"
    BE_RESPONSIBLE_WORKER = "be_responsible_worker"
    ADMINISTER = "administer"


_CASEWORK = frozenset(
    {
        Capability.VIEW_CLIENTS,
        Capability.CREATE_CLIENTS,
        Capability.EDIT_CLIENTS,
        Capability.ASSIGN_RESPONSIBLE_WORKER,
        Capability.MANAGE_CONSENTS,
        Capability.BREAK_GLASS,
        Capability.BE_RESPONSIBLE_WORKER,
    }
)

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.SOCIAL_COUNSELLOR: _CASEWORK,
    Role.PERSONAL_COACH: _CASEWORK,
    Role.LEAD_COACH: _CASEWORK,
    Role.OUTREACH_YOUTH_WORKER: _CASEWORK,
    Role.WORK_COACH: frozenset(
        {Capability.VIEW_CLIENTS, Capability.BREAK_GLASS, Capability.BE_RESPONSIBLE_WORKER}
    ),
    Role.OFFICE_CLERK: frozenset({Capability.VIEW_CLIENTS}),
    Role.BUSINESS_COORDINATOR: frozenset({Capability.VIEW_CLIENTS}),
    # Supervisors see only the clients placed at their unit: a care relationship, never break-glass.
    Role.PLACEMENT_SUPERVISOR: frozenset({Capability.VIEW_CLIENTS}),
    # Managers follow reports and goals, not client-level detail (SPEC §1).
    Role.MANAGER: frozenset(),
    Role.ADMINISTRATOR: frozenset({Capability.ADMINISTER}),
}


@dataclass(frozen=True)
class Actor:
    """A signed-in user acting in one organisation with the roles held there."""

    user: "User"
    organisation: "Organisation"
    roles: frozenset[Role]
    channel: str = "ui"  # "ui" or "api": where the access log says the read came from

    def can(self, capability: Capability) -> bool:
        return any(capability in ROLE_CAPABILITIES[role] for role in self.roles)
