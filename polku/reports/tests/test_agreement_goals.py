"""Partner agreements (aiesopimus, seed 002) evaluated goal by goal at the next round."""

import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.api.tests.test_api import api
from polku.audit.models import ChangeLogEntry
from polku.reports import services
from polku.reports.models import AgreementGoal, PartnerAgreement

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
GOALS = ["Kaksi kuntouttavan työtoiminnan paikkaa", "Yhteinen rekrytointitapahtuma"]


@pytest.fixture
def manager(organisation: Organisation) -> User:
    return UserFactory.create(username="esihenkilo", memberships=[(organisation, Role.MANAGER)])


@pytest.fixture
def manager_actor(manager: User, organisation: Organisation) -> Actor:
    return actor_of(manager, organisation)


def _agreement(actor: Actor, goals: list[str] = GOALS, year: int = 2026) -> PartnerAgreement:
    return services.agreement_create(
        actor=actor,
        data=services.AgreementData(
            partner="Esimerkkilän Seurakunta",
            year=year,
            signed_on=date(year, 1, 20),
            contact="Diakoniatyö",
            goals=goals,
            status=PartnerAgreement.Status.SIGNED,
        ),
        now=NOW,
    )


def _evaluate(
    actor: Actor, agreement: PartnerAgreement, results: list[str], version: int = 1
) -> PartnerAgreement:
    goals = list(agreement.agreed_goals.all())
    return services.agreement_evaluate(
        actor=actor,
        agreement_id=agreement.pk,
        version=version,
        goals=[
            services.GoalEvaluation(goal.pk, achieved, f"Arvio {goal.order + 1}")
            for goal, achieved in zip(goals, results, strict=True)
        ],
        evaluation="Yhteistyö jatkuu.",
        today=NOW.date(),
        now=NOW,
    )


@pytest.mark.parametrize(
    ("results", "overall"),
    [(["yes", "yes"], "yes"), (["no", "no"], "no"), (["yes", "no"], "partly")],
)
def test_agreement_evaluate__records_each_goal_and_derives_the_overall_result(
    manager_actor: Actor, results: list[str], overall: str
) -> None:
    agreement = _evaluate(manager_actor, _agreement(manager_actor), results)

    rows = list(agreement.agreed_goals.values_list("text", "achieved", "evaluation"))
    assert rows == [
        (GOALS[0], results[0], "Arvio 1"),
        (GOALS[1], results[1], "Arvio 2"),
    ]
    assert (agreement.achieved, agreement.evaluation) == (overall, "Yhteistyö jatkuu.")
    history = ChangeLogEntry.objects.get(event="reports.partner_agreement.evaluated")
    assert history.changes["goal 1"] == [["", ""], [results[0], "Arvio 1"]]


def test_agreement_evaluate__every_goal_must_be_evaluated_once(manager_actor: Actor) -> None:
    agreement = _agreement(manager_actor)
    first = agreement.agreed_goals.first()
    assert first is not None
    foreign = AgreementGoal.objects.create(
        agreement=_agreement(manager_actor, year=2025), order=9, text="Muu"
    )

    for goals in (
        [services.GoalEvaluation(first.pk, "yes")],
        [services.GoalEvaluation(first.pk, "yes"), services.GoalEvaluation(foreign.pk, "no")],
        [services.GoalEvaluation(goal.pk, "maybe") for goal in agreement.agreed_goals.all()],
    ):
        with pytest.raises(services.InvalidInput):
            services.agreement_evaluate(
                actor=manager_actor,
                agreement_id=agreement.pk,
                version=1,
                goals=goals,
                evaluation="",
                today=NOW.date(),
                now=NOW,
            )

    assert not agreement.agreed_goals.exclude(achieved="").exists()


def test_agreement_update__keeps_evaluated_goals_and_adds_new_ones(manager_actor: Actor) -> None:
    agreement = _evaluate(manager_actor, _agreement(manager_actor), ["yes", "partly"])
    data = services.AgreementData(
        partner=agreement.partner,
        year=2026,
        signed_on=agreement.signed_on,
        contact=agreement.contact,
        goals=[GOALS[1], GOALS[0], "Uusi tavoite"],
        status=PartnerAgreement.Status.ENDED,
    )

    services.agreement_update(
        actor=manager_actor, agreement_id=agreement.pk, version=2, data=data, now=NOW
    )

    rows = list(agreement.agreed_goals.values_list("order", "text", "achieved"))
    assert rows == [(0, GOALS[1], "partly"), (1, GOALS[0], "yes"), (2, "Uusi tavoite", "")]


