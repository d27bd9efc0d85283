"""``import_share_list`` per CONTRACTS.md §3: formats, errors, all-or-nothing, idempotency."""

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import call_command

from polku.accounts.models import Organisation
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.sharelist.models import FIELDS, ColumnMapping, ShareListImport, ShareListRow
from polku.sharelist.tests.factories import csv_bytes, line

SECOND = "020290-998A"  # a second valid synthetic identity code


def run(tmp_path: Path, content: bytes, *options: str, name: str = "lista.csv") -> tuple[int, dict]:
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    code = 0
    try:
        call_command(
            "import_share_list",
            str(path),
            "--organisation",
            "esimerkkila",
            "--json",
            *options,
            stdout=out,
        )
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue())


def codes(summary: dict) -> list[tuple[int, str | None, str]]:
    return [(error["row"], error["column"], error["code"]) for error in summary["errors"]]


def test_import_share_list__imports_a_finnish_csv_and_creates_unknown_persons(
    organisation: Organisation, tmp_path: Path
) -> None:
    code, summary = run(tmp_path, csv_bytes([line(), line(SECOND, paid_on="16.10.2026")]))

    assert code == 0
    assert summary == {
        "rows": 2,
        "imported": 2,
        "unchanged": 0,
        "new_clients": 2,
        "rejected": False,
        "errors": [],
        "error_count": 0,
        "error_counts": {},
    }
    client = Client.objects.get(organisation=organisation, hetu="010190-999W")
    assert client.needs_review
    assert client.birth_date == date(1990, 1, 1)
    row = ShareListRow.objects.get(client=client)
    assert (row.paid, row.share, row.days, row.month) == (
        Decimal("784.35"),
        Decimal("392.18"),
        21,
        date(2026, 10, 1),
    )
    assert ChangeLogEntry.objects.filter(client=client, event="clients.client.created").exists()


def test_import_share_list__matches_existing_clients_by_identity_code(
    organisation: Organisation, tmp_path: Path
) -> None:
    existing = ClientFactory.create(organisation=organisation, hetu="010190-999W")

    _code, summary = run(tmp_path, csv_bytes([line()]))

    assert summary["new_clients"] == 0
    assert ShareListRow.objects.get().client == existing
    assert not Client.objects.get(pk=existing.pk).needs_review


def test_import_share_list__importing_the_same_file_again_writes_nothing(
    organisation: Organisation, tmp_path: Path
) -> None:
    content = csv_bytes([line(), line(SECOND)])
    run(tmp_path, content)
    history = ChangeLogEntry.objects.count()

    code, summary = run(tmp_path, content)

    assert code == 0
    assert (summary["imported"], summary["unchanged"], summary["new_clients"]) == (0, 2, 0)
    assert ChangeLogEntry.objects.count() == history
    assert ShareListImport.objects.count() == 1


def test_import_share_list__a_changed_row_is_updated_not_duplicated(
    organisation: Organisation, tmp_path: Path
) -> None:
    run(tmp_path, csv_bytes([line(), line(SECOND)]))

    _code, summary = run(tmp_path, csv_bytes([line(share="400,00"), line(SECOND)]))

    assert (summary["imported"], summary["unchanged"]) == (1, 1)
    assert ShareListRow.objects.count() == 2
    assert ShareListRow.objects.get(client__hetu="010190-999W").share == Decimal("400.00")


def test_import_share_list__any_invalid_row_rejects_the_whole_file(
    organisation: Organisation, tmp_path: Path
) -> None:
    code, summary = run(tmp_path, csv_bytes([line(), line(SECOND, days="x")]))

    assert code == 1
    assert summary["rejected"] is True
    assert (summary["imported"], summary["new_clients"]) == (0, 0)
    assert codes(summary) == [(3, "paivat", "invalid_amount")]
    assert not Client.objects.exists()
    assert not ShareListRow.objects.exists()
    assert not ShareListImport.objects.exists()


def test_import_share_list__accept_valid_imports_the_valid_rows(
    organisation: Organisation, tmp_path: Path
) -> None:
    code, summary = run(
        tmp_path, csv_bytes([line(), line(SECOND, benefit="XYZ")]), "--accept-valid"
    )

    assert code == 0
    assert summary["rejected"] is False
    assert (summary["rows"], summary["imported"]) == (2, 1)
    assert codes(summary) == [(3, "etuus", "unknown_benefit")]


