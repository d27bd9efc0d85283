"""The main journeys, done the way people do them: mostly with the keyboard."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from polku.accounts.roles import Role
from polku.accounts.tests.factories import UserFactory
from polku.clients.models import Client
from polku.plans.models import Plan
from polku.referrals.models import Meeting
from polku.service_episodes.models import Attendance, KttContract
from polku.sharelist.models import ShareListRow
from tests.browser.conftest import Site, log_in, new_context, prepare_sign_in

SAMPLE_CSV = (
    Path(__file__).resolve().parents[2]
    / "polku/sharelist/samples/kuntaosuuslista-2026-10-windows-1252.csv"
)


def test_coach_finds_a_client_by_name_and_opens_the_record(coach_page: Page, site: Site) -> None:
    coach_page.goto(reverse("clients:list"))

    coach_page.get_by_label("Nimi tai henkilötunnus").fill("Esimerkki")
    coach_page.keyboard.press("Enter")
    coach_page.get_by_role("link", name=re.compile("Esimerkki")).first.click()

    expect(coach_page.get_by_role("heading", level=1)).to_contain_text("Esimerkki")


def test_coach_edits_contact_details_by_keyboard_and_sees_the_timeline(
    coach_page: Page, site: Site
) -> None:
    coach_page.goto(reverse("clients:edit", args=[site.client.pk]))

    coach_page.get_by_label("Puhelin").fill("050 765 4321")
    coach_page.get_by_label("Puhelin").press("Enter")

    expect(coach_page.locator(".message-success")).to_be_visible()
    site.client.refresh_from_db()
    assert site.client.phone == "050 765 4321"
    coach_page.locator("#part-timeline > summary").click()  # a closed part of the page
    expect(coach_page.get_by_role("region", name="Aikajana")).to_contain_text("muutettu")


def test_a_form_with_errors_keeps_what_was_typed(coach_page: Page, site: Site) -> None:
    coach_page.goto(reverse("clients:create"))

    coach_page.get_by_label("Henkilötunnus").fill("010190-123X")
    coach_page.get_by_label("Etunimet").fill("Testi")
    coach_page.get_by_role("button", name="Tallenna").click()

    expect(coach_page.locator(".error-summary")).to_be_visible()
    expect(coach_page.get_by_label("Etunimet")).to_have_value("Testi")
    assert not Client.objects.filter(first_names="Testi").exists()


def test_swedish_user_types_dates_as_day_month_year(browser: Browser, site: Site) -> None:
    page = new_context(browser, site, "sv").new_page()
    log_in(page, site.coach)
    page.goto(reverse("clients:consent_add", args=[site.client.pk]))

    page.locator("select[name=party]").select_option("kela")
    page.locator("input[name=purpose]").fill("Rehabilitering")
    page.locator("input[name=given_on]").fill("5.3.2026")
    page.locator("main form button[type=submit]").click()

    consent = site.client.consents.get(purpose="Rehabilitering")
    assert (consent.given_on.day, consent.given_on.month) == (5, 3)


def test_clerk_imports_a_share_list_through_the_upload_page(browser: Browser, site: Site) -> None:
    page = new_context(browser, site).new_page()
    log_in(page, site.all_roles)
    page.goto(reverse("sharelist:import"))

    page.locator("input[type=file]").set_input_files(SAMPLE_CSV)
    page.get_by_role("button", name="Tarkista tiedosto").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text(SAMPLE_CSV.name)
    expect(
        page.get_by_role("heading", name="Sarakkeiden tulkinta ja ensimmäiset rivit")
    ).to_be_visible()
    page.get_by_role("button", name="Vahvista tuonti").press("Enter")
    expect(page.locator("main")).to_contain_text("Tuotu")
    assert ShareListRow.objects.filter(organisation=site.organisation).exists()


def _working_page(browser: Browser, site: Site) -> Page:
    page = new_context(browser, site).new_page()
    log_in(page, site.all_roles)
    return page


def test_coach_records_a_plan_review_by_keyboard(browser: Browser, site: Site) -> None:
    page = _working_page(browser, site)
    plan = Plan.objects.get(pk=site.ids["plan_id"])
    page.goto(reverse("plans:review", args=[site.client.pk, plan.pk]))

    page.get_by_label("Tarkistettu").fill(timezone.localdate().strftime("%-d.%-m.%Y"))
    page.get_by_label("Tapa").select_option("phone")
    page.get_by_label("Muistiinpanot").fill("Työnhaku jatkuu, kaksi hakemusta kuussa.")
    page.get_by_label("Tulos").select_option("continues")
    page.get_by_label("Tarkistettu").press("Enter")

    expect(page.locator(".message-success")).to_be_visible()
    review = plan.reviews.get()
    assert review.reviewed_on == timezone.localdate()


def test_social_counsellor_decides_and_the_coach_signs_a_ktt_contract(
    browser: Browser, site: Site
) -> None:
    page = _working_page(browser, site)
    contract = KttContract.objects.get(pk=site.ids["contract_id"])
    page.goto(reverse("services:contract_detail", args=[site.client.pk, contract.pk]))

    page.get_by_label("Päätöksen perustelut").fill("Kuntouttava työtoiminta puutyöpajassa.")
    page.get_by_role("button", name="Tee päätös").press("Enter")
    page.get_by_label("Allekirjoitettu").fill(timezone.localdate().strftime("%-d.%-m.%Y"))
    page.get_by_label("Asiakas ja työtoiminnan järjestäjä ovat allekirjoittaneet").check()
    page.get_by_label("Allekirjoitettu").press("Enter")

    contract.refresh_from_db()
    assert contract.status == KttContract.Status.SIGNED
    expect(page.locator("main")).to_contain_text("Loppuarviointi viimeistään")
    assert Meeting.objects.filter(client=site.client, kind="ktt_follow_up").exists()


def test_instructor_marks_a_week_of_attendance_with_the_keyboard(
    browser: Browser, site: Site
) -> None:
    page = _working_page(browser, site)
    page.goto(reverse("services:attendance_placement", args=[site.ids["placement_id"]]))
    page.get_by_role("link", name="Edellinen viikko").press("Enter")

    # The contract allows three days a week; days still to come cannot be marked.
    for day in range(3):
        page.locator("thead button").nth(day).focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")

    marked = Attendance.objects.filter(client=site.client)
    assert marked.count() == 3


def test_manager_opens_the_monthly_report_and_downloads_its_pdf(
    browser: Browser, site: Site
) -> None:
    page = new_context(browser, site).new_page()
    manager = UserFactory.create(
        username="esihenkilo", memberships=[(site.organisation, Role.MANAGER)]
    )
    prepare_sign_in(manager)
    log_in(page, manager)  # the manager starts from the monthly report

    expect(page.get_by_role("heading", level=1)).to_contain_text("kuukausiseuranta")
    page.get_by_role("button", name="Lataa PDF").click()  # made in the background
    expect(page.get_by_role("status")).to_have_text("Tuloste on valmis.")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Lataa seuranta-.*\.pdf$")).click()

    path = download.value.path()
    assert path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("role", list(Role))
def test_every_role_signs_in_with_the_second_factor_and_reaches_its_start_page(
    browser: Browser, site: Site, role: Role
) -> None:
    user = UserFactory.create(
        username=f"rooli-{role.value}", memberships=[(site.organisation, role)]
    )
    user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR  # as in the demo
    user.save()
    prepare_sign_in(user)
    page = new_context(browser, site).new_page()

    log_in(page, user)
    response = page.goto("/")

    assert response is not None
    assert response.status == 200  # each role lands on its own work, never on a 403
    if role == Role.ADMINISTRATOR:  # the admin site, with its own navigation
        assert "/admin/" in page.url
        return
    menu = page.get_by_role("navigation", name="Päävalikko")
    expect(menu).to_be_visible()
    for href in menu.get_by_role("link").evaluate_all("links => links.map(l => l.href)"):
        assert page.request.get(href).status == 200, href  # no menu link answers 403


def test_tabbing_through_a_page_never_gets_stuck(coach_page: Page, site: Site) -> None:
    coach_page.goto(reverse("clients:detail", args=[site.client.pk]))
    seen = []

    for _ in range(60):
        coach_page.keyboard.press("Tab")
        seen.append(coach_page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))

    # Focus keeps moving: no element holds it for the last ten presses.
    assert len(set(seen[-10:])) > 1
