import random
from datetime import UTC, datetime

from polku.accounts.models import Organisation, User
from polku.clients.tests.factories import ClientFactory
from polku.demo.context import DemoContext
from polku.reports import demo
from polku.reports.models import (
    EnteredFigure,
    Goal,
    MonthSnapshot,
    PartnerAgreement,
    QuestionnaireResponse,
)


def test_populate__creates_goals_figures_answers_and_closed_months_once(
    organisation: Organisation, coach: User
) -> None:
    clients = [
        ClientFactory.create(organisation=organisation, responsible_worker=coach) for _ in range(8)
    ]
    context = DemoContext(
        organisation=organisation,
        users={"valmentaja": coach},
        caseworkers=[coach],
        clients=clients,
        rng=random.Random(1),
        now=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
    )

    first = demo.populate(context)
    second = demo.populate(context)

    assert "3 goals" in first
    assert "already there" in second
    assert Goal.objects.count() == 3
    assert EnteredFigure.objects.filter(kind="unemployment_rate").count() == 13
    assert QuestionnaireResponse.objects.values("client").distinct().count() == 8
    assert MonthSnapshot.objects.count() == demo.CLOSED_MONTHS
    assert PartnerAgreement.objects.filter(year=2025).exclude(evaluated_on=None).count() == 5
    assert PartnerAgreement.objects.filter(year=2026, status="signed").count() == 5