def test_import_share_list__dry_run_counts_but_writes_nothing(
    organisation: Organisation, tmp_path: Path
) -> None:
    _code, summary = run(tmp_path, csv_bytes([line()]), "--dry-run")

    assert (summary["imported"], summary["new_clients"]) == (1, 1)
    assert not Client.objects.exists()
    assert not ShareListRow.objects.exists()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (line("010190-999X"), [(2, "henkilotunnus", "invalid_hetu")]),
        (line(""), [(2, "henkilotunnus", "missing_value")]),
        (line(last=""), [(2, "sukunimi", "missing_value")]),
        (line(paid_on="31.2.2026"), [(2, "maksupaiva", "invalid_date")]),
        (line(start="2026/09/01"), [(2, "jakso_alku", "invalid_date")]),
        (line(paid="12,345"), [(2, "maksettu_eur", "invalid_amount")]),
        (line(share="abc"), [(2, "kuntaosuus_eur", "invalid_amount")]),
        (line(percent="150"), [(2, "kuntaosuus_pros", "invalid_amount")]),
        (line(benefit="KTT"), [(2, "etuus", "unknown_benefit")]),
        (line(start="30.9.2026", end="1.9.2026"), [(2, "jakso_loppu", "period_order")]),
    ],
)
def test_import_share_list__reports_each_error_code_with_row_and_column(
    organisation: Organisation, tmp_path: Path, row: list[str], expected: list
) -> None:
    code, summary = run(tmp_path, csv_bytes([row]))

    assert code == 1
    assert codes(summary) == expected


def test_import_share_list__invalid_hetu_message_does_not_echo_the_code(
    organisation: Organisation, tmp_path: Path
) -> None:
    _code, summary = run(tmp_path, csv_bytes([line("010190-999X")]))

    assert "010190" not in json.dumps(summary)
    assert "Tarkistusmerkki" in summary["errors"][0]["message"]


def test_import_share_list__duplicate_rows_point_to_the_first(
    organisation: Organisation, tmp_path: Path
) -> None:
    code, summary = run(tmp_path, csv_bytes([line(), line(SECOND), line()]))

    assert code == 1
    assert codes(summary) == [(4, None, "duplicate_row")]
    assert "2" in summary["errors"][0]["message"]


def test_import_share_list__rows_are_numbered_as_a_spreadsheet_shows_them(
    organisation: Organisation, tmp_path: Path
) -> None:
    content = csv_bytes([line(), [""] * len(FIELDS), line(SECOND, paid_on="x")])

    _code, summary = run(tmp_path, content)

    assert summary["rows"] == 2
    assert codes(summary) == [(4, "maksupaiva", "invalid_date")]


def test_import_share_list__missing_column_rejects_even_with_accept_valid(
    organisation: Organisation, tmp_path: Path
) -> None:
    header = [name for name in FIELDS if name != "maksupaiva"]
    rows = [[value for name, value in zip(FIELDS, line(), strict=True) if name != "maksupaiva"]]

    code, summary = run(tmp_path, csv_bytes(rows, header=header), "--accept-valid")

    assert code == 1
    assert codes(summary) == [(1, "maksupaiva", "missing_column")]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", b"PK\x03\x04broken zip"])
def test_import_share_list__unreadable_file(
    organisation: Organisation, tmp_path: Path, content: bytes
) -> None:
    code, summary = run(tmp_path, content)

    assert code == 1
    assert codes(summary) == [(1, None, "unreadable_file")]


