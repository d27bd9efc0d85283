"""Writes of the monitoring work: closing a month, questionnaire versions, links, answers."""

import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Capability
from polku.audit import services as audit
from polku.audit.events import (
    ENTERED_FIGURE_SET,
    FOLLOW_UP_RECORDED,
    GOAL_CREATED,
    GOAL_UPDATED,
    PARTNER_AGREEMENT_CREATED,
    PARTNER_AGREEMENT_EVALUATED,
    PARTNER_AGREEMENT_UPDATED,
    QUESTIONNAIRE_ANSWERED,
    QUESTIONNAIRE_LINK_CREATED,
    QUESTIONNAIRE_VERSION_CREATED,
    REPORT_MONTH_CLOSED,
    REPORT_SNAPSHOT_CORRECTED,
    TARGET_SET,
    Event,
)
from polku.reports import indicators
from polku.reports.models import (
    AgreementGoal,
    EnteredFigure,
    FollowUp,
    Goal,
    MonthSnapshot,
    OneTimeLink,
    PartnerAgreement,
    QuestionnaireResponse,
    QuestionnaireVersion,
    SnapshotCorrection,
    Target,
)
from polku.reports.periods import month_end
from polku.reports.questionnaires import QUESTIONS, SCALE, TITLES
from polku.reports.tokens import token_hash
from polku.service_episodes.models import ServiceEpisode

M = TypeVar("M", bound=Model)


class InvalidAnswers(ValueError):
    """An answer is missing or outside the 1–5 scale."""


class LinkNotUsable(LookupError):
    """The token is unknown, expired or already used (the caller cannot tell which)."""


# --- month close -------------------------------------------------------------------------


def month_close(
    *, organisation: Organisation, month: date, user: User | None, now: datetime
) -> MonthSnapshot:
    """Store every indicator's value for ``month``; closing again records differences
    as corrections and never changes the published values (idempotent otherwise)."""
    month = month.replace(day=1)
    values = {
        key: value.as_json()
        for key, value in indicators.compute_all(organisation.pk, month, month_end(month)).items()
    }
    with transaction.atomic():
        snapshot = (
            MonthSnapshot.objects.select_for_update()
            .filter(organisation=organisation, month=month)
            .first()
        )
        if snapshot is None:
            snapshot = MonthSnapshot.objects.create(
                organisation=organisation, month=month, values=values, closed_at=now, closed_by=user
            )
            audit.record(
                event=REPORT_MONTH_CLOSED,
                at=now,
                actor=user,
                organisation=organisation,
                target=snapshot,
                changes={"month": [None, month.isoformat()]},
            )
            return snapshot
        latest = {c.indicator: c.corrected for c in snapshot.corrections.all()}
        for key, value in values.items():
            current = latest.get(key, snapshot.values.get(key))
            if current != value:
                correction = SnapshotCorrection.objects.create(
                    snapshot=snapshot,
                    indicator=key,
                    published=snapshot.values.get(key),
                    corrected=value,
                    recorded_at=now,
                )
                audit.record(
                    event=REPORT_SNAPSHOT_CORRECTED,
                    at=now,
                    actor=user,
                    organisation=organisation,
                    target=correction,
                    changes={key: [_shown(current), _shown(value)]},
                )
    return snapshot


def _shown(value: Mapping[str, object] | None) -> object:
    return None if value is None else value.get("value")


# --- questionnaires ----------------------------------------------------------------------


def questionnaire_version_current(
    *, organisation: Organisation, kind: str, now: datetime
) -> QuestionnaireVersion:
    """The newest version of the questionnaire; version 1 is created from the defaults."""
    version = (
        QuestionnaireVersion.objects.filter(organisation=organisation, kind=kind)
        .order_by("-number")
        .first()
    )
    if version is not None:
        return version
    version = QuestionnaireVersion.objects.create(
        organisation=organisation,
        kind=kind,
        number=1,
        title=str(TITLES[kind]),  # type: ignore[index]
        questions=[
            {"key": q["key"], "text": str(q["text"]), "plain": str(q["plain"])}
            for q in QUESTIONS[kind]  # type: ignore[index]
        ],
        created_at=now,
    )
    audit.record(
        event=QUESTIONNAIRE_VERSION_CREATED,
        at=now,
        actor=None,
        organisation=organisation,
        target=version,
        changes={"kind": [None, kind], "number": [None, 1]},
    )
    return version


