"""Goals, yearly targets, entered figures and partner agreements in the web UI and the API;
closing a month from the report page (SPEC C8)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.api.tests.test_api import api
from polku.audit.models import ChangeLogEntry
from polku.reports import services
from polku.reports.models import (
    AgreementGoal,
    EnteredFigure,
    Goal,
    MonthSnapshot,
    PartnerAgreement,
    SnapshotCorrection,
    Target,
)
from polku.reports.periods import add_months
from polku.reports.tests.scenario import october
from polku.service_episodes.models import ReimbursementClaim


@pytest.fixture
def manager(organisation: Organisation) -> User:
    return UserFactory.create(username="manager", memberships=[(organisation, Role.MANAGER)])


@pytest.fixture
def lead(organisation: Organisation) -> User:
    return UserFactory.create(username="lead", memberships=[(organisation, Role.LEAD_COACH)])


def _events(model: type[Model], pk: int) -> list[str]:
    rows = ChangeLogEntry.objects.filter(object_type=model._meta.label, object_id=str(pk))
    return list(rows.order_by("id").values_list("event", flat=True))


def _goal(organisation: Organisation, title: str = "Suuremman asiakasmäärän tavoittaminen") -> Goal:
    return Goal.objects.create(organisation=organisation, title=title, measures=["Soitetaan"])


# --- goals and targets ---------------------------------------------------------------------


def test_goal__created_and_edited_by_a_manager_with_history(manager: User) -> None:
    http = logged_in(manager)

    created = http.post(
        reverse("monitoring:goal_create"),
        {
            "title": "Palveluiden monipuolistaminen",
            "measures": "Lisää paikkoja\n\nUusia sisältöjä",
            "order": "1",
        },
    )
    goal = Goal.objects.get()
    edited = http.post(
        reverse("monitoring:goal_edit", args=[goal.pk]),
        {
            "title": "Palveluiden monipuolistaminen 2026",
            "measures": "Lisää paikkoja",
            "order": "1",
            "version": "1",
        },
    )

    assert created.status_code == edited.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Palveluiden monipuolistaminen 2026"
    assert goal.measures == ["Lisää paikkoja"]
    assert goal.version == 2
    assert _events(Goal, goal.pk) == ["reports.goal.created", "reports.goal.updated"]
    update = ChangeLogEntry.objects.filter(event="reports.goal.updated").get()
    assert update.changes == {
        "title": ["Palveluiden monipuolistaminen", "Palveluiden monipuolistaminen 2026"],
        "measures": [["Lisää paikkoja", "Uusia sisältöjä"], ["Lisää paikkoja"]],
    }
    assert update.actor == manager


def test_goal_edit__a_version_conflict_keeps_what_was_typed(
    manager: User, organisation: Organisation
) -> None:
    goal = _goal(organisation)
    other = UserFactory.create(username="toinen", memberships=[(organisation, Role.MANAGER)])
    services.goal_update(
        actor=actor_of(other, organisation),
        goal_id=goal.pk,
        version=1,
        data=services.GoalData(title="Toisen otsikko", measures=["Toisen keino"], order=0),
        now=timezone.now(),
    )

    response = logged_in(manager).post(
        reverse("monitoring:goal_edit", args=[goal.pk]),
        {"title": "Minun otsikkoni", "measures": "Minun keinoni", "order": "0", "version": "1"},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Tiedot ovat muuttuneet sillä välin" in text
    assert 'value="Minun otsikkoni"' in text
    assert "Minun keinoni</textarea>" in text
    assert "Toisen otsikko" in text  # the saved version is listed
    assert 'name="version" value="2"' in text  # saving again knowingly replaces it
    goal.refresh_from_db()
    assert goal.title == "Toisen otsikko"
    assert _events(Goal, goal.pk) == ["reports.goal.updated"]


def test_target__added_and_changed_with_history_and_a_duplicate_refused(
    manager: User, organisation: Organisation
) -> None:
    goal = _goal(organisation)
    http = logged_in(manager)
    data = {"indicator": "plans_up_to_date", "year": "2026", "value": "85"}

    http.post(reverse("monitoring:target_create", args=[goal.pk]), data)
    target = Target.objects.get()
    http.post(
        reverse("monitoring:target_edit", args=[target.pk]),
        {**data, "value": "90.5", "version": "1"},
    )
    duplicate = http.post(reverse("monitoring:target_create", args=[goal.pk]), data)

    target.refresh_from_db()
    assert target.value == Decimal("90.50")
    assert Target.objects.count() == 1
    assert (
        "Tavoitteella on jo tavoitearvo tälle mittarille ja vuodelle." in duplicate.content.decode()
    )
    assert _events(Target, target.pk) == ["reports.target.set", "reports.target.set"]
    assert ChangeLogEntry.objects.filter(event="reports.target.set").latest("id").changes == {
        "value": ["85.00", "90.5"]
    }


def test_goals_page__targets_against_the_year_so_far_without_n_plus_one(
    manager: User, organisation: Organisation, django_assert_max_num_queries
) -> None:
    year = timezone.localdate().year
    EnteredFigure.objects.create(
        organisation=organisation,
        kind=EnteredFigure.Kind.UNEMPLOYMENT_RATE,
        month=date(year, 1, 1),
        value=Decimal("9.3"),
    )
    Target.objects.create(
        goal=_goal(organisation), indicator="unemployment_rate", year=year, value=8
    )
    http = logged_in(manager)
    url = reverse("monitoring:goals")

    with CaptureQueriesContext(connection) as one_goal:
        first = http.get(url)
    for number in range(8):
        goal = _goal(organisation, f"Tavoite {number}")
        Target.objects.create(goal=goal, indicator="plans_up_to_date", year=year, value=90)
    with django_assert_max_num_queries(len(one_goal.captured_queries)):
        many = http.get(url)

    assert first.status_code == many.status_code == 200
    assert "9,30 %" in first.content.decode()  # the actual next to the target
    assert "8,00 %" in first.content.decode()
    assert "Tavoite 7" in many.content.decode()


def test_goal_of_another_organisation_is_not_found(
    manager: User, other_organisation: Organisation
) -> None:
    foreign = _goal(other_organisation)

    response = logged_in(manager).get(reverse("monitoring:goal_edit", args=[foreign.pk]))

    assert response.status_code == 404


# --- entered figures -------------------------------------------------------------------------


def test_figure__entered_and_edited_with_history(manager: User) -> None:
    http = logged_in(manager)
    data = {"kind": "workshop_budget", "month": "2026-09", "unit": "TyöVarikko", "value": "12000"}

    created = http.post(reverse("monitoring:figure_create"), data)
    figure = EnteredFigure.objects.get()
    http.post(
        reverse("monitoring:figure_edit", args=[figure.pk]),
        {**data, "value": "12500.50", "version": "1"},
    )
    listed = http.get(reverse("monitoring:figures") + "?year=2026").content.decode()

    assert created.status_code == 302
    figure.refresh_from_db()
    assert (figure.month, figure.value) == (date(2026, 9, 1), Decimal("12500.50"))
    assert _events(EnteredFigure, figure.pk) == ["reports.figure.set", "reports.figure.set"]
    assert "12500,50" in listed
    assert "TyöVarikko" in listed


def test_target_and_figure_edits__a_version_conflict_keeps_what_was_typed(
    manager: User, organisation: Organisation
) -> None:
    goal = _goal(organisation)
    http = logged_in(manager)
    target_data = {"indicator": "plans_up_to_date", "year": "2026", "value": "85"}
    figure_data = {"kind": "workshop_budget", "month": "2026-09", "unit": "Paja", "value": "100"}
    http.post(reverse("monitoring:target_create", args=[goal.pk]), target_data)
    http.post(reverse("monitoring:figure_create"), figure_data)
    target, figure = Target.objects.get(), EnteredFigure.objects.get()
    target_url = reverse("monitoring:target_edit", args=[target.pk])
    figure_url = reverse("monitoring:figure_edit", args=[figure.pk])
    http.post(target_url, {**target_data, "value": "70", "version": "1"})  # someone else first
    http.post(figure_url, {**figure_data, "value": "200", "version": "1"})

    late_target = http.post(target_url, {**target_data, "value": "99", "version": "1"})
    late_figure = http.post(figure_url, {**figure_data, "value": "300", "version": "1"})

    for response, typed in ((late_target, 'value="99"'), (late_figure, 'value="300"')):
        text = response.content.decode()
        assert response.status_code == 200
        assert "Joku muu tallensi tiedot sillä välin" in text
        assert typed in text
        assert 'name="version" value="2"' in text
    target.refresh_from_db()
    figure.refresh_from_db()
    assert (target.value, figure.value) == (Decimal("70.00"), Decimal("200.00"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "unemployment_rate", "month": "2026-09", "unit": "", "value": "120"},
            "Työttömyysprosentti on välillä 0–100.",
        ),
        (
            {"kind": "workshop_actual", "month": "2026-09", "unit": "", "value": "100"},
            "Kirjoita työpajayksikön nimi.",
        ),
        (
            {"kind": "unemployment_rate", "month": "syyskuu", "unit": "", "value": "9"},
            "Anna kuukausi muodossa vvvv-kk, esimerkiksi 2026-10.",
        ),
    ],
)
def test_figure__invalid_input_gives_a_finnish_error(
    manager: User, data: dict[str, str], message: str
) -> None:
    response = logged_in(manager).post(reverse("monitoring:figure_create"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EnteredFigure.objects.exists()


def test_figure__the_same_month_twice_is_refused(manager: User, organisation: Organisation) -> None:
    EnteredFigure.objects.create(
        organisation=organisation, kind="unemployment_rate", month=date(2026, 9, 1), value=9
    )
    data = {"kind": "unemployment_rate", "month": "2026-09", "unit": "", "value": "9.5"}

    response = logged_in(manager).post(reverse("monitoring:figure_create"), data)

    assert "Tämä luku on jo kirjattu tälle kuukaudelle" in response.content.decode()
    assert EnteredFigure.objects.count() == 1


def test_figures_page__no_query_per_row(
    manager: User, organisation: Organisation, django_assert_max_num_queries
) -> None:
    EnteredFigure.objects.bulk_create(
        EnteredFigure(
            organisation=organisation, kind="unemployment_rate", month=date(2026, m, 1), value=m
        )
        for m in range(1, 13)
    )

    http = logged_in(manager)

    with django_assert_max_num_queries(10):
        response = http.get(reverse("monitoring:figures") + "?year=2026")

    assert response.content.decode().count("Työttömyysprosentti</th>") == 12


# --- partner agreements --------------------------------------------------------------------


AGREEMENT = {
    "partner": "Esimerkkilän Seurakunta",
    "year": "2026",
    "status": "signed",
    "signed_on": "15.1.2026",
    "contact": "Diakoniatyöntekijä",
    "goals": "Kaksi kuntouttavan työtoiminnan paikkaa\nYhteinen rekrytointitapahtuma",
}


def test_agreement__created_edited_and_evaluated_with_history(manager: User) -> None:
    http = logged_in(manager)

    http.post(reverse("monitoring:partner_create"), AGREEMENT)
    agreement = PartnerAgreement.objects.get()
    http.post(
        reverse("monitoring:partner_edit", args=[agreement.pk]),
        {**AGREEMENT, "contact": "Kirkkoherranvirasto", "version": "1"},
    )
    places, event = agreement.agreed_goals.all()
    evaluated = http.post(
        reverse("monitoring:partner_evaluate", args=[agreement.pk]),
        {
            f"goal_{places.pk}_achieved": "yes",
            f"goal_{places.pk}_evaluation": "Molemmat paikat käytössä.",
            f"goal_{event.pk}_achieved": "no",
            f"goal_{event.pk}_evaluation": "Tapahtuma siirtyi ensi vuoteen.",
            "evaluation": "Paikat toteutuivat, tapahtuma siirtyi.",
            "version": "2",
        },
    )

    assert evaluated.status_code == 302
    agreement.refresh_from_db()
    assert agreement.goals == [
        "Kaksi kuntouttavan työtoiminnan paikkaa",
        "Yhteinen rekrytointitapahtuma",
    ]
    assert agreement.signed_on == date(2026, 1, 15)
    assert agreement.contact == "Kirkkoherranvirasto"
    assert (agreement.achieved, agreement.evaluated_by) == ("partly", manager)
    assert agreement.evaluated_on == timezone.localdate()
    assert _events(PartnerAgreement, agreement.pk) == [
        "reports.partner_agreement.created",
        "reports.partner_agreement.updated",
        "reports.partner_agreement.evaluated",
    ]
    listed = http.get(reverse("monitoring:partners") + "?year=2026").content.decode()
    assert "Toteutui osittain" in listed  # derived: one goal yes, one no
    assert "Yhteinen rekrytointitapahtuma" in listed
    assert "Tapahtuma siirtyi ensi vuoteen." in listed


def test_agreement__signed_without_a_date_is_refused(manager: User) -> None:
    response = logged_in(manager).post(
        reverse("monitoring:partner_create"), {**AGREEMENT, "signed_on": ""}
    )

    assert (
        "Allekirjoitetulla sopimuksella on oltava allekirjoituspäivä." in response.content.decode()
    )
    assert not PartnerAgreement.objects.exists()


def _agreements(organisation: Organisation, count: int, year: int = 2026) -> None:
    agreements = PartnerAgreement.objects.bulk_create(
        PartnerAgreement(
            organisation=organisation,
            partner=f"Kumppani {number}",
            year=year,
            evaluated_on=date(2027, 1, 10),
            achieved="yes",
        )
        for number in range(count)
    )
    AgreementGoal.objects.bulk_create(
        AgreementGoal(agreement=agreement, order=0, text="Tavoite", achieved="yes")
        for agreement in agreements
    )


def test_partners_page__no_query_per_agreement(
    manager: User, organisation: Organisation, django_assert_max_num_queries
) -> None:
    _agreements(organisation, 10)
    PartnerAgreement.objects.update(evaluated_by=manager)

    http = logged_in(manager)

    with django_assert_max_num_queries(10):
        response = http.get(reverse("monitoring:partners") + "?year=2026")

    text = response.content.decode()
    assert text.count('<h2 id="agreement-') == 10
    assert text.count(f", {manager.get_full_name()})</dd>") == 10  # the evaluator, joined


def test_monthly_report__lists_the_years_agreements_also_in_the_xlsx(
    manager: User, organisation: Organisation
) -> None:
    _agreements(organisation, 2)
    http = logged_in(manager)

    page = http.get(reverse("monitoring:monthly") + "?month=2026-10").content.decode()
    xlsx = http.get(reverse("monitoring:monthly_xlsx") + "?month=2026-10")

    assert "Aiesopimukset 2026" in page
    assert "Kumppani 1" in page
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_name(
        "Aiesopimukset"
    )
    assert sheet.to_python()[1][:4] == ["Kumppani 0", "Valmisteilla", "Tavoite", "Toteutui"]


# --- closing a month -------------------------------------------------------------------------


def _last_month() -> date:
    return add_months(timezone.localdate().replace(day=1), -1)


def test_close_button__only_managers_see_it_and_only_for_an_ended_month(
    manager: User, lead: User
) -> None:
    past = reverse("monitoring:monthly") + f"?month={_last_month():%Y-%m}"
    current = reverse("monitoring:monthly") + f"?month={timezone.localdate():%Y-%m}"

    assert "Sulje kuukausi" in logged_in(manager).get(past).content.decode()
    assert "Sulje kuukausi" not in logged_in(manager).get(current).content.decode()
    assert "Sulje kuukausi" not in logged_in(lead).get(past).content.decode()
    assert (
        logged_in(lead).post(reverse("monitoring:monthly_close"), {"month": "2026-10"}).status_code
        == 403
    )


def test_close_button__closes_the_month_and_a_second_close_records_corrections(
    manager: User, organisation: Organisation, coach: User
) -> None:
    october(organisation, coach)
    http = logged_in(manager)
    close = reverse("monitoring:monthly_close")

    first = http.post(close, {"month": "2026-10"}, follow=True)
    ReimbursementClaim.objects.update(amount=Decimal("2000.00"))
    second = http.post(close, {"month": "2026-10"}, follow=True)

    snapshot = MonthSnapshot.objects.get(organisation=organisation)
    assert snapshot.month == date(2026, 10, 1)
    assert snapshot.closed_by == manager
    assert "Kuukausi 10/2026 on suljettu ja sen luvut tallennettu." in first.content.decode()
    assert SnapshotCorrection.objects.filter(snapshot=snapshot).count() == 1
    assert "Kuukausi 10/2026 oli jo suljettu; 1 korjaus kirjattiin." in second.content.decode()
    assert "Korjaukset suljettuun kuukauteen" in second.content.decode()
    assert ChangeLogEntry.objects.filter(event="reports.month.closed", actor=manager).count() == 1


@pytest.mark.parametrize("months_ahead", [0, 1])
def test_close_button__refuses_the_current_and_a_future_month(
    manager: User, months_ahead: int
) -> None:
    month = add_months(timezone.localdate().replace(day=1), months_ahead)

    response = logged_in(manager).post(
        reverse("monitoring:monthly_close"), {"month": f"{month:%Y-%m}"}, follow=True
    )

    assert "Kuluvaa tai tulevaa kuukautta ei voi sulkea" in response.content.decode()
    assert not MonthSnapshot.objects.exists()


def test_close_button__needs_the_csrf_token(manager: User) -> None:
    http = logged_in(manager)
    http.handler.enforce_csrf_checks = True

    response = http.post(reverse("monitoring:monthly_close"), {"month": "2026-10"})

    assert response.status_code == 403
    assert not MonthSnapshot.objects.exists()


# --- API -------------------------------------------------------------------------------------


def test_api__goals_with_targets_and_agreements_of_the_own_organisation_only(
    manager: User, organisation: Organisation, other_organisation: Organisation
) -> None:
    goal = _goal(organisation)
    Target.objects.create(goal=goal, indicator="plans_up_to_date", year=2026, value=90)
    Target.objects.create(goal=goal, indicator="plans_up_to_date", year=2025, value=80)
    _agreements(organisation, 1)
    foreign = _goal(other_organisation, "Naapurin tavoite")
    Target.objects.create(goal=foreign, indicator="plans_up_to_date", year=2026, value=1)
    _agreements(other_organisation, 3)
    http = api(manager, organisation)

    goals = http.get("/api/v1/reports/goals?year=2026").json()
    agreements = http.get("/api/v1/reports/partner-agreements").json()

    assert [g["title"] for g in goals] == ["Suuremman asiakasmäärän tavoittaminen"]
    assert goals[0]["targets"] == [
        {"indicator": "plans_up_to_date", "year": 2026, "value": "90.00"}
    ]
    assert goals[0]["measures"] == ["Soitetaan"]
    assert len(agreements) == 1
    assert agreements[0]["partner"] == "Kumppani 0"
    assert agreements[0]["achieved"] == "yes"