@pytest.mark.parametrize(
    ("encoding", "prefix"), [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")]
)
def test_import_share_list__reads_utf8_with_or_without_bom_and_windows_1252(
    organisation: Organisation, tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    content = prefix + csv_bytes([line(last="Äijälä-Öhman", first="Sébastien")], encoding=encoding)

    code, summary = run(tmp_path, content)

    assert code == 0, summary
    client = Client.objects.get()
    assert (client.last_name, client.first_names) == ("Äijälä-Öhman", "Sébastien")


def test_import_share_list__comma_delimiter_iso_dates_and_thousands_spaces(
    organisation: Organisation, tmp_path: Path
) -> None:
    row = line(paid_on="2026-10-15", start="2026-09-01", end="2026-09-30", paid="1\u00a0234,50")
    content = csv_bytes([row], delimiter=",")

    code, summary = run(tmp_path, content)

    assert code == 0, summary
    assert ShareListRow.objects.get().paid == Decimal("1234.50")


def test_import_share_list__negative_amounts_and_days_are_corrections(
    organisation: Organisation, tmp_path: Path
) -> None:
    correction = line(days="-2", paid="-74,70", share="\u221237,35", paid_on="20.10.2026")

    code, _summary = run(tmp_path, csv_bytes([line(), correction]))

    assert code == 0
    assert sorted(ShareListRow.objects.values_list("days", "share")) == [
        (-2, Decimal("-37.35")),
        (21, Decimal("392.18")),
    ]


def test_import_share_list__2023_century_letters_are_distinct_identities(
    organisation: Organisation, tmp_path: Path
) -> None:
    # Same birth date and individual number; only the century sign differs (since 2023).
    old, new = "010190-999W", "010190Y999W"

    code, summary = run(tmp_path, csv_bytes([line(old), line(new), line("010105A999Y")]))

    assert code == 0, summary
    assert summary["new_clients"] == 3
    assert Client.objects.get(hetu="010105A999Y").birth_date == date(2005, 1, 1)
    assert set(Client.objects.values_list("hetu", flat=True)) == {old, new, "010105A999Y"}


def _xlsx(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
        sheet = workbook.add_worksheet()
        dates = workbook.add_format({"num_format": "d.m.yyyy"})
        sheet.write_row(0, 0, [name.upper() for name in FIELDS])
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write_datetime(number, column, value, dates)
                else:
                    sheet.write(number, column, value)
    return buffer.getvalue()


def test_import_share_list__reads_xlsx_with_typed_cells(
    organisation: Organisation, tmp_path: Path
) -> None:
    row: list[object] = [
        "010190-999W",
        "Testinen",
        "Aino",
        "TMT",
        date(2026, 10, 15),
        date(2026, 9, 1),
        date(2026, 9, 30),
        21,
        784.35,
        50,
        392.18,
        450,
    ]
    bad = [*row[:4], "huono", *row[5:]]

    code, summary = run(tmp_path, _xlsx([row, bad]), "--accept-valid", name="lista.xlsx")

    assert code == 0
    assert codes(summary) == [(3, "maksupaiva", "invalid_date")]
    stored = ShareListRow.objects.get()
    assert (stored.payment_date, stored.paid, stored.days) == (
        date(2026, 10, 15),
        Decimal("784.35"),
        21,
    )


def test_import_share_list__mapping_profile_renames_columns(
    organisation: Organisation, tmp_path: Path
) -> None:
    aliases = {name: [name] for name in FIELDS} | {"henkilotunnus": ["Asiakkaan hetu"]}
    ColumnMapping.objects.create(organisation=organisation, name="kela-2026", aliases=aliases)
    header = ["Asiakkaan hetu", *FIELDS[1:]]

    code, summary = run(tmp_path, csv_bytes([line()], header=header), "--mapping", "kela-2026")

    assert code == 0, summary
    assert summary["imported"] == 1


def test_import_share_list__the_samples_in_the_repository_import_cleanly(
    organisation: Organisation, tmp_path: Path
) -> None:
    samples = Path(__file__).resolve().parent.parent / "samples"
    for sample in sorted(samples.iterdir()):
        code, summary = run(tmp_path, sample.read_bytes(), "--dry-run", name=sample.name)
        assert code == 0, (sample.name, summary)
        assert summary["rows"] > 0


def test_import_share_list__an_interruption_leaves_nothing_half_written(
    organisation: Organisation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    # After the new clients are written: one path per database.
    monkeypatch.setattr("polku.sharelist.merge._merge_rows", interrupted)
    monkeypatch.setattr("polku.sharelist.merge._update_changed", interrupted)

    with pytest.raises(KeyboardInterrupt):
        run(tmp_path, csv_bytes([line(), line(SECOND)]))

    assert not Client.objects.exists()  # the new clients were inserted, then rolled back
    assert not ShareListRow.objects.exists()
    assert not ShareListImport.objects.exists()


def test_import_share_list__a_file_read_in_many_blocks_is_still_all_or_nothing_and_idempotent(
    organisation: Organisation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("polku.sharelist.importer.BLOCK_BYTES", 16)  # a block per few cells
    rows = [line(), line(SECOND), line(paid_on="16.10.2026")]

    _code, first = run(tmp_path, csv_bytes(rows))
    _code, again = run(tmp_path, csv_bytes(rows))
    code, rejected = run(tmp_path, csv_bytes([line(share="1,00"), line(SECOND, days="x")]))

    assert (first["imported"], first["new_clients"]) == (3, 2)
    assert (again["imported"], again["unchanged"]) == (0, 3)
    assert code == 1
    assert rejected["rejected"] is True
    assert not ShareListRow.objects.filter(share=Decimal("1.00")).exists()
