"""The built-in indicators of SPEC C8, computed from the data for any period.

Each indicator is a function ``(organisation_id, period_start, period_end) ->
IndicatorValue`` running one or two aggregate queries (no per-client loops). The
period is inclusive at both ends. Person counts below ``MIN_PERSONS`` are suppressed
when shown (``IndicatorValue.public``), never when computed or snapshotted.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _

from polku.plans.models import Plan, PlanStatus
from polku.referrals.models import Referral
from polku.reports.models import EnteredFigure, FollowUp, QuestionnaireKind, QuestionnaireResponse
from polku.service_episodes.models import (
    KttContract,
    Outcome,
    Placement,
    ReferralSource,
    ReimbursementClaim,
    ServiceEpisode,
    ServiceKind,
)
from polku.sharelist.models import ContactAttempt, ShareListRow

# Statistical disclosure practice (not a legal rule): an anonymous aggregate about
# one to four persons could point to an individual, so it is shown as "< 5" (zero is shown).
MIN_PERSONS = 5
SUPPRESSED = "< 5"

PERCENT = "%"
PERSONS = "henkilöä"
EUROS = "€"
COUNT = "kpl"
SCORE = "1–5"


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: a label and its number (persons, euros or a score)."""

    key: str
    label: str
    value: Decimal
    persons: int | None = None  # set when the row is about persons (suppressible)


