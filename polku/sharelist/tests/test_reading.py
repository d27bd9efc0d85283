"""Reading a list file: hostile workbooks, other kinds of files, blocks, caps, repeats."""

import io
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from polku.core import hetu as hetu_codes
from polku.sharelist import importer
from polku.sharelist.importer import MAX_ERRORS_KEPT, default_aliases, validate
from polku.sharelist.tests.factories import csv_bytes, line

ROOT = Path(__file__).resolve().parents[3]
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'  # noqa: E501 - XML as written in a workbook
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'  # noqa: E501 - XML as written in a workbook
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'  # noqa: E501 - XML as written in a workbook
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'  # noqa: E501 - XML as written in a workbook
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Lista" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'  # noqa: E501 - XML as written in a workbook
    "</Relationships>"
)


def hostile_workbook(dimension: str | None) -> bytes:
    """~1.4 KB: a cell in A1 and one in XFD1048576, the last cell a sheet can have."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{declared}<sheetData>"
        '<row r="1"><c r="A1" t="inlineStr"><is><t>henkilotunnus</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


READ_IN_A_CHILD = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from polku.sharelist.importer import default_aliases, validate
result = validate(open(sys.argv[1], "rb"), default_aliases(), lambda frame: None)
print(json.dumps([error.as_dict() for error in result.errors.kept]))
"""


@pytest.mark.parametrize(
    "dimension",
    ["A1:XFD1048576", "A1", None],
    ids=["declared", "declared falsely", "not declared"],
)
def test_reading__a_tiny_workbook_spanning_the_whole_sheet_is_refused_not_fatal(
    tmp_path: Path, dimension: str | None
) -> None:
    """Issue 16.3: calamine would allocate ~512 GB and abort the process. Read in a child
    process of the test, so an abort fails the test instead of killing the test run."""
    path = tmp_path / "lista.xlsx"
    path.write_bytes(hostile_workbook(dimension))
    assert path.stat().st_size < 2000

    finished = subprocess.run(  # noqa: S603 - the test's own script
        [sys.executable, "-c", READ_IN_A_CHILD, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    (error,) = json.loads(finished.stdout)
    assert error["code"] == "too_large"
    assert "XLSX" in error["message"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "kuva"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        (b"PK\x03\x04" + bytes(64), "ei ole CSV- eikä XLSX"),
        (b"nimi;osoite\nAino;Katu 1\n", "ei ole kuntaosuuslista"),
    ],
    ids=["png renamed csv", "pdf", "broken zip", "other text"],
)
def test_reading__another_kind_of_file_is_not_a_share_list(content: bytes, says: str) -> None:
    result = validate(content, default_aliases(), lambda frame: None)

    assert result.fatal
    (error,) = result.errors.kept
    assert error.code == "unreadable_file"
    assert says in error.message


def test_reading__records_cut_across_blocks_keep_quoted_separators_and_line_breaks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importer, "BLOCK_BYTES", 7)  # every block ends inside a record
    names = ["Aino;Maria", 'Iida "Ida"', "Rivi\nvaihto"]
    rows = [
        line(hetu_codes.build(date(1990, 1, 1 + index), 901 + index), first=name)
        for index, name in enumerate(names)
    ]
    content = "henkilotunnus;sukunimi;etunimet;etuus;maksupaiva;jakso_alku;jakso_loppu;paivat;"
    content += "maksettu_eur;kuntaosuus_pros;kuntaosuus_eur;kertyneet_paivat\n"
    for row in rows:
        content += ";".join(f'"{cell.replace(chr(34), 2 * chr(34))}"' for cell in row) + "\n"
    frames: list[pl.DataFrame] = []

    result = validate(content.encode(), default_aliases(), frames.append)

    # The line break is inside one record (row 4), and no place for it in a name.
    assert [(error.row, error.code) for error in result.errors.kept] == [(4, "invalid_text")]
    staged = pl.concat(frames)
    assert staged["first_names"].to_list() == names[:2]
    assert staged["row"].to_list() == [2, 3]


def test_reading__a_value_whose_quote_never_closes_is_refused_with_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importer, "MAX_RECORD_BYTES", 64)
    content = csv_bytes([line(first='"Aino')] + [line()] * 5)

    result = validate(content, default_aliases(), lambda frame: None)

    assert result.fatal
    assert "lainausmerk" in result.errors.kept[0].message


def test_reading__repeats_across_blocks_are_candidates_with_their_first_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importer, "BLOCK_BYTES", 40)
    second = hetu_codes.build(date(1990, 2, 2), 998)
    content = csv_bytes([line(), line(second), line(), line(second), line()])

    result = validate(content, default_aliases(), lambda frame: None)

    assert sorted(result.repeats.rows()) == [(4, 2), (5, 3), (6, 2)]


def test_reading__errors_past_the_first_thousand_are_counted_not_kept() -> None:
    rows = [line(days="x", share="y") for _ in range(MAX_ERRORS_KEPT)]

    result = validate(csv_bytes(rows), default_aliases(), lambda frame: None)

    assert len(result.errors.kept) == MAX_ERRORS_KEPT
    assert result.errors.kept[-1].row == MAX_ERRORS_KEPT // 2 + 1
    assert result.errors.counts == {"invalid_amount": 2 * MAX_ERRORS_KEPT}
    assert result.errors.total == 2 * MAX_ERRORS_KEPT


def test_reading__dates_outside_1900_to_2100_and_names_with_control_characters_are_errors() -> None:
    rows = [line(start="1.1.0001"), line(end="31.12.9999"), line(last="Nimi\x07")]

    result = validate(csv_bytes(rows), default_aliases(), lambda frame: None)

    assert [(error.row, error.code) for error in result.errors.kept] == [
        (2, "invalid_date"),
        (3, "invalid_date"),
        (4, "invalid_text"),
    ]


def test_reading__an_xlsx_header_below_blank_rows_keeps_spreadsheet_row_numbers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lista.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_row(2, 0, list(importer.FIELDS))  # the header on row 3
    sheet.write_row(3, 0, line())
    sheet.write_row(4, 0, line(days="x"))
    workbook.close()

    result = validate(path.read_bytes(), default_aliases(), lambda frame: None)

    assert [(error.row, error.column) for error in result.errors.kept] == [(5, "paivat")]
    assert result.valid_rows == 1


codes = st.text(alphabet="0123456789-+ABCDEFUVWXYHJKLMNPRST ", min_size=9, max_size=13)


@settings(max_examples=400, deadline=None)
@given(
    text=codes
    | st.builds(
        hetu_codes.build, st.dates(date(1800, 1, 1), date(2099, 12, 31)), st.integers(0, 999)
    )
)
def test_reading__the_column_wise_identity_check_never_accepts_what_parse_refuses(
    text: str,
) -> None:
    """The vectorised check is the fast path of ``hetu.parse``: whatever it accepts must
    parse to the same birth date; what it refuses goes to ``parse`` for the reason."""
    frame = pl.DataFrame({"hetu": [text.strip().upper()]})

    checked = importer._with_hetu_fast(frame)

    fast, birth = checked["hetu_fast"][0], checked["birth_fast"][0]
    if fast:
        assert hetu_codes.parse(text).birth_date == birth
