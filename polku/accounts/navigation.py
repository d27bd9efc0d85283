"""Where each role starts its day and which main-menu links it sees.

One place derives both from the same capabilities the views check with
``policy.require``, so a menu never offers a page that would answer 403 and the
sign-in lands on the role's own work: the worklist for caseworkers and coaches,
attendance for workshop instructors and placement supervisors, allowances and
claims for the office clerk, the monthly report for the manager.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import ResolverMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.accounts.roles import Actor, Capability


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url: str
    current: bool


# The first entry whose capability the actor has is where signing in lands.
# Attendance comes before the worklist: a workshop instructor's day is the
# attendance of the groups and placements they instruct.
LANDING: tuple[tuple[Capability, str], ...] = (
    (Capability.RECORD_ATTENDANCE, "services:index"),
    (Capability.VIEW_WORKLIST, "reports:worklist"),
    (Capability.MANAGE_CLAIMS, "services:allowance_list"),
    (Capability.VIEW_REPORTS, "monitoring:monthly"),
    (Capability.MANAGE_EMPLOYERS, "employment:employer_list"),
    (Capability.VIEW_CLIENTS, "clients:list"),
    (Capability.VIEW_COSTS, "sharelist:costs"),
)


def landing_url(actor: Actor) -> str:
    """The page a signed-in actor starts from (``/`` and the sign-in redirect)."""
    for capability, url_name in LANDING:
        if actor.can(capability):
            return reverse(url_name)
    if actor.user.is_staff:
        return reverse("admin:index")
    return reverse("accessibility")  # a role with no page of its own (none today)


def _entries(actor: Actor) -> Iterator[tuple[str | Promise, str, tuple[str, ...]]]:
    """(label, URL name, view names or namespaces that mark the link current)."""
    if actor.can(Capability.VIEW_WORKLIST):
        yield _("Työlista"), "reports:worklist", ("reports:worklist",)
    if actor.can(Capability.VIEW_TEAM_WORKLIST):
        yield _("Tiimin työlista"), "reports:team_worklist", ("reports:team_worklist",)
    if actor.can(Capability.MANAGE_MEETINGS):
        yield _("Kalenteri"), "referrals:calendar", ("referrals",)
    if actor.can(Capability.VIEW_CLIENTS):
        yield _("Asiakkaat"), "clients:list", ("clients", "plans")
        yield _("Palvelut ja työtoiminta"), "services:index", ("services", "ktt")
    if actor.can(Capability.REVIEW_SHARE_LIST):
        yield _("Kuntaosuuslista"), "sharelist:review", ("sharelist",)
    elif actor.can(Capability.IMPORT_SHARE_LIST):
        yield _("Kuntaosuuslista"), "sharelist:import", ("sharelist",)
    elif actor.can(Capability.VIEW_COSTS):
        yield _("Kuntaosuuslista"), "sharelist:costs", ("sharelist",)
    if actor.can(Capability.VIEW_CLIENTS):
        yield _("Työllistäminen"), "employment:index", ("employment",)
    elif actor.can(Capability.VIEW_COSTS):
        yield _("Työllistäminen"), "employment:budget", ("employment",)
    if actor.can(Capability.VIEW_REPORTS):
        yield _("Seuranta"), "monitoring:monthly", ("monitoring",)
    if actor.user.is_staff:
        yield _("Ylläpito"), "admin:index", ("admin",)


def main_menu(actor: Actor, match: ResolverMatch | None) -> list[MenuItem]:
    view_name = match.view_name if match else ""
    namespace = match.namespace if match else ""
    return [
        MenuItem(label, reverse(url_name), view_name in marks or namespace in marks)
        for label, url_name, marks in _entries(actor)
    ]
