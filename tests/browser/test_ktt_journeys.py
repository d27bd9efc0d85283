"""KTT daily work, done by the role that does it, in Finnish and Swedish (#17).

The office clerk computes last month's expense allowances, the social counsellor decides
a contract from her worklist, the unit's supervisor marks last week's attendance on a
tablet, and the coach records signatures only after confirming them. Screenshots and the
documents land in ``build/screenshots/ktt-*`` for a person to look at.
"""

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from polku.accounts.models import User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.plans.models import Participant
from polku.service_episodes import services
from polku.service_episodes.models import (
    AllowanceStatement,
    Attendance,
    KttContract,
    Placement,
    ReferralSource,
    ReimbursementClaim,
)
from polku.service_episodes.tests.factories import (
    AttendanceFactory,
    EpisodeFactory,
    KttContractFactory,
    PlacementFactory,
)
from tests.browser.conftest import SCREENSHOTS, Site, log_in, new_context, prepare_sign_in

LANGUAGES = ("fi", "sv")
TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "allowances": "Kulukorvaukset",
        "compute": "Laske",
        "claims": "Tilityshakemukset",
        "decisions": "KTT-päätökset",
        "decide": "Tee päätös",
        "sign": "Kirjaa allekirjoitus",
        "all_present": "Kaikki läsnä",
        "skipped": "jätti merkitsemättä",
        "not_yet": "ei vielä merkittävissä",
        "has_signed": "on allekirjoittanut",
        "sent_to": "lähetetty päätettäväksi",
    },
    "sv": {
        "allowances": "Kostnadsersättningar",
        "compute": "Räkna ut",
        "claims": "Redovisningsansökningar",
        "decisions": "Beslut om arbetsverksamhet i rehabiliteringssyfte",
        "decide": "Fatta beslut",
        "sign": "Registrera underskrift",
        "all_present": "Alla närvarande",
        "skipped": "lämnade dessa omarkerade",
        "not_yet": "kan inte markeras ännu",
        "has_signed": "har undertecknat",
        "sent_to": "skickats för beslut till",
    },
}


def _user(site: Site, username: str, role: Role, **names: str) -> User:
    user = UserFactory.create(username=username, memberships=[(site.organisation, role)], **names)
    prepare_sign_in(user)
    return user


