"""Writes of the monitoring work: closing a month, questionnaire versions, links, answers."""

import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.http import Http404

from polku.access import policy
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Capability
from polku.audit import services as audit
from polku.audit.events import (
    FOLLOW_UP_RECORDED,
    QUESTIONNAIRE_ANSWERED,
    QUESTIONNAIRE_LINK_CREATED,
    QUESTIONNAIRE_VERSION_CREATED,
    REPORT_MONTH_CLOSED,
    REPORT_SNAPSHOT_CORRECTED,
)
from polku.reports import indicators
from polku.reports.models import (
    FollowUp,
    MonthSnapshot,
    OneTimeLink,
    QuestionnaireResponse,
    QuestionnaireVersion,
    SnapshotCorrection,
)
from polku.reports.periods import month_end
from polku.reports.questionnaires import QUESTIONS, SCALE, TITLES
from polku.reports.tokens import token_hash
from polku.service_episodes.models import ServiceEpisode


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
