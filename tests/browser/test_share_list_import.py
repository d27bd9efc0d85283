"""The share-list import as a clerk does it (issue 17.7): wrong files, the size limit,
progress of the upload and of the background check, errors in words, confirming."""

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper

from polku.clients.tests.factories import ClientFactory
from polku.core import hetu as hetu_codes
from polku.sharelist import importer
from polku.sharelist.models import ShareListImport, ShareListRow
from polku.sharelist.tests.factories import ShareListRowFactory, csv_bytes, line
from tests.browser.conftest import SCREENSHOTS, Site, log_in, new_context

# Remembers every value the progress bars and their status lines showed, across pages
# and the swaps htmx makes, so the test can tell the bar moved and was not just drawn at the end.
WATCH_PROGRESS = """
const remember = (text) => {
  const seen = JSON.parse(sessionStorage.getItem("seen") || "[]");
  if (seen[seen.length - 1] !== text) seen.push(text);
  sessionStorage.setItem("seen", JSON.stringify(seen));
};
new MutationObserver(() => {
  document.querySelectorAll("progress").forEach((bar) => {
    remember(`${bar.id}=${bar.getAttribute("value")}`);
  });
  document.querySelectorAll("[role=status]").forEach((line) => remember(line.textContent));
}).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
"""


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"share-list-import-{name}.png", full_page=True)


@pytest.fixture
def clerk_page(browser: Browser, site: Site) -> Iterator[Page]:
    context = new_context(browser, site)
    context.add_init_script(WATCH_PROGRESS)
    page = context.new_page()
    log_in(page, site.all_roles)
    yield page
    context.close()


