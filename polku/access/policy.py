"""The only door to client data.

Every read of a client's data goes through this module. It decides from the
organisation, the actor's capabilities and the care relationship (SPEC §1) and
writes the access-log row in the same transaction as the read.

- Another organisation's client does not exist for the actor: ``Http404``.
- A client of the actor's own organisation without a care relationship is
  ``NoCareRelationship`` (403), which a reasoned break-glass opening lifts for a
  limited time.
- A few tasks read clients without a care relationship but only within the task
  (``Task``): e.g. the office clerk computes every KTT participant's expense allowance
  from attendance. Each read under a task is logged with the task as its basis.
"""

import importlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.access.models import BreakGlassGrant
from polku.accounts.roles import Actor, Capability
from polku.audit import services as audit
from polku.audit.events import BREAK_GLASS_GRANTED
from polku.audit.models import AccessLogEntry
from polku.clients.models import CareAssignment, Client

MIN_REASON_LENGTH = 10  # letters, not counting spaces, digits or punctuation
MIN_REASON_WORDS = 2  # distinct words of at least two different letters
_LETTERS = re.compile(r"[^\W\d_]+")


def reason_is_written(reason: str) -> bool:
    """Whether a break-glass reason is made of real words.

    Invisible and format characters (zero-width spaces, direction marks) are dropped
    first; then the reason needs ``MIN_REASON_LENGTH`` letters forming at least
    ``MIN_REASON_WORDS`` different words, none a single repeated letter, so neither
    ten invisible characters nor ``aaaaaaaaaa`` nor ``aaaa aaaa aaaa`` will do.
    """
    visible = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in reason
        if unicodedata.category(char) not in ("Cf", "Co", "Cn", "Cs")
    )
    words = _LETTERS.findall(visible)
    distinct = {word.casefold() for word in words if len(set(word.casefold())) >= 2}
    letters = sum(len(word) for word in words)
    return letters >= MIN_REASON_LENGTH and len(distinct) >= MIN_REASON_WORDS


class CapabilityMissing(PermissionDenied):
    """The actor's roles do not allow this action."""


class NoCareRelationship(PermissionDenied):
    """The client is in the actor's organisation but the actor has no care relationship."""

    def __init__(self, client_id: int) -> None:
        super().__init__(_("Sinulla ei ole asiakassuhdetta tähän asiakkaaseen."))
        self.client_id = client_id


class OutsideTask(PermissionDenied):
    """The client is in the actor's organisation but not among the clients the task covers."""


class ReasonRequired(ValueError):
    """Break-glass access needs a written reason."""


def require(actor: Actor, capability: Capability) -> None:
    if not actor.can(capability):
        raise CapabilityMissing(_("Roolisi ei salli tätä toimintoa."))


def clients_in_organisation(actor: Actor) -> QuerySet[Client]:
    """The actor's organisation's clients, before the care-relationship check."""
    require(actor, Capability.VIEW_CLIENTS)
    return Client.objects.filter(organisation=actor.organisation)


def care_relationship(actor: Actor, now: datetime) -> Q:
    """Responsible worker, an active care assignment, or an unexpired break-glass grant.

    Care assignments are started and ended by the services: taking part in an open plan
    as a worker (basis plan), a service or placement (service), a list to work through
    (list).
    """
    assigned = CareAssignment.objects.filter(
        client=OuterRef("pk"), worker=actor.user, ended_on__isnull=True
    )
    granted = BreakGlassGrant.objects.filter(
        client=OuterRef("pk"), user=actor.user, expires_at__gt=now
    )
    return Q(responsible_worker=actor.user) | Exists(assigned) | Exists(granted)


def clients_visible_to(actor: Actor, now: datetime) -> QuerySet[Client]:
    return clients_in_organisation(actor).filter(care_relationship(actor, now))


def _active_grant(actor: Actor, client_id: int, now: datetime) -> BreakGlassGrant | None:
    return (
        BreakGlassGrant.objects.filter(user=actor.user, client_id=client_id, expires_at__gt=now)
        .order_by("-granted_at")
        .first()
    )


def _client_in_organisation(actor: Actor, client_id: int) -> Client:
    try:
        return clients_in_organisation(actor).select_related("responsible_worker").get(pk=client_id)
    except Client.DoesNotExist as missing:
        raise Http404(_("Asiakasta ei löydy.")) from missing


def _has_relationship_without_grant(actor: Actor, client: Client) -> bool:
    if client.responsible_worker_id == actor.user.pk:
        return True
    return CareAssignment.objects.filter(
        client=client, worker=actor.user, ended_on__isnull=True
    ).exists()


def works_with(actor: Actor, client: Client) -> bool:
    """The actor's own lasting care relationship (responsible worker or an active care
    assignment); a break-glass grant does not count: it opens a record, it gives no right
    to take the client over."""
    return _has_relationship_without_grant(actor, client)


def ensure_reachable(*, actor: Actor, client_id: int, now: datetime) -> None:
    """Check that the actor may act on the client, without reading (or logging) any data.

    For requests that change something and may fail validation before the service
    opens the record.
    """
    client = _client_in_organisation(actor, client_id)
    if not _has_relationship_without_grant(actor, client) and not _active_grant(
        actor, client_id, now
    ):
        raise NoCareRelationship(client_id)


def reachable(*, actor: Actor, client_id: int, now: datetime) -> bool:
    """Whether ``ensure_reachable`` would pass: for choosing where to go next, reads nothing."""
    try:
        ensure_reachable(actor=actor, client_id=client_id, now=now)
    except NoCareRelationship:
        return False
    return True


