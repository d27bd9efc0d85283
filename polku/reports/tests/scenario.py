"""A seeded October 2026 whose indicator values were computed by hand (see test_indicators)."""

from datetime import UTC, date, datetime
from decimal import Decimal

from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.plans.models import PlanStatus
from polku.plans.tests.factories import PlanFactory
from polku.referrals.tests.factories import ReferralFactory
from polku.reports.models import EnteredFigure, QuestionnaireKind, QuestionnaireResponse
from polku.reports.services import questionnaire_version_current
from polku.service_episodes.models import Outcome, ReferralSource, ReimbursementClaim
from polku.service_episodes.tests.factories import (
    EpisodeFactory,
    KttContractFactory,
    PlacementFactory,
)
from polku.sharelist.models import ContactAttempt
from polku.sharelist.tests.factories import ShareListRowFactory

OCTOBER = date(2026, 10, 1)
OCTOBER_END = date(2026, 10, 31)
AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _responses(clients: list[Client], kind: str, scores: list[str], organisation: Organisation):
    version = questionnaire_version_current(organisation=organisation, kind=kind, now=AT)
    QuestionnaireResponse.objects.bulk_create(
        QuestionnaireResponse(
            version=version,
            client=client,
            answered_on=date(2026, 10, 20),
            channel=QuestionnaireResponse.Channel.LINK,
            answers={},
            score=Decimal(score),
        )
        for client, score in zip(clients, scores, strict=False)
    )


def october(organisation: Organisation, worker: User) -> list[Client]:
    c = [
        ClientFactory.create(organisation=organisation, responsible_worker=worker)
        for _ in range(12)
    ]
    workshop = PlacementFactory.create(organisation=organisation, capacity=20)
    PlacementFactory.create(organisation=organisation, capacity=4, company=True)
    episodes = []
    for i in range(6):  # six from the share list, five of them end in October
        ended = i < 5
        episodes.append(
            EpisodeFactory.create(
                client=c[i],
                created_by=worker,
                started_on=date(2026, 10, 5),
                ended_on=date(2026, 10, 28) if ended else None,
                outcome=(Outcome.WORK if i < 3 else Outcome.STUDIES) if ended else "",
            )
        )
    episodes.extend(  # three came by themselves
        EpisodeFactory.create(
            client=c[i],
            created_by=worker,
            started_on=date(2026, 10, 10),
            referral_source=ReferralSource.SELF,
        )
        for i in range(6, 9)
    )
    EpisodeFactory.create(client=c[9], created_by=worker, started_on=date(2026, 9, 1))
    EpisodeFactory.create(  # ended before October: not in any October figure
        client=c[10],
        created_by=worker,
        started_on=date(2026, 6, 1),
        ended_on=date(2026, 9, 30),
        outcome=Outcome.WORK,
    )
    for episode in episodes[:6]:
        KttContractFactory.create(episode=episode, placement=workshop, signed=True)
    KttContractFactory.create(episode=episodes[6], placement=workshop)  # a draft
    ReimbursementClaim.objects.create(
        organisation=organisation,
        period_start=date(2026, 7, 1),
        period_end=date(2026, 10, 31),
        participants=6,
        attended_days=100,
        reimbursable_days=90,
        amount=Decimal("1234.50"),
        created_by=worker,
        created_at=AT,
    )
    ReimbursementClaim.objects.create(
        organisation=organisation,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        participants=6,
        attended_days=100,
        reimbursable_days=90,
        amount=Decimal("999.00"),
        created_by=worker,
        created_at=AT,
    )
    for i in range(8):
        PlanFactory.create(
            client=c[i],
            created_by=worker,
            next_review_on=date(2026, 12, 1) if i < 6 else date(2026, 10, 15),
        )
    PlanFactory.create(client=c[8], created_by=worker, status=PlanStatus.ENDED)
    for i in range(10):
        ShareListRowFactory.create(client=c[i], month=OCTOBER, share=Decimal("100.00"))
    ShareListRowFactory.create(
        client=c[0], month=date(2026, 9, 1), period_start=date(2026, 8, 1), share=Decimal(50)
    )
    for i, day in [(0, 5), (1, 6), (2, 7), (3, 8), (3, 9)]:
        ContactAttempt.objects.create(
            client=c[i],
            method=ContactAttempt.Method.PHONE,
            result=ContactAttempt.Result.REACHED,
            made_on=date(2026, 10, day),
            made_by=worker,
            recorded_at=AT,
        )
    ContactAttempt.objects.create(
        client=c[4],
        method=ContactAttempt.Method.PHONE,
        result=ContactAttempt.Result.REACHED,
        made_on=date(2026, 9, 20),
        made_by=worker,
        recorded_at=AT,
    )
    _responses(c[:6], QuestionnaireKind.FEEDBACK, ["4", "5", "3", "4", "5", "3"], organisation)
    _responses(c[:2], QuestionnaireKind.CAPACITY, ["2.5", "3.5"], organisation)
    for i in range(5):
        ReferralFactory.create(
            client=c[i],
            sent_by=worker,
            sent_on=date(2026, 10, 12),
            acknowledged_at=AT if i < 4 else None,
        )
    figures = [
        (EnteredFigure.Kind.UNEMPLOYMENT_RATE, date(2026, 9, 1), "", "9.1"),
        (EnteredFigure.Kind.UNEMPLOYMENT_RATE, OCTOBER, "", "8.7"),
        (EnteredFigure.Kind.WORKSHOP_BUDGET, OCTOBER, "TyöVarikko", "10000"),
        (EnteredFigure.Kind.WORKSHOP_ACTUAL, OCTOBER, "TyöVarikko", "9000"),
        (EnteredFigure.Kind.WORKSHOP_BUDGET, OCTOBER, "Puisto", "5000"),
        (EnteredFigure.Kind.WORKSHOP_ACTUAL, OCTOBER, "Puisto", "4500"),
    ]
    EnteredFigure.objects.bulk_create(
        EnteredFigure(organisation=organisation, kind=k, month=m, unit=u, value=Decimal(v))
        for k, m, u, v in figures
    )
    return c