def _list(path: Path, rows: int, *, bad: int = 0) -> Path:
    start = date(1960, 1, 1)
    content = [
        line(hetu_codes.build(start + timedelta(days=n // 100), 900 + n % 100), paid_on="4.10.2026")
        for n in range(rows)
    ]
    content += [line(f"010160-90{n:01d}X", paid_on="4.10.2026") for n in range(bad)]
    path.write_bytes(csv_bytes(content))
    return path


def _run_worker() -> None:
    """``manage.py db_worker --batch``: run the queued jobs, then return."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test",
        excluded_queue_names=[],
    ).run()


def test_a_picture_named_csv_is_not_a_share_list(clerk_page: Page, tmp_path: Path) -> None:
    picture = tmp_path / "kuntaosuuslista.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    clerk_page.goto(reverse("sharelist:import"))

    clerk_page.locator("input[type=file]").set_input_files(picture)
    clerk_page.get_by_role("button", name="Tarkista tiedosto").click()

    expect(clerk_page.locator("main")).to_contain_text("Tiedosto on kuva eikä kuntaosuuslista")
    expect(clerk_page.get_by_role("heading", level=1)).to_have_text("Tuo kuntaosuuslista")
    _shot(clerk_page, "not-a-list")
    assert not ShareListImport.objects.filter(filename=picture.name).exists()


def test_a_file_over_the_limit_is_refused_before_it_is_sent(
    clerk_page: Page, tmp_path: Path, settings: SettingsWrapper
) -> None:
    settings.POLKU_SHARE_LIST_MAX_BYTES = 1024 * 1024
    big = _list(tmp_path / "iso.csv", 13_000)  # ~1.1 MB
    clerk_page.goto(reverse("sharelist:import"))
    sent: list[str] = []
    clerk_page.on("request", lambda request: sent.append(request.method))

    clerk_page.locator("input[type=file]").set_input_files(big)
    clerk_page.get_by_role("button", name="Tarkista tiedosto").click()

    expect(clerk_page.get_by_role("alert")).to_contain_text(
        "Tiedosto on liian suuri: enintään 1 Mt."
    )
    _shot(clerk_page, "too-large")
    assert "POST" not in sent
    assert not ShareListImport.objects.filter(filename=big.name).exists()


def test_upload_and_check_progress_then_errors_in_words_and_confirming_twice(
    clerk_page: Page,
    site: Site,
    tmp_path: Path,
    settings: SettingsWrapper,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check runs in a real django-tasks worker (database backend); the page polls its
    progress. Confirming without ticking "import the valid rows" keeps the preview."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(importer, "BLOCK_BYTES", 48 * 1024)  # ~550 rows a block: many steps
    # Big enough that the check outlasts a few of the page's 1 s polls on a fast machine.
    upload = _list(tmp_path / "lokakuu.csv", 120_000, bad=2)
    clerk_page.goto(reverse("sharelist:import"))

    clerk_page.locator("input[type=file]").set_input_files(upload)
    clerk_page.get_by_role("button", name="Tarkista tiedosto").click()
    clerk_page.wait_for_url("**/share-lists/import/*/")
    expect(clerk_page.locator("#import-progress-bar")).to_be_visible()
    _shot(clerk_page, "checking")
    _run_worker()  # the page polls the live server meanwhile

    expect(clerk_page.get_by_role("heading", name="Tarkistusraportti")).to_be_visible(
        timeout=30_000
    )
    seen: list[str] = clerk_page.evaluate("JSON.parse(sessionStorage.getItem('seen'))")
    uploaded = [text for text in seen if text.startswith("Ladataan tiedostoa:")]
    checked = {
        int(text.split("=")[1])
        for text in seen
        if text.startswith("import-progress-bar=") and text.split("=")[1].isdigit()
    }
    assert uploaded, seen[:20]
    assert any(0 < value < 100 for value in checked), sorted(checked)
    main = clerk_page.locator("main")
    expect(main).to_contain_text("Tarkistusmerkki ei täsmää")
    expect(main).to_contain_text("virheellinen henkilötunnus: 2")
    assert "invalid_hetu" not in main.inner_text()
    _shot(clerk_page, "preview-with-errors")

    clerk_page.get_by_role("button", name="Vahvista tuonti").click()
    expect(clerk_page.locator("#error-summary")).to_contain_text("Tuo kelvolliset rivit")
    job = ShareListImport.objects.get(filename=upload.name)
    assert job.status == ShareListImport.Status.PREVIEW
    _shot(clerk_page, "confirm-needs-the-tick")

    clerk_page.get_by_label("Tuo kelvolliset rivit, vaikka osa riveistä on virheellisiä").check()
    clerk_page.get_by_role("button", name="Vahvista tuonti").click()
    _run_worker()
    expect(clerk_page.locator("main dl")).to_contain_text("Tuotu", timeout=30_000)
    _shot(clerk_page, "imported")
    assert ShareListRow.objects.filter(last_import=job).count() == 120_000


def test_a_list_much_shorter_than_last_months_is_confirmed_only_after_a_second_look(
    clerk_page: Page, site: Site, tmp_path: Path
) -> None:
    for client in ClientFactory.create_batch(6, organisation=site.organisation):
        ShareListRowFactory.create(client=client, month=date(2026, 10, 1))
    short = tmp_path / "marraskuu.csv"
    short.write_bytes(csv_bytes([line(paid_on="15.11.2026")]))
    clerk_page.goto(reverse("sharelist:import"))
    clerk_page.locator("input[type=file]").set_input_files(short)
    clerk_page.get_by_role("button", name="Tarkista tiedosto").click()

    warning = clerk_page.get_by_role("alert").filter(has_text="paljon edellistä lyhyempi")
    expect(warning).to_contain_text("Tässä listassa on 1 henkilöä")
    _shot(clerk_page, "much-shorter-list")
    clerk_page.get_by_role("button", name="Vahvista tuonti").click()
    expect(clerk_page.locator("#error-summary")).to_contain_text("Vahvista, että tiedosto")
    assert not ShareListRow.objects.filter(month=date(2026, 11, 1)).exists()

    clerk_page.get_by_label("Olen tarkistanut, että tiedosto on koko kuukauden lista").check()
    clerk_page.get_by_role("button", name="Vahvista tuonti").click()
    expect(clerk_page.locator("main dl")).to_contain_text("Tuotu")
    assert ShareListRow.objects.filter(month=date(2026, 11, 1)).count() == 1