@transaction.atomic
def client_open(*, actor: Actor, client_id: int, now: datetime, view: str) -> Client:
    """Open one client's record and log the read."""
    client = _client_in_organisation(actor, client_id)
    grant = None
    if not _has_relationship_without_grant(actor, client):
        grant = _active_grant(actor, client_id, now)
        if grant is None:
            raise NoCareRelationship(client_id)
    audit.access_record_many(
        at=now,
        user=actor.user,
        organisation=actor.organisation,
        client_ids=[client.pk],
        kind=AccessLogEntry.Kind.RECORD,
        channel=actor.channel,
        view=view,
        reason=grant.reason if grant else "",
        break_glass=grant is not None,
    )
    return client


def clients_shown(*, actor: Actor, clients: Sequence[Client], now: datetime, view: str) -> None:
    """Log that a list of clients was shown to the actor (one row per client)."""
    client_ids_shown(actor=actor, client_ids=[client.pk for client in clients], now=now, view=view)


def client_ids_shown(*, actor: Actor, client_ids: Sequence[int], now: datetime, view: str) -> None:
    """Log that the clients with these ids appeared in a list shown to the actor."""
    audit.access_record_many(
        at=now,
        user=actor.user,
        organisation=actor.organisation,
        client_ids=client_ids,
        kind=AccessLogEntry.Kind.LIST,
        channel=actor.channel,
        view=view,
    )


@transaction.atomic
def break_glass_open(
    *, actor: Actor, client_id: int, reason: str, now: datetime
) -> BreakGlassGrant:
    """Allow opening a record without a care relationship, for a stated reason, for a while.

    The grant itself is a change (history row); each read under it is logged by
    ``client_open`` with the reason.

    Raises:
        ReasonRequired: the reason is empty or too short to explain anything.
    """
    require(actor, Capability.BREAK_GLASS)
    reason = reason.strip()
    if not reason_is_written(reason):
        raise ReasonRequired(
            _("Kirjoita peruste sanoin: vähintään %(words)d eri sanaa ja %(count)d kirjainta.")
            % {"words": MIN_REASON_WORDS, "count": MIN_REASON_LENGTH}
        )
    client = _client_in_organisation(actor, client_id)
    grant = BreakGlassGrant.objects.create(
        user=actor.user,
        client=client,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(minutes=settings.POLKU_BREAK_GLASS_MINUTES),
    )
    audit.record(
        event=BREAK_GLASS_GRANTED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=grant,
        client_id=client.pk,
        changes={"reason": [None, reason]},
    )
    return grant


# ---------------------------------------------------------------- task-scoped reads


@dataclass(frozen=True)
class Task:
    """Work that reads clients without a care relationship, limited to the clients it covers.

    ``clients`` is the dotted path of the owning app's ``() -> Q`` over ``Client`` (like the
    worklist sections, so this module imports no business app). ``basis`` is written in the
    access log's reason column in Finnish, the log's language, as break-glass reasons are.
    """

    code: str
    capability: Capability
    clients: str
    basis: str
    outside: str | Promise  # why a client outside the task is refused, in the user's language


# Kulukorvaus / toimintaraha: paid for the days attended in KTT (TTL 10:6, 189/2001 § 18),
# so the clerk needs the participants and their attendance, not a care relationship.
KTT_ALLOWANCE = Task(
    code="ktt_allowance",
    capability=Capability.MANAGE_CLAIMS,
    clients="polku.service_episodes.selectors.ktt_participants",
    basis="Tehtävä: KTT-osallistujan kulukorvaus läsnäoloista",
    outside=gettext_lazy(
        "Asiakas ei ole kuntouttavan työtoiminnan osallistuja: "
        "kulukorvausta lasketaan vain allekirjoitetun KTT-sopimuksen osallistujille."
    ),
)


def _task_scope(task: Task) -> Q:
    module, name = task.clients.rsplit(".", 1)
    scope: Callable[[], Q] = getattr(importlib.import_module(module), name)
    return scope()


def clients_for_task(actor: Actor, task: Task) -> QuerySet[Client]:
    """The actor's organisation's clients that the task covers (nothing is logged yet)."""
    require(actor, task.capability)
    return clients_in_organisation(actor).filter(_task_scope(task))


@transaction.atomic
def client_open_for_task(
    *, actor: Actor, client_id: int, task: Task, now: datetime, view: str
) -> Client:
    """Open one client's record for a task and log the read with the task as its basis.

    Raises:
        Http404: the client is another organisation's.
        OutsideTask: the client is not one the task covers.
    """
    client = _client_in_organisation(actor, client_id)
    if not clients_for_task(actor, task).filter(pk=client.pk).exists():
        raise OutsideTask(str(task.outside))
    _log_for_task(actor, task, [client.pk], AccessLogEntry.Kind.RECORD, now, view)
    return client


def client_ids_shown_for_task(
    *, actor: Actor, task: Task, client_ids: Sequence[int], now: datetime, view: str
) -> None:
    """Log that these clients appeared in a task's list (one row per client, with the task)."""
    _log_for_task(actor, task, client_ids, AccessLogEntry.Kind.LIST, now, view)


def _log_for_task(
    actor: Actor, task: Task, client_ids: Sequence[int], kind: str, now: datetime, view: str
) -> None:
    audit.access_record_many(
        at=now,
        user=actor.user,
        organisation=actor.organisation,
        client_ids=client_ids,
        kind=kind,
        channel=actor.channel,
        view=view,
        reason=task.basis,
    )