def _signed_in(browser: Browser, site: Site, user: User, language: str, **options: Any) -> Page:
    page = new_context(browser, site, language, **options).new_page()
    log_in(page, user)
    return page


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def _keep(download: Any, name: str) -> bytes:
    """Save a downloaded document beside the screenshots and return its bytes."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / name
    download.save_as(target)
    return target.read_bytes()


def _last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def _first_weekdays(start: date, count: int) -> list[date]:
    days = [start + timedelta(days=offset) for offset in range(14)]
    return [day for day in days if day.weekday() < 5][:count]


def _placement(site: Site, name: str) -> Placement:
    return PlacementFactory.create(organisation=site.organisation, name=name)


def _participant(site: Site, placement: Placement, last_name: str, start: date) -> Client:
    client = ClientFactory.create(
        organisation=site.organisation,
        responsible_worker=site.coach,
        first_names="Aino",
        last_name=last_name,
        main_income="labour_market_subsidy",
    )
    KttContractFactory.create(
        episode=EpisodeFactory.create(client=client, placement=placement, started_on=start),
        placement=placement,
        start=start,
        end=timezone.localdate() + timedelta(days=120),
        signed=True,
        signed_on=start,
    )
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_office_clerk_computes_last_months_expense_allowances_and_makes_the_claim(
    browser: Browser, site: Site, language: str
) -> None:
    text = TEXT[language]
    start, _end = _last_month(timezone.localdate())
    placement = _placement(site, "Puistoyksikkö")
    participant = _participant(site, placement, "Osallistuja", start - timedelta(days=28))
    for day in _first_weekdays(start, 3):
        AttendanceFactory.create(client=participant, day=day)
    clerk = _user(site, f"toimisto-{language}", Role.OFFICE_CLERK)
    page = _signed_in(browser, site, clerk, language)

    page.goto(reverse("services:index"))
    page.get_by_role("link", name=text["allowances"], exact=True).click()
    row = page.get_by_role("row", name=re.compile("Osallistuja, Aino"))
    expect(row).to_contain_text("Puistoyksikkö")
    expect(row.locator("td.count")).to_have_text("3")
    _shot(page, f"ktt-clerk-allowances-{language}")
    row.get_by_role("link", name=re.compile(text["compute"])).click()
    expect(page.locator("main")).to_contain_text(participant.hetu)
    page.locator("input[name=travel_costs]").fill("6,40")
    _shot(page, f"ktt-clerk-allowance-form-{language}")
    page.locator("input[name=travel_costs]").press("Enter")

    expect(page.locator(".message-success")).to_contain_text("33,40 €")
    expect(page.get_by_role("row", name=re.compile("Osallistuja, Aino"))).to_contain_text("33,40 €")
    _shot(page, f"ktt-clerk-allowances-done-{language}")
    statement = AllowanceStatement.objects.get(client=participant)
    assert (statement.kind, statement.days, statement.total) == (
        "expense_allowance",
        3,
        Decimal("33.40"),
    )

    page.get_by_role("link", name=text["claims"]).first.click()
    page.locator("main form button[type=submit]").click()
    claim = ReimbursementClaim.objects.get(organisation=site.organisation, period_start=start)
    assert claim.reimbursable_days == 3
    page.locator("form:has(input[value='ktt_claim_pdf']) button").click()  # in the background
    with page.expect_download() as download:
        page.locator("main a[href$='/file/']").click()
    assert _keep(download.value, f"ktt-claim-{language}.pdf").startswith(b"%PDF")


@pytest.mark.parametrize("language", LANGUAGES)
def test_coach_sends_a_contract_and_the_counsellor_decides_it_from_her_worklist(
    browser: Browser, site: Site, language: str
) -> None:
    text = TEXT[language]
    counsellor = _user(
        site,
        f"sosiaali-{language}",
        Role.SOCIAL_COUNSELLOR,
        first_name="Sari",
        last_name="Sosiaaliohjaaja",
    )
    _placement(site, "Puistoyksikkö")
    client = ClientFactory.create(
        organisation=site.organisation,
        responsible_worker=site.coach,
        first_names="Kalle",
        last_name="Päätettävä",
    )
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    coach = _signed_in(browser, site, site.coach, language)

    coach.goto(reverse("services:contract_create", args=[client.pk]))
    coach.locator("select[name=placement]").select_option(label="Puistoyksikkö")
    coach.locator("input[name=start]").fill(f"{monday:%-d.%-m.%Y}")
    coach.locator("input[name=end]").fill(f"{monday + timedelta(days=150):%-d.%-m.%Y}")
    coach.locator("textarea[name=coaching_content]").fill("Viheralueiden hoito")
    coach.locator("select[name=decider]").select_option(label="Sari Sosiaaliohjaaja")
    _shot(coach, f"ktt-contract-form-{language}")
    coach.locator("main form button[type=submit]").click()
    expect(coach.locator(".message-success")).to_contain_text(text["sent_to"])
    contract = KttContract.objects.get(episode__client=client)
    assert contract.decider == counsellor

    page = _signed_in(browser, site, counsellor, language)
    page.goto(reverse("reports:worklist"))
    section = page.locator("#ktt_decisions_pending")
    expect(section.locator("summary").first).to_contain_text(text["decisions"])
    if section.get_attribute("open") is None:  # a section opens by itself only when urgent
        section.locator("summary").first.click()
    expect(section).to_contain_text("Puistoyksikkö")
    _shot(page, f"ktt-counsellor-worklist-{language}")
    section.get_by_role("link", name=re.compile("Päätettävä")).click()
    page.locator("textarea[name=decision_text]").fill("Myönnetään sopimuksen mukaisesti.")
    _shot(page, f"ktt-counsellor-decision-{language}")
    page.get_by_role("button", name=text["decide"]).click()

    page.wait_for_url(f"**{reverse('reports:worklist')}")
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("#ktt_decisions_pending")).not_to_contain_text("Päätettävä")
    contract.refresh_from_db()
    assert (contract.status, contract.decided_by) == (KttContract.Status.DECIDED, counsellor)

    coach.goto(reverse("services:contract_detail", args=[client.pk, contract.pk]))
    coach.locator("input[name=signed_on]").fill(f"{today:%-d.%-m.%Y}")
    coach.get_by_role("button", name=text["sign"]).click()  # the box is not ticked yet
    assert coach.locator("input[name=confirmed]").evaluate("box => box.validity.valueMissing")
    contract.refresh_from_db()
    assert contract.status == KttContract.Status.DECIDED
    coach.locator("input[name=confirmed]").check()
    _shot(coach, f"ktt-contract-sign-{language}")
    coach.get_by_role("button", name=text["sign"]).click()
    expect(coach.locator(".message-success")).to_be_visible()
    contract.refresh_from_db()
    assert contract.status == KttContract.Status.SIGNED


FITS_THE_WINDOW = """() => {
  const friday = document.querySelectorAll(".week-grid thead th")[5].getBoundingClientRect();
  return friday.right <= document.documentElement.clientWidth
    && document.documentElement.scrollWidth <= document.documentElement.clientWidth;
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_unit_supervisor_marks_last_week_on_a_tablet_within_the_contracts_days(
    browser: Browser, site: Site, language: str
) -> None:
    text = TEXT[language]
    supervisor = _user(site, f"ohjaaja-{language}", Role.PLACEMENT_SUPERVISOR)
    placement = _placement(site, "Puistoyksikkö")
    placement.supervisors.add(supervisor)
    today = timezone.localdate()
    last_monday = today - timedelta(days=today.weekday() + 7)
    newcomer = ClientFactory.create(
        organisation=site.organisation,
        responsible_worker=site.coach,
        first_names="Uuno",
        last_name="Uusi",
    )
    # A new participant, placed by the coach as the service does it.
    services.ktt_contract_create(
        actor=actor_of(site.coach, site.organisation),
        client_id=newcomer.pk,
        data=services.KttContractData(
            start=last_monday,
            end=last_monday + timedelta(days=180),
            days_per_week=3,
            hours_per_day=Decimal(4),
            placement_id=placement.pk,
            coaching_content="Viheralueiden hoito",
            referral_source=ReferralSource.SHARE_LIST,
        ),
        now=timezone.now(),
    )
    page = _signed_in(browser, site, supervisor, language, viewport={"width": 768, "height": 1024})
    grid = reverse("services:attendance_placement", args=[placement.pk])

    page.goto(f"{grid}?week={last_monday.isoformat()}")
    expect(page.get_by_role("rowheader", name=re.compile("Uuno U."))).to_be_visible()
    assert page.evaluate(FITS_THE_WINDOW), "Friday is cut off at 768 px"
    for day in range(4):
        page.locator(".week-grid thead button").nth(day).focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")

    expect(page.locator(".message-warning")).to_contain_text(text["skipped"])
    expect(page.locator(".message-warning")).to_contain_text("Uuno U.")
    _shot(page, f"ktt-attendance-tablet-{language}")
    assert Attendance.objects.filter(client=newcomer, status="present").count() == 3

    page.goto(grid)
    this_week = [today - timedelta(days=today.weekday()) + timedelta(days=n) for n in range(5)]
    open_days = sum(1 for day in this_week if day <= today)
    expect(page.locator(".week-grid tbody select")).to_have_count(open_days)
    expect(page.locator(".week-grid tbody")).to_contain_text(text["not_yet"])
    assert page.evaluate(FITS_THE_WINDOW)
    _shot(page, f"ktt-attendance-this-week-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_coach_records_a_plan_signature_only_after_confirming_it_and_prints_the_plan(
    browser: Browser, site: Site, language: str
) -> None:
    text = TEXT[language]
    plan_id = site.ids["plan_id"]
    participant = Participant.objects.get(pk=site.ids["participant_id"])
    page = _signed_in(browser, site, site.coach, language)
    page.goto(reverse("plans:detail", args=[site.client.pk, plan_id]))
    cell = page.locator(f"form[action$='/participants/{participant.pk}/sign/']")

    cell.get_by_role("button", name=re.compile(text["sign"])).click()
    assert cell.locator("input[name=confirmed]").evaluate("box => box.validity.valueMissing")
    participant.refresh_from_db()
    assert participant.signed_on is None
    cell.get_by_label(re.compile(text["has_signed"])).check()
    _shot(page, f"ktt-plan-signature-{language}")
    cell.get_by_role("button", name=re.compile(text["sign"])).click()

    expect(page.locator(".message-success")).to_be_visible()
    participant.refresh_from_db()
    assert participant.signed_on == timezone.localdate()
    with page.expect_download() as download:
        page.locator(f"a[href='{reverse('plans:print', args=[site.client.pk, plan_id])}']").click()
    assert _keep(download.value, f"ktt-plan-{language}.pdf").startswith(b"%PDF")
