"""The monthly report page, its PDF and XLSX, and the JSON API: suppression everywhere."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from conftest import logged_in
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.api.tests.test_api import api
from polku.reports import services
from polku.reports.models import Goal, Target
from polku.reports.periods import add_months
from polku.reports.tests.scenario import AT, OCTOBER, october
from polku.service_episodes.models import ReimbursementClaim

MONTH = "?month=2026-10"


@pytest.fixture
def manager(organisation: Organisation, coach: User) -> User:
    october(organisation, coach)
    goal = Goal.objects.create(
        organisation=organisation, title="Suuremman asiakasmäärän tavoittaminen", measures=["x"]
    )
    Target.objects.create(goal=goal, indicator="share_list_contacted", year=2026, value=60)
    return UserFactory.create(username="manager", memberships=[(organisation, Role.MANAGER)])


def test_monthly__shows_indicators_charts_goals_and_suppresses_small_groups(
    manager: User, django_assert_max_num_queries
) -> None:
    http = logged_in(manager)

    with django_assert_max_num_queries(80):
        response = http.get(reverse("monitoring:monthly") + MONTH)

    text = response.content.decode()
    assert response.status_code == 200
    assert "1\xa0234,50&nbsp;€" in text  # Finnish: decimal comma, non-breaking spaces
    assert "40,0&nbsp;%" in text
    assert "(4/10)" in text
    assert "&lt; 5" in text  # the three self-referred and the capacity measurements
    assert "<svg" in text
    assert "Lähettäjätahot: kuvaajan luvut" in text
    assert "Suuremman asiakasmäärän tavoittaminen" in text
    assert "Kuukautta ei ole suljettu" in text


def test_monthly__a_closed_month_shows_its_snapshot_and_the_correction(manager: User) -> None:
    organisation = manager.memberships.get().organisation
    services.month_close(organisation=organisation, month=OCTOBER, user=None, now=AT)
    ReimbursementClaim.objects.update(amount=Decimal("2000.00"))
    services.month_close(organisation=organisation, month=OCTOBER, user=None, now=AT)

    text = logged_in(manager).get(reverse("monitoring:monthly") + MONTH).content.decode()

    assert "1\xa0234,50&nbsp;€" in text
    assert "Korjaukset suljettuun kuukauteen" in text
    assert "2\xa0000,00" in text


def test_monthly_xlsx_and_pdf__download_with_suppressed_cells(manager: User) -> None:
    http = logged_in(manager)

    xlsx = http.get(reverse("monitoring:monthly_xlsx") + MONTH)
    pdf = http.get(reverse("monitoring:monthly_pdf") + MONTH)

    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content))
    sources = book.get_sheet_by_name("Lähettäjätahot").to_python()
    assert ["Oma yhteydenotto", "< 5"] in sources
    assert ["Kelan kuntaosuuslista / aktivointitapaaminen", "6"] in sources


def _assert_nothing_beyond_the_right_edge(content: bytes) -> None:
    """Every piece of text starts inside the page's right margin (the definition column
    was once laid out past the edge and cut off on every page)."""
    for page in PdfReader(io.BytesIO(content)).pages:
        width = float(page.mediabox.width)
        starts: list[float] = []

        def visit(
            text: str, cm: list[float], tm: list[float], *_: object, starts: list[float] = starts
        ) -> None:
            if text.strip():
                starts.append(cm[0] * tm[4] + cm[2] * tm[5] + cm[4])

        page.extract_text(visitor_text=visit)
        assert starts
        assert max(starts) < width - 40, (max(starts), width)


def test_monthly_pdf__numbers_in_finnish_and_no_internal_jargon(manager: User) -> None:
    organisation = manager.memberships.get().organisation
    ReimbursementClaim.objects.update(amount=Decimal("124077.18"))
    for month in (add_months(OCTOBER, -1), OCTOBER):  # closed months: the longest headers
        services.month_close(organisation=organisation, month=month, user=None, now=AT)

    pdf = logged_in(manager).get(reverse("monitoring:monthly_pdf") + MONTH)

    _assert_nothing_beyond_the_right_edge(pdf.content)

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "124\xa0077,18" in text or "124 077,18" in text
    assert "124077.18" not in text
    assert "seed" not in text


def test_monthly__is_not_for_caseworkers(coach: User) -> None:
    assert logged_in(coach).get(reverse("monitoring:monthly")).status_code == 403


def test_reports_api__gives_indicators_and_the_monthly_report_with_suppression(
    manager: User,
) -> None:
    http = api(manager, manager.memberships.get().organisation)

    listed = http.get("/api/v1/reports/indicators?start=2026-10-01&end=2026-10-31").json()
    monthly = http.get("/api/v1/reports/monthly?month=2026-10").json()

    by_key = {item["key"]: item for item in listed}
    assert by_key["ktt_compensation"]["value"] == "1234.50"
    assert by_key["capacity_score"]["value"] == "< 5"
    assert {r["key"]: r["value"] for r in by_key["referral_sources"]["rows"]}["self"] == "< 5"
    assert monthly["month"] == "2026-10"
    assert monthly["closed"] is False
    assert monthly["lines"][0]["key"] == "referral_sources"