def link_create(
    *, actor: Actor, client_id: int, kind: str, plain_language: bool, now: datetime
) -> tuple[OneTimeLink, str]:
    """A one-time link for the client; the token (256 random bits) is returned once and
    only its hash is stored."""
    policy.require(actor, Capability.MANAGE_PLANS)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=now)
    version = questionnaire_version_current(organisation=actor.organisation, kind=kind, now=now)
    token = secrets.token_urlsafe(32)
    link = OneTimeLink.objects.create(
        version=version,
        client_id=client_id,
        token_hash=token_hash(token),
        plain_language=plain_language,
        created_at=now,
        expires_at=now + timedelta(days=settings.POLKU_QUESTIONNAIRE_LINK_DAYS),
        created_by=actor.user,
    )
    audit.record(
        event=QUESTIONNAIRE_LINK_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=link,
        client_id=client_id,
        changes={
            "questionnaire": [None, version.title],
            "expires_at": [None, link.expires_at.isoformat()],
        },
    )
    return link, token


def _score(
    version: QuestionnaireVersion, answers: Mapping[str, object]
) -> tuple[dict[str, int], Decimal]:
    cleaned: dict[str, int] = {}
    for question in version.questions:
        value = answers.get(question["key"])
        try:
            number = int(str(value))
        except ValueError:
            raise InvalidAnswers(question["key"]) from None
        if number not in SCALE:
            raise InvalidAnswers(question["key"])
        cleaned[question["key"]] = number
    score = Decimal(sum(cleaned.values())) / Decimal(len(cleaned))
    return cleaned, score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def link_answer(
    *, token: str, answers: Mapping[str, object], now: datetime
) -> QuestionnaireResponse:
    """The client's answers through the link; the link is spent in the same transaction."""
    with transaction.atomic():
        link = (
            OneTimeLink.objects.select_for_update(of=("self",))
            .select_related("version", "client__organisation")
            .filter(token_hash=token_hash(token), used_at=None, expires_at__gt=now)
            .first()
        )
        if link is None:
            raise LinkNotUsable
        cleaned, score = _score(link.version, answers)
        link.used_at = now
        link.save(update_fields=["used_at"])
        response = QuestionnaireResponse.objects.create(
            version=link.version,
            client=link.client,
            answered_on=now.date(),
            channel=QuestionnaireResponse.Channel.LINK,
            plain_language=link.plain_language,
            answers=cleaned,
            score=score,
        )
        audit.record(
            event=QUESTIONNAIRE_ANSWERED,
            at=now,
            actor=None,
            organisation=link.client.organisation,
            target=response,
            client_id=link.client_id,
            changes={"score": [None, str(score)]},
        )
    return response


def response_record(
    *,
    actor: Actor,
    client_id: int,
    kind: str,
    answers: Mapping[str, object],
    plain_language: bool,
    today: date,
    now: datetime,
) -> QuestionnaireResponse:
    """Answers given together with a worker (the worker records them)."""
    policy.require(actor, Capability.MANAGE_PLANS)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=now)
    version = questionnaire_version_current(organisation=actor.organisation, kind=kind, now=now)
    cleaned, score = _score(version, answers)
    response = QuestionnaireResponse.objects.create(
        version=version,
        client_id=client_id,
        answered_on=today,
        channel=QuestionnaireResponse.Channel.WORKER,
        plain_language=plain_language,
        answers=cleaned,
        score=score,
        recorded_by=actor.user,
    )
    audit.record(
        event=QUESTIONNAIRE_ANSWERED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=response,
        client_id=client_id,
        changes={"score": [None, str(score)]},
    )
    return response


# --- follow-up after a service ----------------------------------------------------------


def follow_up_record(
    *,
    actor: Actor,
    client_id: int,
    episode_id: int,
    months: int,
    situation: str,
    today: date,
    now: datetime,
) -> FollowUp:
    """Where the client is ``months`` after the (ended) service; recording again updates."""
    policy.require(actor, Capability.MANAGE_PLANS)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=now)
    episode = ServiceEpisode.objects.filter(
        pk=episode_id, client_id=client_id, ended_on__isnull=False
    ).first()
    if episode is None:
        raise Http404
    before = FollowUp.objects.filter(episode=episode, months=months).first()
    follow_up, _created = FollowUp.objects.update_or_create(
        episode=episode,
        months=months,
        defaults={"situation": situation, "recorded_on": today, "recorded_by": actor.user},
    )
    audit.record(
        event=FOLLOW_UP_RECORDED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=follow_up,
        client_id=client_id,
        changes={f"{months} kk": [before.situation if before else None, situation]},
    )
    return follow_up