@dataclass(frozen=True)
class IndicatorValue:
    key: str
    title: str
    value: Decimal | None
    unit: str
    definition: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    persons: int | None = None  # how many persons the value is about (suppressible)
    rows: tuple[Row, ...] = field(default_factory=tuple)

    @property
    def suppressed(self) -> bool:
        return self.persons is not None and 0 < self.persons < MIN_PERSONS

    def as_json(self) -> dict[str, Any]:
        """Unsuppressed, for the month snapshot."""
        return {
            "key": self.key,
            "title": self.title,
            "value": _str(self.value),
            "unit": self.unit,
            "definition": self.definition,
            "numerator": _str(self.numerator),
            "denominator": _str(self.denominator),
            "persons": self.persons,
            "rows": [
                {"key": r.key, "label": r.label, "value": str(r.value), "persons": r.persons}
                for r in self.rows
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "IndicatorValue":
        return cls(
            key=data["key"],
            title=data["title"],
            value=_dec(data["value"]),
            unit=data["unit"],
            definition=data["definition"],
            numerator=_dec(data["numerator"]),
            denominator=_dec(data["denominator"]),
            persons=data["persons"],
            rows=tuple(
                Row(r["key"], r["label"], Decimal(r["value"]), r["persons"]) for r in data["rows"]
            ),
        )

    def public(self) -> dict[str, Any]:
        """What may be shown: person-based numbers under ``MIN_PERSONS`` become "< 5"."""
        data = self.as_json()
        if self.suppressed:
            data.update(value=SUPPRESSED, numerator=SUPPRESSED, denominator=SUPPRESSED)
            data["persons"] = SUPPRESSED
        for row, shown in zip(self.rows, data["rows"], strict=True):
            if row.persons is not None and 0 < row.persons < MIN_PERSONS:
                shown.update(value=SUPPRESSED, persons=SUPPRESSED)
        return data


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _percent(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100) * Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _share_of(key: str, title: str, definition: str, part: int, whole: int) -> IndicatorValue:
    """A percentage of persons: ``part`` of ``whole``, suppressed by the whole's size."""
    return IndicatorValue(
        key=key,
        title=title,
        value=_percent(part, whole),
        unit=PERCENT,
        definition=definition,
        numerator=Decimal(part),
        denominator=Decimal(whole),
        persons=whole,
    )


def _money(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(Decimal("0.01"))


def _episodes(organisation_id: int) -> Any:
    # Through the service type, which is always the organisation's own (services.py checks
    # it): joining the small catalogue instead of every client keeps a month's counts fast.
    return ServiceEpisode.objects.filter(service_type__organisation_id=organisation_id)


def _breakdown(
    counts: dict[str, int], labels: dict[str, Any], *, persons: bool = True
) -> tuple[Row, ...]:
    return tuple(
        Row(key, str(labels.get(key, key)), Decimal(n), n if persons else None)
        for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )


def _labels(choices: Any) -> dict[str, Any]:
    return dict(choices)


def _persons_by(
    key: str, title: str, definition: str, counts: dict[str, int], total: int, choices: Any
) -> IndicatorValue:
    """Persons in all (``total``) and by category, each row suppressible on its own."""
    return IndicatorValue(
        key=key,
        title=title,
        value=Decimal(total),
        unit=PERSONS,
        definition=definition,
        persons=total,
        rows=_breakdown(counts, _labels(choices)),
    )


def referral_sources(organisation_id: int, start: date, end: date) -> IndicatorValue:
    grouped = (
        _episodes(organisation_id)
        .filter(started_on__range=(start, end))
        .values("referral_source")
        .annotate(n=Count("client", distinct=True))
    )
    counts = {row["referral_source"]: row["n"] for row in grouped}
    total = sum(counts.values())
    return _persons_by(
        "referral_sources",
        _("Lähettäjätahot"),
        _(
            "Jaksolla alkaneiden palvelujen asiakkaat lähettäjätahon mukaan "
            "(sama asiakas kerran kunkin tahon kohdalla)."
        ),
        counts,
        total,
        ReferralSource.choices,
    )


def clients_per_service(organisation_id: int, start: date, end: date) -> IndicatorValue:
    active = _episodes(organisation_id).filter(started_on__lte=end).exclude(ended_on__lt=start)
    # One pass over the month's episodes: the total and every kind as filtered aggregates.
    by_kind = {
        kind: Count("client", distinct=True, filter=Q(service_type__kind=kind))
        for kind in ServiceKind.values
    }
    found = active.aggregate(total=Count("client", distinct=True), **by_kind)
    total = found.pop("total")
    counts = {kind: n for kind, n in found.items() if n}
    return _persons_by(
        "clients_per_service",
        _("Asiakkaat palveluittain"),
        _(
            "Eri asiakkaat, joilla oli jaksolla käynnissä palvelu, palvelulajeittain; "
            "arvo on eri asiakkaiden kokonaismäärä."
        ),
        counts,
        total,
        ServiceKind.choices,
    )


def ktt_occupancy(organisation_id: int, start: date, end: date) -> IndicatorValue:
    places = (
        Placement.objects.filter(
            organisation_id=organisation_id, active=True, kind__in=KTT_PLACEMENT_KINDS
        ).aggregate(n=Sum("capacity"))["n"]
        or 0
    )
    occupied = KttContract.objects.filter(
        episode__service_type__organisation_id=organisation_id,
        status__in=(KttContract.Status.SIGNED, KttContract.Status.ENDED),
        start__lte=end,
        end__gte=start,
    ).aggregate(n=Count("episode__client", distinct=True))["n"]
    return IndicatorValue(
        key="ktt_occupancy",
        title=_("KTT-paikat ja käyttöaste"),
        value=_percent(occupied, places),
        unit=PERCENT,
        definition=_(
            "Kuntouttavan työtoiminnan asiakkaat (allekirjoitettu sopimus voimassa jaksolla) "
            "jaettuna käytössä olevien työtoimintapaikkojen paikkamäärällä."
        ),
        numerator=Decimal(occupied),
        denominator=Decimal(places),
        persons=occupied,
    )


KTT_PLACEMENT_KINDS = (
    Placement.Kind.WORKSHOP,
    Placement.Kind.MUNICIPAL_UNIT,
    Placement.Kind.ASSOCIATION,
    Placement.Kind.FOUNDATION,
)


def ktt_compensation(organisation_id: int, start: date, end: date) -> IndicatorValue:
    total = ReimbursementClaim.objects.filter(
        organisation_id=organisation_id, period_end__range=(start, end)
    ).aggregate(n=Sum("amount"))["n"]
    return IndicatorValue(
        key="ktt_compensation",
        title=_("KTT:stä haettu valtionkorvaus"),
        value=_money(total),
        unit=EUROS,
        definition=_("Tilityshakemukset, joiden jakso päättyy raportin jaksolla, yhteensä."),
    )


def _active_plans(organisation_id: int, end: date) -> Any:
    return Plan.objects.filter(
        organisation_id=organisation_id, status=PlanStatus.ACTIVE, made_on__lte=end
    )


def plans_up_to_date(organisation_id: int, start: date, end: date) -> IndicatorValue:
    counts = _active_plans(organisation_id, end).aggregate(
        total=Count("client", distinct=True),
        current=Count(
            "client", distinct=True, filter=Q(next_review_on=None) | Q(next_review_on__gte=end)
        ),
    )
    return _share_of(
        "plans_up_to_date",
        _("Suunnitelmat ja arviot ajan tasalla"),
        _(
            "Asiakkaat, joiden voimassa olevan suunnitelman tai arvion seuraava tarkistus ei ole "
            "jakson lopussa myöhässä, osuutena asiakkaista, joilla on voimassa oleva suunnitelma."
        ),
        counts["current"],
        counts["total"],
    )


def overdue_reviews(organisation_id: int, start: date, end: date) -> IndicatorValue:
    overdue = _active_plans(organisation_id, end).filter(next_review_on__lt=end).count()
    return IndicatorValue(
        key="overdue_reviews",
        title=_("Myöhässä olevat tarkistukset"),
        value=Decimal(overdue),
        unit=COUNT,
        definition=_(
            "Voimassa olevat suunnitelmat, joiden seuraava tarkistus oli ennen jakson loppua."
        ),
        persons=overdue,
    )


def share_list_contacted(organisation_id: int, start: date, end: date) -> IndicatorValue:
    listed = ShareListRow.objects.filter(
        organisation_id=organisation_id, month__range=(start.replace(day=1), end)
    ).values("client_id")
    counts = {
        "listed": listed.distinct().count(),
        "contacted": ContactAttempt.objects.filter(
            client_id__in=listed, made_on__range=(start, end)
        )
        .values("client_id")
        .distinct()
        .count(),
    }
    return _share_of(
        "share_list_contacted",
        _("Kuntaosuuslistan henkilöihin otettu yhteyttä"),
        _(
            "Jakson kuntaosuuslistoilla olleet henkilöt, joihin on jaksolla kirjattu "
            "yhteydenottoyritys, osuutena listan henkilöistä."
        ),
        counts["contacted"],
        counts["listed"],
    )


def share_list_euros(organisation_id: int, start: date, end: date) -> IndicatorValue:
    by_month = (
        ShareListRow.objects.filter(
            organisation_id=organisation_id, month__range=(start.replace(day=1), end)
        )
        .values("month")
        .annotate(euros=Sum("share"))
    )
    quarters: dict[str, Decimal] = {}
    for row in by_month:
        label = f"{row['month'].year} Q{(row['month'].month - 1) // 3 + 1}"
        quarters[label] = quarters.get(label, Decimal(0)) + row["euros"]
    return IndicatorValue(
        key="share_list_euros",
        title=_("Kunnan maksuosuus (kuntaosuuslista)"),
        value=_money(sum(quarters.values(), Decimal(0))),
        unit=EUROS,
        definition=_(
            "Kelan kuntaosuuslistojen kuntaosuus euroina listan kuukauden mukaan, "
            "neljännesvuosittain."
        ),
        rows=tuple(Row(q, q, _money(v)) for q, v in sorted(quarters.items())),
    )


def outcomes_at_exit(organisation_id: int, start: date, end: date) -> IndicatorValue:
    grouped = (
        _episodes(organisation_id)
        .filter(ended_on__range=(start, end))
        .values("outcome")
        .annotate(n=Count("client", distinct=True))
    )
    counts = {row["outcome"] or Outcome.NO_INFORMATION: row["n"] for row in grouped}
    total = sum(counts.values())
    return _persons_by(
        "outcomes_at_exit",
        _("Tilanne palvelun päättyessä"),
        _(
            "Jaksolla päättyneiden palvelujen asiakkaat sen mukaan, mihin he siirtyivät "
            "palvelun jälkeen: työhön, koulutukseen, toiseen palveluun tai muuhun tilanteeseen."
        ),
        counts,
        total,
        Outcome.choices,
    )


def follow_up(organisation_id: int, start: date, end: date) -> IndicatorValue:
    grouped = (
        FollowUp.objects.filter(
            episode__service_type__organisation_id=organisation_id,
            episode__ended_on__range=(start, end),
        )
        .values("months", "situation")
        .annotate(n=Count("episode__client", distinct=True))
        .order_by("months", "situation")
    )
    situations = _labels(Outcome.choices)
    rows = tuple(
        Row(
            f"{row['months']}:{row['situation']}",
            _("%(months)s kk: %(situation)s")
            % {"months": row["months"], "situation": situations[row["situation"]]},
            Decimal(row["n"]),
            row["n"],
        )
        for row in grouped
    )
    followed = sum(row.persons or 0 for row in rows if row.key.startswith("3:"))
    return IndicatorValue(
        key="follow_up",
        title=_("Tilanne 3, 6 ja 12 kuukautta palvelun jälkeen"),
        value=Decimal(followed),
        unit=PERSONS,
        definition=_(
            "Jaksolla päättyneiden palvelujen asiakkaiden kirjattu tilanne 3, 6 ja 12 kuukautta "
            "palvelun päättymisen jälkeen; arvo on 3 kuukauden seurannan henkilömäärä."
        ),
        persons=followed,
        rows=rows,
    )


def _score(
    organisation_id: int,
    start: date,
    end: date,
    *,
    kind: str,
    key: str,
    title: str,
    definition: str,
) -> IndicatorValue:
    result = QuestionnaireResponse.objects.filter(
        version__organisation_id=organisation_id,  # versions are per organisation: no client join
        version__kind=kind,
        answered_on__range=(start, end),
    ).aggregate(score=Avg("score"), persons=Count("client", distinct=True))
    return IndicatorValue(
        key=key,
        title=title,
        value=_round_score(result["score"]),
        unit=SCORE,
        definition=definition,
        persons=result["persons"],
    )


def feedback_score(organisation_id: int, start: date, end: date) -> IndicatorValue:
    return _score(
        organisation_id,
        start,
        end,
        kind=QuestionnaireKind.FEEDBACK,
        key="feedback_score",
        title=_("Asiakaspalautteen keskiarvo"),
        definition=_("Jaksolla annettujen asiakaspalautteiden keskiarvo asteikolla 1–5."),
    )


def capacity_score(organisation_id: int, start: date, end: date) -> IndicatorValue:
    return _score(
        organisation_id,
        start,
        end,
        kind=QuestionnaireKind.CAPACITY,
        key="capacity_score",
        title=_("Työ- ja toimintakyvyn mittarin keskiarvo"),
        definition=_("Jaksolla tehtyjen työ- ja toimintakyvyn mittausten keskiarvo (1–5)."),
    )


def _round_score(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def handover_completion(organisation_id: int, start: date, end: date) -> IndicatorValue:
    counts = Referral.objects.filter(
        organisation_id=organisation_id, sent_on__range=(start, end)
    ).aggregate(sent=Count("id"), acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)))
    return _share_of(
        "handover_completion",
        _("Saattaen vaihtamiset vastaanotettu"),
        _("Jaksolla lähetetyistä lähetteistä ne, jotka vastaanottava työntekijä on kuitannut."),
        counts["acknowledged"],
        counts["sent"],
    )


def unemployment_rate(organisation_id: int, start: date, end: date) -> IndicatorValue:
    figure = (
        EnteredFigure.objects.filter(
            organisation_id=organisation_id,
            kind=EnteredFigure.Kind.UNEMPLOYMENT_RATE,
            month__range=(start.replace(day=1), end),
        )
        .order_by("-month")
        .values_list("value", flat=True)
        .first()
    )
    return IndicatorValue(
        key="unemployment_rate",
        title=_("Työttömyysprosentti"),
        value=figure,
        unit=PERCENT,
        definition=_("Jakson viimeisen kuukauden syötetty työttömyysprosentti."),
    )


def workshop_budget(organisation_id: int, start: date, end: date) -> IndicatorValue:
    grouped = (
        EnteredFigure.objects.filter(
            organisation_id=organisation_id,
            kind__in=(EnteredFigure.Kind.WORKSHOP_BUDGET, EnteredFigure.Kind.WORKSHOP_ACTUAL),
            month__range=(start.replace(day=1), end),
        )
        .values("unit", "kind")
        .annotate(euros=Sum("value"))
    )
    sums = {(row["unit"], row["kind"]): _money(row["euros"]) for row in grouped}
    units = sorted({unit for unit, _kind in sums})
    budget = sum(
        (v for (_u, k), v in sums.items() if k == EnteredFigure.Kind.WORKSHOP_BUDGET), Decimal(0)
    )
    actual = sum(
        (v for (_u, k), v in sums.items() if k == EnteredFigure.Kind.WORKSHOP_ACTUAL), Decimal(0)
    )
    rows = []
    for unit in units:
        rows.append(
            Row(
                f"{unit}:budget",
                _("%(unit)s: talousarvio") % {"unit": unit},
                sums.get((unit, EnteredFigure.Kind.WORKSHOP_BUDGET), Decimal("0.00")),
            )
        )
        rows.append(
            Row(
                f"{unit}:actual",
                _("%(unit)s: toteuma") % {"unit": unit},
                sums.get((unit, EnteredFigure.Kind.WORKSHOP_ACTUAL), Decimal("0.00")),
            )
        )
    return IndicatorValue(
        key="workshop_budget",
        title=_("Työpajojen talousarvion toteuma"),
        value=_percent(actual, budget),
        unit=PERCENT,
        definition=_("Syötetyt työpajayksiköiden toteumat prosentteina talousarviosta."),
        numerator=actual,
        denominator=budget,
        rows=tuple(rows),
    )


Indicator = Callable[[int, date, date], IndicatorValue]

# In report order.
INDICATORS: dict[str, Indicator] = {
    "referral_sources": referral_sources,
    "clients_per_service": clients_per_service,
    "ktt_occupancy": ktt_occupancy,
    "ktt_compensation": ktt_compensation,
    "plans_up_to_date": plans_up_to_date,
    "overdue_reviews": overdue_reviews,
    "share_list_contacted": share_list_contacted,
    "share_list_euros": share_list_euros,
    "outcomes_at_exit": outcomes_at_exit,
    "follow_up": follow_up,
    "feedback_score": feedback_score,
    "capacity_score": capacity_score,
    "handover_completion": handover_completion,
    "unemployment_rate": unemployment_rate,
    "workshop_budget": workshop_budget,
}


def compute_all(organisation_id: int, start: date, end: date) -> dict[str, IndicatorValue]:
    return {key: indicator(organisation_id, start, end) for key, indicator in INDICATORS.items()}
