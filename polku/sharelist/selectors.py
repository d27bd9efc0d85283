"""Reads of the share lists. Person-level reads go through ``polku.access.policy`` and are logged.

Access choice (SPEC C7, README): the list is the team's work-through list. Holders of
``REVIEW_SHARE_LIST`` see every person on the organisation's lists on the review page
(each row shown is written to the access log); a person's record opens to the contact
owner through a care assignment with basis ``list``, made when the meeting assigns them.
The cost view is aggregates only (``VIEW_COSTS``); the per-person costs need
``REVIEW_SHARE_LIST``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.fields.json import KT
from django.http import Http404
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import Organisation
from polku.accounts.roles import Actor, Capability
from polku.clients.models import Client
from polku.plans.models import Plan, PlanStatus
from polku.rules.engine.municipal_share import Benefit as EngineBenefit
from polku.rules.engine.municipal_share import (
    MunicipalShareFacts,
    Payment,
    PaymentBasis,
    decide_municipal_share,
)
from polku.sharelist.models import (
    FIELDS,
    Benefit,
    ColumnMapping,
    ContactAttempt,
    ShareListImport,
    ShareListRow,
)

PAGE_SIZE = 50
ZERO = Decimal("0.00")
ENGINE_BENEFITS = {
    Benefit.LMS.value: EngineBenefit.LMS,
    Benefit.BASIC_ALLOWANCE.value: EngineBenefit.BASIC_ALLOWANCE,
    Benefit.EARNINGS_ALLOWANCE.value: EngineBenefit.EARNINGS_ALLOWANCE,
}


class UnknownMapping(ValueError):
    """No column profile with that name for the organisation."""


def mapping_get(*, organisation: Organisation, name: str) -> ColumnMapping:
    """The organisation's own profile of that name, else the global one.

    Raises:
        UnknownMapping: neither exists.
    """
    mapping = (
        ColumnMapping.objects.filter(
            Q(organisation=organisation) | Q(organisation__isnull=True), name=name
        )
        .order_by(F("organisation").asc(nulls_last=True))
        .first()
    )
    if mapping is None:
        raise UnknownMapping(_("Sarakeprofiilia %(name)s ei ole.") % {"name": name})
    return mapping


def mappings_for(*, actor: Actor) -> QuerySet[ColumnMapping]:
    return ColumnMapping.objects.filter(
        Q(organisation=actor.organisation) | Q(organisation__isnull=True)
    ).order_by("name")


def import_get(*, actor: Actor, job_id: int) -> ShareListImport:
    policy.require(actor, Capability.IMPORT_SHARE_LIST)
    job = (
        ShareListImport.objects.select_related("mapping", "created_by")
        .filter(pk=job_id, organisation=actor.organisation)
        .first()
    )
    if job is None:
        raise Http404(_("Tuontia ei löydy."))
    return job


SUMMARY_COUNTS = ("rows", "imported", "unchanged", "new_clients")


def imports_recent(*, actor: Actor, limit: int = 20) -> list[ShareListImport]:
    policy.require(actor, Capability.IMPORT_SHARE_LIST)
    return list(
        ShareListImport.objects.filter(organisation=actor.organisation)
        .select_related("created_by")
        .defer("summary")  # up to 1,000 errors each: only the counts are listed
        .annotate(**{name: KT(f"summary__{name}") for name in SUMMARY_COUNTS})
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class Preview:
    """How the file's columns were understood, and its first rows as mapped fields."""

    columns: list[tuple[str, str | None]]  # field, header in the file (None: not found)
    rows: list[list[str]]  # in FIELDS order, identity codes masked


def import_preview_rows(*, job: ShareListImport) -> Preview:
    """How the checked file's columns were read and its first rows (identity codes masked),
    as the check stored them: the file itself is not kept once checked."""
    found = job.summary.get("columns", {})
    return Preview(
        columns=[(name, found.get(name)) for name in FIELDS], rows=job.summary.get("preview", [])
    )


