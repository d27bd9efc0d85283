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
    MANAGE_PLANS = "manage_plans"  # plans, reviews, interruptions
    MANAGE_REFERRALS = "manage_referrals"  # referrals, handovers, team bookings, summaries
    MANAGE_MEETINGS = "manage_meetings"  # appointments and the worker's calendar
    VIEW_WORKLIST = "view_worklist"  # one's own worklist
    VIEW_TEAM_WORKLIST = "view_team_worklist"  # every worker's items in the organisation
    MANAGE_SERVICES = "manage_services"  # service episodes, KTT contracts, groups
    DECIDE_KTT = "decide_ktt"  # the social counsellor's KTT decision (päätös)
    MANAGE_PLACEMENTS = "manage_placements"  # placements and the service catalogue
    RECORD_ATTENDANCE = "record_attendance"
    WRITE_WORK_EVALUATIONS = "write_work_evaluations"  # työarvio during KTT (seed 002)
    MANAGE_CLAIMS = "manage_claims"  # expense allowances, reimbursement claims to KEHA-keskus
    IMPORT_SHARE_LIST = "import_share_list"
    REVIEW_SHARE_LIST = "review_share_list"  # the monthly review meeting, contact attempts
    # Lead the monthly review: give anyone on the list a worker or contact, and reassign
    # one another worker already holds. Others assign only persons they already work with.
    ASSIGN_FROM_SHARE_LIST = "assign_from_share_list"
    VIEW_COSTS = "view_costs"  # aggregate euros, no client detail
    VIEW_REPORTS = "view_reports"  # the monthly monitoring report: anonymous aggregates only
    MANAGE_GOALS = "manage_goals"  # goals, targets, figures, partner agreements, month close
    MANAGE_EMPLOYERS = "manage_employers"  # employers register (business coordinator)
    MANAGE_EMPLOYMENT = "manage_employment"  # obligated employment, pay-subsidy applications
    HANDLE_DATA_REQUESTS = "handle_data_requests"  # GDPR: access-log report, export, restriction


_CASEWORK = frozenset(
    {
        Capability.VIEW_CLIENTS,
        Capability.CREATE_CLIENTS,
        Capability.EDIT_CLIENTS,
        Capability.ASSIGN_RESPONSIBLE_WORKER,
        Capability.MANAGE_CONSENTS,
        Capability.BREAK_GLASS,
        Capability.BE_RESPONSIBLE_WORKER,
        Capability.MANAGE_PLANS,
        Capability.MANAGE_REFERRALS,
        Capability.MANAGE_MEETINGS,
        Capability.VIEW_WORKLIST,
        Capability.MANAGE_SERVICES,
        Capability.REVIEW_SHARE_LIST,
        Capability.HANDLE_DATA_REQUESTS,
        Capability.MANAGE_EMPLOYMENT,
    }
)

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    # Only the social counsellor confirms the KTT decision (sosiaalihuoltolaki, laki
    # kuntouttavasta työtoiminnasta 189/2001).
    Role.SOCIAL_COUNSELLOR: _CASEWORK | {Capability.DECIDE_KTT},
    Role.PERSONAL_COACH: _CASEWORK,
    Role.LEAD_COACH: _CASEWORK
    | {
        Capability.VIEW_TEAM_WORKLIST,
        Capability.MANAGE_PLACEMENTS,
        Capability.IMPORT_SHARE_LIST,
        Capability.ASSIGN_FROM_SHARE_LIST,
        Capability.VIEW_COSTS,
        Capability.MANAGE_EMPLOYERS,
        Capability.VIEW_REPORTS,
        Capability.WRITE_WORK_EVALUATIONS,
    },
    Role.OUTREACH_YOUTH_WORKER: _CASEWORK,
    Role.WORK_COACH: frozenset(
        {
            Capability.VIEW_CLIENTS,
            Capability.BREAK_GLASS,
            Capability.BE_RESPONSIBLE_WORKER,
            Capability.MANAGE_MEETINGS,
            Capability.VIEW_WORKLIST,
            Capability.RECORD_ATTENDANCE,
            # Work coaches write the work evaluation (työarvio) of the work they instruct;
            # the personal coach sends it to the doctor (MANAGE_REFERRALS, seed 002).
            Capability.WRITE_WORK_EVALUATIONS,
        }
    ),
    Role.OFFICE_CLERK: frozenset(
        {
            Capability.VIEW_CLIENTS,
            Capability.MANAGE_CLAIMS,
            Capability.IMPORT_SHARE_LIST,
            Capability.VIEW_COSTS,
            Capability.MANAGE_EMPLOYMENT,
        }
    ),
    Role.BUSINESS_COORDINATOR: frozenset(
        {Capability.VIEW_CLIENTS, Capability.MANAGE_PLACEMENTS, Capability.MANAGE_EMPLOYERS}
    ),
    # Supervisors see only the clients placed at their unit: a care relationship, never break-glass.
    Role.PLACEMENT_SUPERVISOR: frozenset({Capability.VIEW_CLIENTS, Capability.RECORD_ATTENDANCE}),
    # Managers follow reports, goals and costs, not client-level detail (SPEC §1).
    Role.MANAGER: frozenset(
        {Capability.VIEW_COSTS, Capability.VIEW_REPORTS, Capability.MANAGE_GOALS}
    ),
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