# --- goals, targets, entered figures and partner agreements (kept by managers) -----------


class EditConflict(ValueError):
    """Someone else saved the record after it was opened: nothing was overwritten."""

    def __init__(self, current: Goal | PartnerAgreement | Target | EnteredFigure) -> None:
        super().__init__(_("Joku muu tallensi tiedot sillä välin. Mitään ei kirjoitettu yli."))
        self.current = current


class InvalidInput(ValueError):
    """The data breaks a rule of the record; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class MonthNotOver(ValueError):
    """Only a month that has ended can be closed."""


@dataclass(frozen=True)
class GoalData:
    title: str
    measures: list[str]
    order: int


@dataclass(frozen=True)
class AgreementData:
    partner: str
    year: int
    signed_on: date | None
    contact: str
    goals: list[str]
    status: str


@dataclass(frozen=True)
class MonthClosed:
    snapshot: MonthSnapshot
    first: bool  # False: the month was closed before and only differences were recorded
    corrections: int


def _record(
    actor: Actor, event: Event, target: Model, changes: audit.Changes, now: datetime
) -> None:
    audit.record(
        event=event,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=target,
        changes=changes,
    )


def _locked(model: type[M], actor: Actor, pk: int) -> M:
    """The organisation's row, locked for the change; another organisation's is not found."""
    policy.require(actor, Capability.MANAGE_GOALS)
    found = (
        model._default_manager.select_for_update()
        .filter(organisation=actor.organisation, pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _versioned(
    instance: Goal | PartnerAgreement | Target | EnteredFigure, version: int
) -> dict[str, Any]:
    """Check that nobody saved ``instance`` since ``version`` was read; its values before."""
    if instance.version != version:
        raise EditConflict(instance)
    instance.version = version + 1
    return model_to_dict(instance)


def _changes(before: dict[str, Any], instance: Model) -> audit.Changes:
    changes = audit.changes_between(before, model_to_dict(instance))
    for bookkeeping in ("version", "organisation"):
        changes.pop(bookkeeping, None)
    return changes


def _taken(same: QuerySet[Any], own_id: int | None) -> bool:
    """Whether a row other than the one being edited already holds these unique values."""
    return any(pk != own_id for pk in same.values_list("pk", flat=True))


@transaction.atomic
def goal_create(*, actor: Actor, data: GoalData, now: datetime) -> Goal:
    policy.require(actor, Capability.MANAGE_GOALS)
    goal = Goal.objects.create(organisation=actor.organisation, **asdict(data))
    _record(actor, GOAL_CREATED, goal, audit.changes_between({}, asdict(data)), now)
    return goal


@transaction.atomic
def goal_update(*, actor: Actor, goal_id: int, version: int, data: GoalData, now: datetime) -> Goal:
    """Change a goal if nobody else saved it since ``version`` was read.

    Raises:
        EditConflict: the goal changed after it was opened; it carries the saved one.
    """
    goal = _locked(Goal, actor, goal_id)
    before = _versioned(goal, version)
    for name, value in asdict(data).items():
        setattr(goal, name, value)
    goal.save()
    _record(actor, GOAL_UPDATED, goal, _changes(before, goal), now)
    return goal


@transaction.atomic
def target_set(
    *,
    actor: Actor,
    goal_id: int,
    indicator: str,
    year: int,
    value: Decimal,
    now: datetime,
    target_id: int | None = None,
    version: int | None = None,
) -> Target:
    """Add a goal's yearly target for an indicator, or change one (``target_id``).

    Raises:
        EditConflict: the target changed after it was opened at ``version``.
    """
    goal = _locked(Goal, actor, goal_id)
    if indicator not in indicators.INDICATORS:
        raise InvalidInput(_("Tuntematon mittari."), "indicator")
    targets = Target.objects.filter(goal=goal)
    if _taken(targets.filter(indicator=indicator, year=year), target_id):
        raise InvalidInput(
            _("Tavoitteella on jo tavoitearvo tälle mittarille ja vuodelle."), "indicator"
        )
    target = (
        Target(goal=goal)
        if target_id is None
        else targets.select_for_update().filter(pk=target_id).first()
    )
    if target is None:
        raise Http404
    before = _versioned(target, version or 0) if target_id else {}
    target.indicator, target.year, target.value = indicator, year, value
    target.save()
    _record(actor, TARGET_SET, target, _changes(before, target), now)
    return target


def _check_figure(kind: str, unit: str, value: Decimal) -> None:
    if value < 0:
        raise InvalidInput(_("Luku ei voi olla negatiivinen."), "value")
    if kind == EnteredFigure.Kind.UNEMPLOYMENT_RATE:
        if value > 100:
            raise InvalidInput(_("Työttömyysprosentti on välillä 0–100."), "value")
        if unit:
            raise InvalidInput(
                _("Työttömyysprosentilla ei ole yksikköä; jätä kenttä tyhjäksi."), "unit"
            )
    elif not unit:
        raise InvalidInput(_("Kirjoita työpajayksikön nimi."), "unit")


@transaction.atomic
def figure_set(
    *,
    actor: Actor,
    kind: str,
    month: date,
    unit: str,
    value: Decimal,
    now: datetime,
    figure_id: int | None = None,
    version: int | None = None,
) -> EnteredFigure:
    """Enter a monthly figure, or change one (``figure_id``); one per kind, month and unit.

    Raises:
        EditConflict: the figure changed after it was opened at ``version``.
    """
    policy.require(actor, Capability.MANAGE_GOALS)
    _check_figure(kind, unit, value)
    month = month.replace(day=1)
    figures = EnteredFigure.objects.filter(organisation=actor.organisation)
    if _taken(figures.filter(kind=kind, month=month, unit=unit), figure_id):
        raise InvalidInput(
            _("Tämä luku on jo kirjattu tälle kuukaudelle; muokkaa olemassa olevaa."), "month"
        )
    figure = (
        EnteredFigure(organisation=actor.organisation)
        if figure_id is None
        else _locked(EnteredFigure, actor, figure_id)
    )
    before = _versioned(figure, version or 0) if figure_id else {}
    figure.kind, figure.month, figure.unit, figure.value = kind, month, unit, value
    figure.save()
    _record(actor, ENTERED_FIGURE_SET, figure, _changes(before, figure), now)
    return figure


def _check_agreement(data: AgreementData) -> None:
    if data.status != PartnerAgreement.Status.DRAFT and data.signed_on is None:
        raise InvalidInput(
            _("Allekirjoitetulla sopimuksella on oltava allekirjoituspäivä."), "signed_on"
        )
    if len(set(data.goals)) < len(data.goals):
        raise InvalidInput(_("Sama tavoite on kirjoitettu kahteen kertaan."), "goals")


def _agreement_fields(data: AgreementData) -> dict[str, Any]:
    return {name: value for name, value in asdict(data).items() if name != "goals"}


def _goals_set(agreement: PartnerAgreement, goals: list[str]) -> None:
    """Keep the rows of goals that stay, add new ones, drop removed ones, in the new order.

    A goal already evaluated at the next round is part of the record: it cannot be removed
    or reworded (a reworded goal would be a new, unevaluated one).
    """
    existing = {goal.text: goal for goal in agreement.agreed_goals.all()}
    dropped = [goal for text, goal in existing.items() if text not in goals]
    if any(goal.achieved for goal in dropped):
        raise InvalidInput(
            _("Arvioitua tavoitetta ei voi poistaa eikä muotoilla uudelleen."), "goals"
        )
    AgreementGoal.objects.filter(pk__in=[goal.pk for goal in dropped]).delete()
    kept = [existing[text] for text in goals if text in existing]
    offset = len(goals)  # move the kept rows out of the way of the unique order first
    for goal in kept:
        goal.order += offset + len(existing)
    AgreementGoal.objects.bulk_update(kept, ["order"])
    rows = []
    for order, text in enumerate(goals):
        goal = existing.get(text) or AgreementGoal(agreement=agreement, text=text)
        goal.order = order
        rows.append(goal)
    AgreementGoal.objects.bulk_update([goal for goal in rows if goal.pk], ["order"])
    AgreementGoal.objects.bulk_create([goal for goal in rows if not goal.pk])


@transaction.atomic
def agreement_create(*, actor: Actor, data: AgreementData, now: datetime) -> PartnerAgreement:
    policy.require(actor, Capability.MANAGE_GOALS)
    _check_agreement(data)
    agreement = PartnerAgreement.objects.create(
        organisation=actor.organisation, **_agreement_fields(data)
    )
    _goals_set(agreement, data.goals)
    changes = {**_changes({}, agreement), "goals": [None, data.goals]}
    _record(actor, PARTNER_AGREEMENT_CREATED, agreement, changes, now)
    return agreement


@transaction.atomic
def agreement_update(
    *, actor: Actor, agreement_id: int, version: int, data: AgreementData, now: datetime
) -> PartnerAgreement:
    """Change an agreement if nobody else saved it since ``version`` was read.

    Raises:
        EditConflict: the agreement changed after it was opened; it carries the saved one.
        InvalidInput: e.g. an evaluated goal was removed or reworded.
    """
    agreement = _locked(PartnerAgreement, actor, agreement_id)
    _check_agreement(data)
    before = _versioned(agreement, version)
    goals_before = agreement.goals
    for name, value in _agreement_fields(data).items():
        setattr(agreement, name, value)
    agreement.save()
    _goals_set(agreement, data.goals)
    changes = _changes(before, agreement)
    if goals_before != data.goals:
        changes["goals"] = [goals_before, data.goals]
    _record(actor, PARTNER_AGREEMENT_UPDATED, agreement, changes, now)
    return agreement


@dataclass(frozen=True)
class GoalEvaluation:
    goal_id: int
    achieved: str
    evaluation: str = ""


@transaction.atomic
def agreement_evaluate(
    *,
    actor: Actor,
    agreement_id: int,
    version: int,
    goals: list[GoalEvaluation],
    evaluation: str,
    today: date,
    now: datetime,
) -> PartnerAgreement:
    """The evaluation made at the next agreement round, goal by goal (seed 002).

    Each agreed goal gets yes/partly/no and a text; the agreement's overall result is
    derived from them and ``evaluation`` is the summary of the round.

    Raises:
        EditConflict: the agreement changed after it was opened.
        InvalidInput: a goal is left unevaluated, named twice or not the agreement's.
    """
    agreement = _locked(PartnerAgreement, actor, agreement_id)
    before = _versioned(agreement, version)
    rows = {goal.pk: goal for goal in agreement.agreed_goals.select_for_update()}
    if not rows:
        raise InvalidInput(_("Sopimukseen ei ole kirjattu tavoitteita arvioitavaksi."), "goals")
    given = {item.goal_id: item for item in goals}
    if len(given) < len(goals) or set(given) != set(rows):
        raise InvalidInput(_("Arvioi jokainen sovittu tavoite kerran."), "goals")
    if any(item.achieved not in PartnerAgreement.Achieved.values for item in goals):
        raise InvalidInput(_("Valitse kullekin tavoitteelle toteutuminen."), "goals")
    goal_changes = {}
    for pk, goal in rows.items():
        item = given[pk]
        old = [goal.achieved, goal.evaluation]
        goal.achieved, goal.evaluation = item.achieved, item.evaluation.strip()
        if old != [goal.achieved, goal.evaluation]:
            goal_changes[f"goal {goal.order + 1}"] = [old, [goal.achieved, goal.evaluation]]
    AgreementGoal.objects.bulk_update(rows.values(), ["achieved", "evaluation"])
    ordered = sorted(rows.values(), key=lambda goal: goal.order)
    agreement.evaluation = evaluation
    agreement.achieved = PartnerAgreement.overall_achieved([goal.achieved for goal in ordered])
    agreement.evaluated_on, agreement.evaluated_by = today, actor.user
    agreement.save()
    changes = {**_changes(before, agreement), **goal_changes}
    _record(actor, PARTNER_AGREEMENT_EVALUATED, agreement, changes, now)
    return agreement


def month_close_by(*, actor: Actor, month: date, today: date, now: datetime) -> MonthClosed:
    """A manager closes an ended month from the report page (see ``month_close``).

    Raises:
        MonthNotOver: the month is the current one or in the future.
    """
    policy.require(actor, Capability.MANAGE_GOALS)
    month = month.replace(day=1)
    if month >= today.replace(day=1):
        raise MonthNotOver(
            _("Kuluvaa tai tulevaa kuukautta ei voi sulkea: vain päättyneen kuukauden voi sulkea.")
        )
    snapshot = month_close(organisation=actor.organisation, month=month, user=actor.user, now=now)
    return MonthClosed(
        snapshot=snapshot,
        first=snapshot.closed_at == now,
        corrections=snapshot.corrections.filter(recorded_at=now).count(),
    )