def months(*, organisation_id: int, limit: int = 36) -> list[date]:
    """The months on the organisation's lists, newest first."""
    return list(
        ShareListRow.objects.filter(organisation_id=organisation_id)
        .values_list("month", flat=True)
        .distinct()
        .order_by("-month")[:limit]
    )


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


@dataclass(frozen=True)
class ReviewFilters:
    worker_id: int | None = None
    without_worker: bool = False
    not_contacted: bool = False
    needs_review: bool = False


@dataclass(frozen=True)
class ReviewRow:
    client: Client
    share: Decimal
    previous_share: Decimal | None
    days: int
    accumulated_days: int | None
    has_active_plan: bool
    contact_owner_name: str
    last_contact_on: date | None

    @property
    def trend(self) -> str:
        if self.previous_share is None:
            return "new"
        if self.share > self.previous_share:
            return "up"
        if self.share < self.previous_share:
            return "down"
        return "same"


@dataclass(frozen=True)
class ReviewPage:
    month: date
    rows: list[ReviewRow]
    has_next_page: bool


def _month_sum(month: date, field: str) -> Subquery:
    return Subquery(
        ShareListRow.objects.filter(client=OuterRef("pk"), month=month)
        .values("client")
        .annotate(total=Sum(field))
        .values("total")[:1]
    )


def review_queryset(*, actor: Actor, month: date, filters: ReviewFilters) -> QuerySet[Client]:
    """Everyone on the month's list in the actor's organisation, with the review columns."""
    policy.require(actor, Capability.REVIEW_SHARE_LIST)
    on_list = ShareListRow.objects.filter(client=OuterRef("pk"), month=month)
    contacts = ContactAttempt.objects.filter(client=OuterRef("pk")).order_by("-made_on")
    clients = (
        policy.clients_in_organisation(actor)
        .filter(Exists(on_list))
        .annotate(
            month_share=_month_sum(month, "share"),
            previous_share=_month_sum(previous_month(month), "share"),
            month_days=_month_sum(month, "days"),
            accumulated=Subquery(
                on_list.values("client").annotate(top=Max("accumulated_days")).values("top")[:1]
            ),
            has_active_plan=Exists(
                Plan.objects.filter(client=OuterRef("pk"), status=PlanStatus.ACTIVE)
            ),
            last_contact_on=Subquery(contacts.values("made_on")[:1]),
        )
        .select_related("responsible_worker", "share_list_contact_owner__worker")
    )
    if filters.worker_id is not None:
        clients = clients.filter(
            Q(responsible_worker_id=filters.worker_id)
            | Q(share_list_contact_owner__worker_id=filters.worker_id)
        )
    if filters.without_worker:
        clients = clients.filter(responsible_worker__isnull=True)
    if filters.not_contacted:
        clients = clients.exclude(
            Exists(ContactAttempt.objects.filter(client=OuterRef("pk"), made_on__gte=month))
        )
    if filters.needs_review:
        clients = clients.filter(needs_review=True)
    return clients


def _review_row(client: Any) -> ReviewRow:
    owner = getattr(client, "share_list_contact_owner", None)
    return ReviewRow(
        client=client,
        share=client.month_share or Decimal(0),
        previous_share=client.previous_share,
        days=client.month_days or 0,
        accumulated_days=client.accumulated,
        has_active_plan=client.has_active_plan,
        contact_owner_name=owner.worker.get_full_name() if owner else "",
        last_contact_on=client.last_contact_on,
    )


def review_page(
    *,
    actor: Actor,
    month: date,
    filters: ReviewFilters,
    page: int,
    now: datetime,
    view: str,
) -> ReviewPage:
    """One page of the monthly review; every person shown is logged."""
    offset = (max(page, 1) - 1) * PAGE_SIZE
    window = list(
        review_queryset(actor=actor, month=month, filters=filters).order_by(
            "last_name", "first_names", "pk"
        )[offset : offset + PAGE_SIZE + 1]
    )
    shown = window[:PAGE_SIZE]
    policy.clients_shown(actor=actor, clients=shown, now=now, view=view)
    return ReviewPage(
        month=month,
        rows=[_review_row(client) for client in shown],
        has_next_page=len(window) > PAGE_SIZE,
    )


