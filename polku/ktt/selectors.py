"""Reads of KTT providers, the reimbursement allocation and work evaluations.

Providers and the allocation are the organisation's own, not client data (the
allocation shows counts and euros per unit only). Work evaluations are read from a
client already opened through ``polku.access.policy``, which logged the read.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import Organisation
from polku.accounts.roles import Actor, Capability
from polku.audit.events import WORK_EVALUATION_SENT
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client
from polku.ktt.models import (
    EVALUATION_TEXT_FIELDS,
    KttProvider,
    WorkEvaluation,
    WorkEvaluationVersion,
)
from polku.referrals.selectors import referral_recipients
from polku.rules.engine.decision import Step
from polku.rules.engine.ktt_provider import Arrangement
from polku.rules.engine.ktt_reimbursement_allocation import (
    AllocationFacts,
    AllocationLine,
    AllocationUnit,
    AttendedDay,
    decide_reimbursement_allocation,
)
from polku.service_episodes.claim_computation import claim_attendance
from polku.service_episodes.models import Attendance, AttendanceStatus, KttContract, Placement

# --------------------------------------------------------------------------- providers


def provider_list(*, actor: Actor) -> QuerySet[KttProvider]:
    """The organisation's providers with their placements (two queries)."""
    policy.require(actor, Capability.VIEW_CLIENTS)
    return (
        KttProvider.objects.filter(organisation=actor.organisation)
        .prefetch_related(Prefetch("placements", queryset=Placement.objects.order_by("name")))
        .order_by("arrangement", "name")
    )


def provider_choices(*, actor: Actor) -> QuerySet[KttProvider]:
    """The providers a placement can be put under."""
    return provider_list(actor=actor).filter(active=True)


def provider_get(*, actor: Actor, provider_id: int) -> KttProvider:
    provider = provider_list(actor=actor).filter(pk=provider_id).first()
    if provider is None:
        raise Http404(_("Tuottajaa ei löydy."))
    return provider


def provider_placements(*, provider: KttProvider, today: date) -> QuerySet[Placement]:
    """The provider's placements with their current occupancy."""
    active = Q(episodes__started_on__lte=today) & (
        Q(episodes__ended_on__isnull=True) | Q(episodes__ended_on__gte=today)
    )
    return (
        Placement.objects.filter(provider=provider)
        .annotate(occupancy=Count("episodes", filter=active))
        .order_by("name")
    )


# ----------------------------------------------------------- reimbursement allocation


@dataclass(frozen=True)
class AllocationRow:
    """One hosting unit's line; ``placement`` None collects days with no unit recorded."""

    placement: Placement | None
    line: AllocationLine


@dataclass(frozen=True)
class AllocationReport:
    start: date
    end: date
    rows: list[AllocationRow]
    reimbursable_days: int
    reimbursement: Any
    allocated: Any
    retained: Any
    steps: tuple[Step, ...]

    @property
    def participants(self) -> int:
        return sum(row.line.participants for row in self.rows)


def _unit_of_days(client_ids: list[int], start: date, end: date) -> dict[tuple[int, date], int]:
    """Where each participant attended each day: the placement, or the group's placement."""
    rows = Attendance.objects.filter(
        client_id__in=client_ids, status=AttendanceStatus.PRESENT, day__range=(start, end)
    ).values_list("client_id", "day", "placement_id", "group__placement_id")
    return {
        (client_id, attended): placement_id or group_placement_id
        for client_id, attended, placement_id, group_placement_id in rows.iterator(chunk_size=5000)
        if placement_id or group_placement_id
    }


def allocation_report(*, actor: Actor, start: date, end: date, today: date) -> AllocationReport:
    """The period's state reimbursement per hosting unit and the share allocated to each.

    The attended days are the claim's (``claim_attendance``: KTT participants' days
    within their contracts), so the total equals the claim of the same period; the
    rules engine divides them among the units (``ktt_reimbursement_allocation``).
    """
    policy.require(actor, Capability.VIEW_COSTS)
    days_by_client = claim_attendance(organisation_id=actor.organisation.pk, start=start, end=end)
    unit_of = _unit_of_days([client_id for client_id, _days in days_by_client], start, end)
    placements = {
        placement.pk: placement
        for placement in Placement.objects.filter(organisation=actor.organisation).select_related(
            "provider"
        )
    }
    units = tuple(
        AllocationUnit(
            str(placement.pk),
            Arrangement(placement.provider.arrangement),
            placement.provider.reimbursement_share,
        )
        for placement in placements.values()
    )
    participants = tuple(
        tuple(
            AttendedDay(attended, _unit_key(unit_of.get((client_id, attended))))
            for attended in days
        )
        for client_id, days in days_by_client
    )
    decision = decide_reimbursement_allocation(
        AllocationFacts(units, participants), min(end, today)
    )
    result = decision.result
    rows = [
        AllocationRow(placements[int(line.unit)] if line.unit else None, line)
        for line in result.lines
    ]
    return AllocationReport(
        start=start,
        end=end,
        rows=sorted(rows, key=_row_order),
        reimbursable_days=result.reimbursable_days,
        reimbursement=result.reimbursement,
        allocated=result.allocated,
        retained=result.retained,
        steps=decision.steps,
    )


def _unit_key(placement_id: int | None) -> str | None:
    return None if placement_id is None else str(placement_id)