def test_agreement_update__an_evaluated_goal_is_not_reworded(manager_actor: Actor) -> None:
    agreement = _evaluate(manager_actor, _agreement(manager_actor), ["yes", "no"])
    data = services.AgreementData(
        partner=agreement.partner,
        year=2026,
        signed_on=agreement.signed_on,
        contact="",
        goals=["Kolme paikkaa", GOALS[1]],
        status=PartnerAgreement.Status.ENDED,
    )

    with pytest.raises(services.InvalidInput) as refused:
        services.agreement_update(
            actor=manager_actor, agreement_id=agreement.pk, version=2, data=data, now=NOW
        )

    assert refused.value.field == "goals"
    assert agreement.goals == GOALS


def test_evaluate_page__a_select_per_goal_and_a_conflict_keeps_what_was_typed(
    manager: User, manager_actor: Actor
) -> None:
    agreement = _agreement(manager_actor)
    first, second = agreement.agreed_goals.all()
    http = logged_in(manager)
    url = reverse("monitoring:partner_evaluate", args=[agreement.pk])
    typed = {
        f"goal_{first.pk}_achieved": "yes",
        f"goal_{first.pk}_evaluation": "Minun arvioni",
        f"goal_{second.pk}_achieved": "partly",
        "version": "1",
    }
    page = http.get(url).content.decode()
    _evaluate(manager_actor, agreement, ["no", "no"])  # someone else evaluated meanwhile

    response = http.post(url, typed)

    assert f"Tavoite 2: {GOALS[1]} – toteutuminen" in page
    assert response.status_code == 200
    assert response.context["form"][f"goal_{first.pk}_evaluation"].value() == "Minun arvioni"
    assert PartnerAgreement.objects.get().achieved == "no"


def test_monthly_report__shows_last_years_goals_as_evaluated_in_page_pdf_xlsx_and_api(
    manager: User, manager_actor: Actor, organisation: Organisation
) -> None:
    _evaluate(manager_actor, _agreement(manager_actor, year=2026), ["yes", "no"])
    http = logged_in(manager)
    month = "?month=2027-01"

    page = http.get(reverse("monitoring:monthly") + month).content.decode()
    pdf = http.get(reverse("monitoring:monthly_pdf") + month)
    xlsx = http.get(reverse("monitoring:monthly_xlsx") + month)
    agreements = api(manager, organisation).get("/api/v1/reports/partner-agreements").json()

    assert "Vuoden 2026 aiesopimusten arviointi tavoitteittain" in page
    assert "Arvio 2" in page
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Yhteinen rekrytointitapahtuma" in text
    assert "Ei toteutunut" in text
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content))
        .get_sheet_by_name("Aiesopimukset")
        .to_python()
    )
    assert [row[2] for row in rows[1:]] == GOALS
    assert [row[6:8] for row in rows[1:]] == [["Toteutui", "Arvio 1"], ["Ei toteutunut", "Arvio 2"]]
    (agreement,) = agreements
    assert agreement["goals"] == GOALS
    assert agreement["achieved"] == "partly"
    assert [(g["text"], g["achieved"]) for g in agreement["goal_evaluations"]] == [
        (GOALS[0], "yes"),
        (GOALS[1], "no"),
    ]


def _migrate(targets: list[tuple[str, str]] | None = None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True)
def test_migration__json_goals_become_rows_and_an_old_overall_evaluation_stays() -> None:
    old_node, new_node = (
        ("reports", "0004_target_and_figure_versions"),
        (
            "reports",
            "0005_agreement_goals",
        ),
    )
    old: Any = _migrate([old_node]).loader.project_state(old_node).apps
    organisation = old.get_model("accounts", "Organisation").objects.create(
        slug="k", name="Kunta", kind="municipality"
    )
    old.get_model("reports", "PartnerAgreement").objects.create(
        organisation=organisation,
        partner="Seurakunta",
        year=2025,
        goals=[GOALS[0], "", GOALS[1]],
        achieved="partly",
        evaluation="Arvioitu kokonaisuutena.",
    )

    new: Any = _migrate([new_node]).loader.project_state(new_node).apps
    _migrate()  # back to the latest state for the tests that follow

    agreement = new.get_model("reports", "PartnerAgreement").objects.get()
    goals = new.get_model("reports", "AgreementGoal").objects.filter(agreement=agreement)
    assert list(goals.order_by("order").values_list("text", "achieved")) == [
        (GOALS[0], ""),
        (GOALS[1], ""),
    ]
    assert (agreement.achieved, agreement.evaluation) == ("partly", "Arvioitu kokonaisuutena.")