@dataclass(frozen=True)
class MonthSummary:
    month: date
    persons: int
    share: Decimal
    new_persons: int  # on this month's list, not on the previous month's
    left_persons: int  # on the previous month's list, not on this one
    without_worker: int
    contacted: int  # with a contact attempt since the list month began

    @property
    def contacted_percent(self) -> int:
        return round(100 * self.contacted / self.persons) if self.persons else 0


def month_summary(*, organisation_id: int, month: date) -> MonthSummary:
    """The month at a glance, and what changed since the previous month (three queries)."""
    rows = ShareListRow.objects.filter(organisation_id=organisation_id, month=month)
    before = ShareListRow.objects.filter(
        organisation_id=organisation_id, month=previous_month(month)
    )
    persons = Client.objects.filter(organisation_id=organisation_id, pk__in=rows.values("client"))
    counts = persons.aggregate(
        persons=Count("pk"),
        without_worker=Count("pk", filter=Q(responsible_worker__isnull=True)),
        contacted=Count(
            "pk",
            filter=Q(
                Exists(ContactAttempt.objects.filter(client=OuterRef("pk"), made_on__gte=month))
            ),
        ),
        new_persons=Count("pk", filter=~Q(pk__in=before.values("client"))),
    )
    left = (
        Client.objects.filter(pk__in=before.values("client"))
        .exclude(pk__in=rows.values("client"))
        .count()
    )
    share = rows.aggregate(total=Sum("share"))["total"] or ZERO
    return MonthSummary(
        month=month,
        persons=counts["persons"],
        share=share,
        new_persons=counts["new_persons"],
        left_persons=left,
        without_worker=counts["without_worker"],
        contacted=counts["contacted"],
    )


@dataclass(frozen=True)
class CostLine:
    label: str
    start: date
    persons: int
    paid: Decimal
    share: Decimal


def costs_by_month(*, actor: Actor, limit: int = 24) -> list[CostLine]:
    """The municipal share per list month (aggregates only), oldest first."""
    policy.require(actor, Capability.VIEW_COSTS)
    rows = (
        ShareListRow.objects.filter(organisation=actor.organisation)
        .values("month")
        .annotate(persons=Count("client", distinct=True), paid=Sum("paid"), share=Sum("share"))
        .order_by("-month")[:limit]
    )
    return [
        CostLine(
            label=f"{row['month'].month}/{row['month'].year}",
            start=row["month"],
            persons=row["persons"],
            paid=row["paid"] or ZERO,
            share=row["share"] or ZERO,
        )
        for row in reversed(list(rows))
    ]