def _row_order(row: AllocationRow) -> tuple[int, str, str]:
    if row.placement is None:
        return (1, "", "")
    return (0, row.placement.provider.name, row.placement.name)


# ------------------------------------------------------------------- work evaluations


@dataclass(frozen=True)
class AttendanceFigures:
    """The evaluation period's attendance marks, as the doctor reads them."""

    present: int
    sick: int
    excused: int
    unexcused: int
    days_per_week: int

    @property
    def marked(self) -> int:
        return self.present + self.sick + self.excused + self.unexcused

    @property
    def present_percent(self) -> int | None:
        return round(100 * self.present / self.marked) if self.marked else None

    def as_json(self) -> dict[str, int | None]:
        return {
            "present": self.present,
            "sick": self.sick,
            "excused": self.excused,
            "unexcused": self.unexcused,
            "marked": self.marked,
            "present_percent": self.present_percent,
            "days_per_week": self.days_per_week,
        }


def evaluation_attendance(
    *, client_id: int, contract: KttContract, start: date, end: date
) -> AttendanceFigures:
    counts = Counter(
        dict(
            Attendance.objects.filter(client_id=client_id, day__range=(start, end))
            .values("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
    )
    return AttendanceFigures(
        present=counts[AttendanceStatus.PRESENT],
        sick=counts[AttendanceStatus.SICK],
        excused=counts[AttendanceStatus.EXCUSED],
        unexcused=counts[AttendanceStatus.UNEXCUSED],
        days_per_week=contract.days_per_week,
    )


def client_evaluations(*, client: Client) -> list[WorkEvaluation]:
    """An opened client's work evaluations, newest period first."""
    return list(
        WorkEvaluation.objects.filter(client=client).select_related(
            "contract__placement", "created_by"
        )
    )


def evaluable_contracts(*, client: Client) -> QuerySet[KttContract]:
    """The opened client's KTT contracts that have started."""
    return (
        KttContract.objects.filter(
            episode__client=client,
            status__in=[
                KttContract.Status.SIGNED,
                KttContract.Status.INTERRUPTED,
                KttContract.Status.ENDED,
            ],
        )
        .select_related("placement")
        .order_by("-start")
    )


def evaluation_client_id(*, actor: Actor, evaluation_id: int) -> int:
    """Whose evaluation this is, within the actor's organisation (404 otherwise)."""
    policy.require(actor, Capability.VIEW_CLIENTS)
    found = (
        WorkEvaluation.objects.filter(pk=evaluation_id, organisation=actor.organisation)
        .values_list("client_id", flat=True)
        .first()
    )
    if found is None:
        raise Http404(_("Työarviota ei löydy."))
    return found


def evaluation_get(*, client: Client, evaluation_id: int) -> WorkEvaluation:
    evaluation = (
        WorkEvaluation.objects.filter(pk=evaluation_id, client=client)
        .select_related("contract__placement__provider", "created_by")
        .first()
    )
    if evaluation is None:
        raise Http404(_("Työarviota ei löydy."))
    return evaluation


def evaluation_versions(*, evaluation: WorkEvaluation) -> list[WorkEvaluationVersion]:
    return list(evaluation.versions.select_related("saved_by"))


def evaluation_version(*, evaluation: WorkEvaluation, version: int | None) -> WorkEvaluationVersion:
    """One saved version (the latest when ``version`` is None)."""
    versions = evaluation.versions.select_related("saved_by")
    found = versions.first() if version is None else versions.filter(version=version).first()
    if found is None:
        raise Http404(_("Versiota ei löydy."))
    return found


@dataclass(frozen=True)
class Sending:
    at: Any
    version: int
    recipient: str
    recipient_person: str
    sender: str


def evaluation_sendings(*, evaluation: WorkEvaluation) -> list[Sending]:
    """Every time the evaluation was sent to the doctor, newest first (change history)."""
    rows = list(
        ChangeLogEntry.objects.filter(
            object_type=WorkEvaluation._meta.label,
            object_id=str(evaluation.pk),
            event=WORK_EVALUATION_SENT.code,
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    names = dict(
        Organisation.objects.filter(
            pk__in=[row.changes["recipient"][1] for row in rows]
        ).values_list("pk", "name")
    )
    return [
        Sending(
            at=row.at,
            version=row.changes["version"][1],
            recipient=names.get(row.changes["recipient"][1], ""),
            recipient_person=row.changes.get("recipient_person", [None, ""])[1],
            sender=str(row.actor or ""),
        )
        for row in rows
    ]


def version_sections(*, version: WorkEvaluationVersion) -> list[tuple[str, str]]:
    """The saved texts with their headings, in the order the doctor reads them."""
    labels = {
        field.name: str(field.verbose_name)
        for field in WorkEvaluation._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    return [
        (labels[name].capitalize(), version.content.get(name, ""))
        for name in EVALUATION_TEXT_FIELDS
    ]


def sendable_organisations(*, actor: Actor) -> QuerySet[Organisation]:
    return referral_recipients(actor=actor)


def doctor_recipients(*, actor: Actor, client: Client) -> QuerySet[Organisation]:
    """Organisations the evaluation can be sent to (the consent gate decides on sending)."""
    return referral_recipients(actor=actor).exclude(pk=client.organisation_id)