def costs_by_quarter(lines: Sequence[CostLine]) -> list[CostLine]:
    """Months summed into calendar quarters; persons is the largest month's count."""
    quarters: dict[tuple[int, int], CostLine] = {}
    for line in lines:
        key = (line.start.year, (line.start.month - 1) // 3 + 1)
        current = quarters.get(key)
        quarters[key] = CostLine(
            label=f"Q{key[1]}/{key[0]}",
            start=date(key[0], (key[1] - 1) * 3 + 1, 1),
            persons=max(line.persons, current.persons if current else 0),
            paid=line.paid + (current.paid if current else ZERO),
            share=line.share + (current.share if current else ZERO),
        )
    return [quarters[key] for key in sorted(quarters)]


@dataclass(frozen=True)
class PersonCost:
    client: Client
    share: Decimal
    days: int
    months: int


def costs_per_person(
    *, actor: Actor, since: date, now: datetime, view: str, limit: int = PAGE_SIZE
) -> list[PersonCost]:
    """The persons with the largest municipal share since ``since`` (logged list)."""
    policy.require(actor, Capability.REVIEW_SHARE_LIST)
    totals = list(
        ShareListRow.objects.filter(organisation=actor.organisation, month__gte=since)
        .values("client_id")
        .annotate(share=Sum("share"), days=Sum("days"), months=Count("month", distinct=True))
        .order_by("-share", "client_id")[:limit]
    )
    clients = policy.clients_in_organisation(actor).in_bulk([row["client_id"] for row in totals])
    result = [
        PersonCost(
            client=clients[row["client_id"]],
            share=row["share"] or ZERO,
            days=row["days"] or 0,
            months=row["months"],
        )
        for row in totals
        if row["client_id"] in clients
    ]
    policy.clients_shown(actor=actor, clients=[line.client for line in result], now=now, view=view)
    return result


@dataclass(frozen=True)
class Saving:
    persons: int
    month: date | None
    share_now: Decimal  # the engine's share of the latest month's payments
    share_in_services: Decimal  # the same payments had the persons been in services
    notes: list[str]

    @property
    def per_month(self) -> Decimal:
        return self.share_now - self.share_in_services

    @property
    def per_year(self) -> Decimal:
        return self.per_month * 12


def _engine_share(rows: Sequence[ShareListRow], basis: PaymentBasis, as_of: date) -> Any:
    payments = tuple(
        Payment(
            period_start=row.period_start,
            period_end=row.period_end,
            days=max(row.days, 0),
            amount=max(row.paid, Decimal(0)),
            benefit=ENGINE_BENEFITS[row.benefit],
            basis=basis,
        )
        for row in rows
    )
    first = min(rows, key=lambda row: row.period_start)
    counter = max((first.accumulated_days or 0) - max(first.days, 0), 0)
    return decide_municipal_share(MunicipalShareFacts(payments, counter), as_of)


def saving_estimate(*, actor: Actor, client_ids: Sequence[int], as_of: date) -> Saving:
    """What the municipality would save a month if these persons moved into services.

    The rules engine computes the share of each person's payments on their latest list
    twice: paid on the basis of unemployment, and paid for days in an
    employment-promoting service. The difference is the estimate; the engine's
    parameters decide whether service days cost the municipality at all.
    """
    policy.require(actor, Capability.REVIEW_SHARE_LIST)
    if not client_ids:
        return Saving(0, None, ZERO, ZERO, [])
    latest = (
        ShareListRow.objects.filter(organisation=actor.organisation, client=OuterRef("client"))
        .order_by("-month")
        .values("month")[:1]
    )
    rows = list(
        ShareListRow.objects.filter(organisation=actor.organisation, client_id__in=client_ids)
        .filter(month=Subquery(latest))
        .order_by("client_id", "period_start")
    )
    by_client: dict[int, list[ShareListRow]] = {}
    for row in rows:
        by_client.setdefault(row.client_id, []).append(row)
    now_total = services_total = ZERO
    notes: set[str] = set()
    for client_rows in by_client.values():
        unemployed = _engine_share(client_rows, PaymentBasis.UNEMPLOYMENT, as_of)
        in_services = _engine_share(client_rows, PaymentBasis.SERVICE, as_of)
        now_total += unemployed.result.share
        services_total += in_services.result.share
        notes.update(step.text for step in in_services.steps if step.text.startswith("Huom"))
    newest = max((row.month for row in rows), default=None)
    return Saving(len(by_client), newest, now_total, services_total, sorted(notes)[:3])


def client_share_rows(*, client: Client, limit: int = 24) -> list[ShareListRow]:
    return list(
        ShareListRow.objects.filter(organisation_id=client.organisation_id, client=client).order_by(
            "-month", "-payment_date", "pk"
        )[:limit]
    )


def client_contacts(*, client: Client) -> list[ContactAttempt]:
    return list(ContactAttempt.objects.filter(client=client).select_related("made_by"))
