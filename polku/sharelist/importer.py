"""Reading and validating a share-list file (CONTRACTS.md §3), without the database.

Streamed with bounded memory: a CSV is read in blocks of whole records; an XLSX is first
converted to CSV by a child process under a memory cap (``xlsx_to_csv``: calamine holds
the whole sheet, and a hostile sheet can make it abort its process). Each block is parsed
and checked column by column with polars, so the per-row Python loop that cost ~35 s per
500,000 rows on a busy machine is gone; only distinct dates and the few identity codes
the vectorised check does not accept go through the scalar parsers. Valid rows are handed
on as a DataFrame in ``STAGE_COLUMNS`` order; the first ``MAX_ERRORS_KEPT`` errors are
kept, and every error is counted by code. Errors name the spreadsheet row (header = 1)
and the column, never the identity code or the name.
"""

import codecs
import csv
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

import polars as pl
from django.utils.translation import gettext as _

from polku.core import hetu as hetu_codes
from polku.sharelist import xlsx_to_csv
from polku.sharelist.models import FIELDS, OPTIONAL_FIELDS, Benefit

XLSX_MAGIC = b"PK\x03\x04"
BLOCK_BYTES = 8 * 1024 * 1024  # ~90,000 rows of a Kela list: the unit of work and of memory
MAX_RECORD_BYTES = 1024 * 1024  # one record (row) longer than this: quotes are unbalanced
MAX_ROWS = 1_000_000
MAX_COLUMNS = 200
MAX_ERRORS_KEPT = 1000
PREVIEW_ROWS = 10
XLSX_MAX_CELLS = 10_000_000  # rows × columns of the sheet's used rectangle
XLSX_MEMORY_BYTES = 2 * 1024**3  # address space of the converting child process
XLSX_SECONDS = 600
MAX_TEXT = 100  # the client's name fields hold 100 characters
FIRST_YEAR, LAST_YEAR = 1900, 2100
MONEY = r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$"
INTEGER = r"^[+-]?[0-9]{1,9}$"
SPACES = [" ", "\u00a0", "\u202f", "\t"]
CONTROL = r"[\x00-\x1f\x7f]"
HETU_SHAPE = r"^[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]$"
MONTH_DAYS = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
BENEFITS = sorted(Benefit.values)
# A valid row, in the staging table's column order. Amounts stay checked text
# ("-1234.50"): the database parses them.
STAGE_COLUMNS = (
    "row",
    "hetu",
    "last_name",
    "first_names",
    "birth_date",
    "benefit",
    "payment_date",
    "period_start",
    "period_end",
    "month",
    "days",
    "paid",
    "share_percent",
    "share",
    "accumulated_days",
)
IDENTITY_COLUMNS = ("hetu", "benefit", "payment_date", "period_start", "period_end")
REPEAT_SCHEMA = {"row": pl.Int64, "first_row": pl.Int64}
# The order errors of one row are listed in, with the field each check belongs to.
CHECKS = (
    ("henkilotunnus", "e_hetu"),
    ("sukunimi", "e_last"),
    ("etunimet", "e_first"),
    ("etuus", "e_benefit"),
    ("maksupaiva", "e_paid_on"),
    ("jakso_alku", "e_start"),
    ("jakso_loppu", "e_end"),
    ("jakso_loppu", "e_order"),
    ("paivat", "e_days"),
    ("maksettu_eur", "e_paid"),
    ("kuntaosuus_eur", "e_share"),
    ("kuntaosuus_pros", "e_percent"),
    ("kertyneet_paivat", "e_accumulated"),
)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass
class ErrorLog:
    """The first ``MAX_ERRORS_KEPT`` errors by row, and how many there were of each code.

    A file with millions of bad cells must not become millions of stored objects: the
    counts say how many, the kept ones show what to fix.
    """

    kept: list[RowError] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def room(self) -> int:
        return MAX_ERRORS_KEPT - len(self.kept)

    def add(self, error: RowError) -> None:
        self.counts[error.code] += 1
        if self.room > 0:
            self.kept.append(error)

    def merge_sorted(self, errors: Sequence[RowError], total_by_code: Mapping[str, int]) -> None:
        """Fold in errors found later (duplicates) keeping the first ones by row."""
        self.counts.update(total_by_code)
        self.kept = sorted([*self.kept, *errors], key=lambda error: error.row)[:MAX_ERRORS_KEPT]


@dataclass
class Validated:
    """What reading the file found; the valid rows went to ``emit``."""

    rows: int = 0
    valid_rows: int = 0
    errors: ErrorLog = field(default_factory=ErrorLog)
    columns: dict[str, str] = field(default_factory=dict)  # field → header found in the file
    preview: list[list[str]] = field(default_factory=list)  # first rows, identity code masked
    fatal: bool = False  # the file as a whole cannot be read (no row can be imported)
    months: set[date] = field(default_factory=set)  # the months of the valid rows
    # (row, an earlier row) whose identities hash alike: the database confirms which
    # repeat the earlier row (``merge.duplicates_remove``). Usually empty.
    repeats: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=REPEAT_SCHEMA))

    def fail(self, code: str, message: str, column: str | None = None) -> "Validated":
        self.errors.add(RowError(1, column, code, message))
        self.fatal = True
        return self


class Unreadable(ValueError):
    """The file is not a share list this importer can read; ``code`` is the error code."""

    def __init__(self, message: str, code: str = "unreadable_file") -> None:
        super().__init__(message)
        self.code = code


def too_large(message: str) -> Unreadable:
    return Unreadable(message, code="too_large")


def default_aliases() -> dict[str, list[str]]:
    """The ``polku`` profile: the contract's column names and their spelled-out forms."""
    spelled = {
        "henkilotunnus": ["henkilötunnus", "hetu"],
        "etunimet": ["etunimi"],
        "etuus": ["etuuslaji"],
        "maksupaiva": ["maksupäivä"],
        "jakso_alku": ["jakso alkaa", "alkupäivä"],
        "jakso_loppu": ["jakso päättyy", "loppupäivä"],
        "paivat": ["päivät", "maksetut päivät"],
        "maksettu_eur": ["maksettu €", "maksettu"],
        "kuntaosuus_pros": ["kuntaosuus %"],
        "kuntaosuus_eur": ["kuntaosuus €", "kuntaosuus"],
        "kertyneet_paivat": ["kertyneet päivät", "kertymä"],
    }
    return {name: [name, *spelled.get(name, [])] for name in FIELDS}


# --- What kind of file is it -------------------------------------------------------------
def sniff(source: IO[bytes]) -> str:
    """``"csv"`` or ``"xlsx"`` from the first bytes, before anything is parsed.

    Raises:
        Unreadable: empty, or another kind of file (a PDF, an image, a Word document):
            "not a share list", said before any preview.
    """
    head = source.read(8192)
    source.seek(0)
    if not head.strip():
        raise Unreadable(_("Tiedosto on tyhjä."))
    if head.startswith(XLSX_MAGIC):
        if not _is_workbook(source):
            raise Unreadable(
                _("Tiedosto ei ole kuntaosuuslista: se ei ole CSV- eikä XLSX-tiedosto.")
            )
        return "xlsx"
    if head.startswith(b"%PDF"):
        raise Unreadable(
            _("Tiedosto on PDF eikä kuntaosuuslista. Tuo lista CSV- tai XLSX-tiedostona.")
        )
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"RIFF")):
        raise Unreadable(
            _("Tiedosto on kuva eikä kuntaosuuslista. Tuo lista CSV- tai XLSX-tiedostona.")
        )
    if b"\x00" in head:
        raise Unreadable(_("Tiedosto ei ole kuntaosuuslista: se ei ole CSV- eikä XLSX-tiedosto."))
    return "csv"


def header_check(source: IO[bytes], aliases: Mapping[str, Iterable[str]]) -> None:
    """Refuse, from its first line, a text file with none of the list's column names.

    Only CSV: an XLSX header is read with the rest of the sheet, in the background.

    Raises:
        Unreadable: the first line names no column of the profile.
    """
    if sniff(source) != "csv":
        return
    head = source.read(64 * 1024)
    source.seek(0)
    line = head.removeprefix(codecs.BOM_UTF8).split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        text = line.decode("cp1252", errors="replace")
    cells = next(csv.reader([text], delimiter=_delimiter(line)), [])
    if not match_columns(cells, aliases)[0]:
        raise _not_a_list()


def _not_a_list() -> Unreadable:
    return Unreadable(
        _(
            "Tiedosto ei ole kuntaosuuslista: sen ensimmäisellä rivillä ei ole yhtään "
            "tunnettua sarakkeen nimeä (esimerkiksi henkilotunnus, etuus, maksupaiva)."
        )
    )


def _is_workbook(source: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(source) as archive:
            return xlsx_to_csv.first_sheet_path(archive) is not None
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        source.seek(0)


def _size(source: IO[bytes]) -> int:
    size = source.seek(0, os.SEEK_END)
    source.seek(0)
    return size


# --- CSV in blocks of whole records ------------------------------------------------------
def _encoding(source: IO[bytes]) -> str:
    """UTF-8 (with or without BOM) if every byte decodes so, else Windows-1252."""
    if source.read(3) == codecs.BOM_UTF8:
        source.seek(0)
        return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        source.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while block := source.read(BLOCK_BYTES):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        source.seek(0)
        return encoding
    raise Unreadable(_("Merkistö ei ole UTF-8 eikä Windows-1252: tallenna tiedosto uudelleen."))


def _utf8_blocks(source: IO[bytes], encoding: str) -> Iterator[bytes]:
    if encoding == "utf-8":
        while block := source.read(BLOCK_BYTES):
            yield block
        return
    decoder = codecs.getincrementaldecoder(encoding)()
    while block := source.read(BLOCK_BYTES):
        yield decoder.decode(block).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def _record_end(data: bytes) -> int:
    """Index just past the last newline that is outside quotes (0: none).

    A CSV field is inside quotes where an odd number of quote characters precede it
    (escaped quotes are doubled), so the block is cut where the count is even.
    """
    end = data.rfind(b"\n")
    if end < 0 or b'"' not in data:
        return end + 1
    odd = data.count(b'"', 0, end) % 2
    while end >= 0:
        if not odd:
            return end + 1
        previous = data.rfind(b"\n", 0, end)
        odd ^= data.count(b'"', previous + 1, end) % 2
        end = previous
    return 0


def record_blocks(source: IO[bytes], encoding: str) -> Iterator[bytes]:
    """UTF-8 text in blocks that each end at the end of a record."""
    carry = b""
    first = True
    for block in _utf8_blocks(source, encoding):
        if first:
            block = block.removeprefix(codecs.BOM_UTF8)
            first = False
        data = carry + block
        cut = _record_end(data)
        if cut == 0:
            if len(data) > MAX_RECORD_BYTES:
                raise Unreadable(
                    _(
                        "Tiedoston lainausmerkit eivät täsmää: jokin arvo alkaa lainausmerkillä, "
                        "jota ei suljeta."
                    )
                )
            carry = data
            continue
        carry = data[cut:]
        yield data[:cut]
    if carry.strip():
        yield carry


def _delimiter(first_line: bytes) -> str:
    if b";" in first_line:
        return ";"
    return "\t" if b"\t" in first_line else ","


def _frames(blocks: Iterator[bytes]) -> Iterator[pl.DataFrame]:
    """Each block as a DataFrame of text columns, the header row first."""
    schema: dict[str, Any] | None = None
    delimiter = ","
    for block in blocks:
        if schema is None:
            delimiter = _delimiter(block.split(b"\n", 1)[0])
        try:
            frame = pl.read_csv(
                block,
                has_header=False,
                separator=delimiter,
                schema=schema,
                infer_schema=False,
                truncate_ragged_lines=True,
                raise_if_empty=False,
            )
        except pl.exceptions.PolarsError as error:
            raise Unreadable(
                _("CSV-tiedostoa ei voi lukea: tarkista erotinmerkit ja lainausmerkit.")
            ) from error
        if schema is None:
            frame.columns = [_column(index) for index in range(frame.width)]
            if frame.width > MAX_COLUMNS:
                raise too_large(
                    _("Tiedostossa on yli %(count)d saraketta.") % {"count": MAX_COLUMNS}
                )
            schema = dict.fromkeys(frame.columns, pl.String())
        yield frame


# A reader: the spreadsheet row of the header, the frames, and how far it has read (0–1).
Reader = tuple[int, Iterator[pl.DataFrame], Callable[[], float]]


def _csv_rows(source: IO[bytes]) -> Reader:
    size = max(_size(source), 1)
    frames = _frames(record_blocks(source, _encoding(source)))
    return 1, frames, lambda: min(source.tell() / size, 1.0)


def _xlsx_rows(source: IO[bytes]) -> Reader:
    """The first sheet through the capped child process, then read as CSV."""
    converted = tempfile.TemporaryFile()  # noqa: SIM115 - handed on, closed by the reader
    on_disk = _has_fileno(source)
    try:
        finished = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            [
                sys.executable,
                "-m",
                "polku.sharelist.xlsx_to_csv",
                str(XLSX_MEMORY_BYTES),
                str(XLSX_MAX_CELLS),
            ],
            stdin=source if on_disk else None,
            input=None if on_disk else source.read(),
            stdout=converted,
            stderr=subprocess.DEVNULL,
            timeout=XLSX_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        converted.close()
        raise too_large(_("XLSX-tiedoston lukeminen kesti liian kauan.")) from error
    if finished.returncode != 0:
        converted.close()
        if finished.returncode == xlsx_to_csv.UNREADABLE:
            raise Unreadable(_("XLSX-tiedostoa ei voi lukea."))
        # Too many cells, out of memory, or killed by the allocator (a negative code).
        raise too_large(
            _(
                "XLSX-taulukko on liian suuri luettavaksi (enintään %(cells)s solua "
                "ensimmäisestä viimeiseen täytettyyn soluun). Tallenna lista CSV-tiedostona "
                "tai poista ylimääräiset solut."
            )
            % {"cells": f"{XLSX_MAX_CELLS:,}".replace(",", "\u00a0")}
        )
    size = max(converted.seek(0, os.SEEK_END), 1)
    converted.seek(0)
    first_row = int(converted.readline() or b"1")
    return first_row, _frames(_closing_blocks(converted)), lambda: converted.tell() / size


def _has_fileno(source: IO[bytes]) -> bool:
    try:
        source.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False
    source.seek(0)
    return True


def _closing_blocks(converted: IO[bytes]) -> Iterator[bytes]:
    with converted:
        yield from record_blocks(converted, "utf-8")


# --- Columns -----------------------------------------------------------------------------
def _column(position: int) -> str:
    """The name of the file's column at ``position`` (0-based) in the frames."""
    return f"c{position}"


def _label(value: object) -> str:
    return str(value).strip().lower().lstrip("\ufeff")


def match_columns(
    header: Sequence[Any], aliases: Mapping[str, Iterable[str]]
) -> tuple[dict[str, int], dict[str, str]]:
    """Field → column index, and field → header as written in the file."""
    wanted = {_label(alias): name for name, names in aliases.items() for alias in names}
    for name in FIELDS:
        wanted.setdefault(name, name)
    positions: dict[str, int] = {}
    found: dict[str, str] = {}
    for index, cell in enumerate(header):
        if cell is None:
            continue
        field_name = wanted.get(_label(cell))
        if field_name is not None and field_name not in positions:
            positions[field_name] = index
            found[field_name] = str(cell).strip()
    return positions, found


# --- Checks ------------------------------------------------------------------------------
def date_text(text: str) -> date:
    """d.m.yyyy or ISO (a time after the date is ignored), years 1900–2100."""
    text = text.strip()
    if "." in text:
        day, month, year = text.split(".")
        if len(year) != 4:
            raise ValueError(text)
        value = date(int(year), int(month), int(day))
    else:
        value = date.fromisoformat(text[:10])
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(text)
    return value


def _parsed_dates(values: pl.Series) -> dict[str, date | None]:
    """Each distinct text once (a month's list has a few hundred distinct dates)."""
    parsed: dict[str, date | None] = {}
    for text in values.drop_nulls().unique().to_list():
        try:
            parsed[text] = date_text(text)
        except ValueError:
            parsed[text] = None
    return parsed


def _fallback_hetus(values: pl.Series) -> tuple[dict[str, str], dict[str, date | None]]:
    """``hetu.parse`` for the codes the vectorised check did not accept: its error code
    (``""`` when the scalar parser accepts the code after all), and the birth date."""
    codes: dict[str, str] = {}
    births: dict[str, date | None] = {}
    for text in values.drop_nulls().unique().to_list():
        try:
            births[text] = hetu_codes.parse(text).birth_date
            codes[text] = ""
        except hetu_codes.InvalidHetu as invalid:
            births[text] = None
            codes[text] = invalid.code
    return codes, births


def _text(positions: Mapping[str, int], name: str) -> pl.Expr:
    position = positions.get(name)
    if position is None:
        return pl.lit(None, dtype=pl.String)
    return pl.col(_column(position)).str.strip_chars()


def _blank(expr: pl.Expr) -> pl.Expr:
    return expr.is_null() | (expr == "")


def _with_hetu_fast(frame: pl.DataFrame) -> pl.DataFrame:
    """``hetu_fast``: whether the code in ``hetu`` is certainly valid, and ``birth_fast``,
    its birth date, computed column-wise in steps (each step's columns once).

    Stricter than ``hetu.parse`` (ASCII digits only), never looser: a code it does not
    accept goes to the scalar parser, which gives the reason (tests check both agree).
    """
    hetu = pl.col("hetu")
    parts = frame.with_columns(
        h_year=hetu.str.slice(6, 1).replace_strict(
            hetu_codes.CENTURY_BY_SIGN, default=None, return_dtype=pl.Int32
        )
        + hetu.str.slice(4, 2).cast(pl.Int32, strict=False),
        h_month=hetu.str.slice(2, 2).cast(pl.Int32, strict=False),
        h_day=hetu.str.slice(0, 2).cast(pl.Int32, strict=False),
        h_check=(
            (hetu.str.slice(0, 6) + hetu.str.slice(7, 3)).cast(pl.Int64, strict=False) % 31
        ).replace_strict(
            list(range(31)),
            list(hetu_codes.CHECK_CHARACTERS),
            default=None,
            return_dtype=pl.String,
        ),
        h_shape=hetu.str.contains(HETU_SHAPE)
        & (
            hetu.str.slice(7, 3).cast(pl.Int32, strict=False)
            >= hetu_codes.FIRST_ISSUED_INDIVIDUAL_NUMBER
        ),
    )
    year, month, day = pl.col("h_year"), pl.col("h_month"), pl.col("h_day")
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = month.replace_strict(MONTH_DAYS, default=0, return_dtype=pl.Int32) + (
        leap & (month == 2)
    ).cast(pl.Int32)
    parts = parts.with_columns(h_real=((day >= 1) & (day <= month_days)).fill_null(False))
    real = pl.col("h_real")
    # Only possible dates are built: impossible parts would make pl.date raise.
    birth = pl.date(
        pl.when(real).then(year).otherwise(2000),
        pl.when(real).then(month).otherwise(1),
        pl.when(real).then(day).otherwise(1),
    )
    return parts.with_columns(
        hetu_fast=(
            real & pl.col("h_shape") & (pl.col("h_check") == hetu.str.slice(10, 1))
        ).fill_null(False),
        birth_fast=pl.when(real).then(birth),
    )


def _cleaned_number(expr: pl.Expr, *, comma: bool) -> pl.Expr:
    patterns = [*SPACES, "\u2212", *([","] if comma else [])]
    replacements = ["" for _ in SPACES] + ["-", *(["."] if comma else [])]
    return expr.str.replace_many(patterns, replacements)


def _code(condition: pl.Expr, code: str, otherwise: pl.Expr | None = None) -> pl.Expr:
    """``code`` where ``condition`` holds, else ``otherwise`` (default: no error)."""
    chosen = pl.when(condition).then(pl.lit(code))
    return chosen if otherwise is None else chosen.otherwise(otherwise)


def _checked(frame: pl.DataFrame, positions: Mapping[str, int]) -> pl.DataFrame:
    """The frame with parsed values and one error-code column per check (null: fine)."""
    hetu = _text(positions, "henkilotunnus").str.to_uppercase()
    checked = frame.with_columns(
        hetu=hetu,
        last_name=_text(positions, "sukunimi"),
        first_names=_text(positions, "etunimet"),
        benefit=_text(positions, "etuus").str.to_uppercase(),
        t_paid_on=_text(positions, "maksupaiva"),
        t_start=_text(positions, "jakso_alku"),
        t_end=_text(positions, "jakso_loppu"),
        t_days=_cleaned_number(_text(positions, "paivat"), comma=False),
        paid=_cleaned_number(_text(positions, "maksettu_eur"), comma=True),
        share=_cleaned_number(_text(positions, "kuntaosuus_eur"), comma=True),
        share_percent=_cleaned_number(_text(positions, "kuntaosuus_pros"), comma=True),
        t_accumulated=_cleaned_number(_text(positions, "kertyneet_paivat"), comma=False),
    ).pipe(_with_hetu_fast)
    slow = checked.filter(~pl.col("hetu_fast") & ~_blank(pl.col("hetu")))["hetu"]
    hetu_errors, hetu_births = _fallback_hetus(slow)
    dates: dict[str, date | None] = {}
    for column in ("t_paid_on", "t_start", "t_end"):
        dates.update(_parsed_dates(checked[column]))

    def as_date(column: str) -> pl.Expr:
        return pl.col(column).replace_strict(dates, default=None, return_dtype=pl.Date)

    checked = checked.with_columns(
        hetu_error=pl.when(pl.col("hetu_fast"))
        .then(pl.lit(""))
        .otherwise(
            pl.col("hetu").replace_strict(hetu_errors, default=None, return_dtype=pl.String)
        ),
        birth_date=pl.when(pl.col("hetu_fast"))
        .then(pl.col("birth_fast"))
        .otherwise(pl.col("hetu").replace_strict(hetu_births, default=None, return_dtype=pl.Date)),
        payment_date=as_date("t_paid_on"),
        period_start=as_date("t_start"),
        period_end=as_date("t_end"),
        days=pl.when(pl.col("t_days").str.contains(INTEGER)).then(
            pl.col("t_days").cast(pl.Int32, strict=False)
        ),
        accumulated_days=pl.when(pl.col("t_accumulated").str.contains(INTEGER)).then(
            pl.col("t_accumulated").cast(pl.Int32, strict=False)
        ),
    )

    def date_error(text: str, parsed: str) -> pl.Expr:
        return _code(
            _blank(pl.col(text)), "missing_value", _code(pl.col(parsed).is_null(), "invalid_date")
        )

    def name_error(column: str) -> pl.Expr:
        value = pl.col(column)
        too_long = value.str.len_chars() > MAX_TEXT
        return _code(
            _blank(value),
            "missing_value",
            _code(too_long | value.str.contains(CONTROL), "invalid_text"),
        )

    def amount_error(column: str, valid: pl.Expr, *, required: bool = True) -> pl.Expr:
        value = pl.col(column)
        invalid = _code(~valid.fill_null(False), "invalid_amount")
        if required:
            return _code(_blank(value), "missing_value", invalid)
        return pl.when(_blank(value)).then(pl.lit(None, dtype=pl.String)).otherwise(invalid)

    percent = pl.col("share_percent")
    return checked.with_columns(
        e_hetu=_code(
            _blank(pl.col("hetu")),
            "missing_value",
            _code(pl.col("hetu_error") != "", "invalid_hetu"),
        ),
        e_last=name_error("last_name"),
        e_first=name_error("first_names"),
        e_benefit=_code(
            _blank(pl.col("benefit")),
            "missing_value",
            _code(~pl.col("benefit").is_in(BENEFITS), "unknown_benefit"),
        ),
        e_paid_on=date_error("t_paid_on", "payment_date"),
        e_start=date_error("t_start", "period_start"),
        e_end=date_error("t_end", "period_end"),
        e_order=_code(pl.col("period_start") > pl.col("period_end"), "period_order"),
        e_days=amount_error("t_days", pl.col("days").is_not_null()),
        e_paid=amount_error("paid", pl.col("paid").str.contains(MONEY)),
        e_share=amount_error("share", pl.col("share").str.contains(MONEY)),
        e_percent=amount_error(
            "share_percent",
            percent.str.contains(MONEY) & percent.cast(pl.Float64, strict=False).is_between(0, 100),
            required=False,
        ),
        e_accumulated=amount_error(
            "t_accumulated", pl.col("accumulated_days").is_not_null(), required=False
        ),
    )


def _messages() -> dict[tuple[str, str], str]:
    """(check, code) → the message shown, in the active language."""
    missing = _("Arvo puuttuu.")
    date_message = _(
        "Päivämäärä ei kelpaa: käytä muotoa p.k.vvvv tai vvvv-kk-pp (vuodet 1900–2100)."
    )
    amount = _("Luku ei kelpaa: esimerkiksi 1 234,56 tai -12,50.")
    integer = _("Päivien määrän on oltava kokonaisluku.")
    text = _("Nimessä on ohjausmerkkejä tai yli 100 merkkiä.")
    messages: dict[tuple[str, str], str] = {}
    for _field, check in CHECKS:
        messages[(check, "missing_value")] = missing
        messages[(check, "invalid_date")] = date_message
        messages[(check, "invalid_text")] = text
    for check in ("e_paid", "e_share"):
        messages[(check, "invalid_amount")] = amount
    for check in ("e_days", "e_accumulated"):
        messages[(check, "invalid_amount")] = integer
    messages[("e_percent", "invalid_amount")] = _("Prosentin on oltava 0–100.")
    messages[("e_benefit", "unknown_benefit")] = _(
        "Tuntematon etuus: sallitut ovat TMT, PPR ja ANS."
    )
    messages[("e_order", "period_order")] = _("Jakso päättyy ennen kuin se alkaa.")
    return messages


class _Checker:
    """Validates the frames of one file and remembers what it found."""

    def __init__(
        self, positions: dict[str, int], result: Validated, emit: Callable[[pl.DataFrame], object]
    ) -> None:
        self.positions = positions
        self.result = result
        self.emit = emit
        self.messages = _messages()
        self.hetu_messages = {code: str(text) for code, text in hetu_codes.ERROR_MESSAGES.items()}
        # The first row of each identity hash so far: 16 bytes a distinct row.
        self.first_rows = pl.DataFrame(schema={"key": pl.UInt64, "first_row": pl.Int64})

    def check(self, frame: pl.DataFrame, first_row: int) -> None:
        text_columns = frame.columns
        frame = frame.with_row_index("row", offset=first_row).with_columns(
            pl.col("row").cast(pl.Int64)
        )
        # Blank: every cell empty (a line of spaces is not blank; its cells are missing).
        frame = frame.filter(
            ~pl.all_horizontal(
                pl.col(name).is_null() | (pl.col(name).str.len_bytes() == 0)
                for name in text_columns
            )
        )
        if frame.is_empty():
            return
        self.result.rows += frame.height
        if self.result.rows > MAX_ROWS:
            raise too_large(
                _("Tiedostossa on yli %(count)s riviä.")
                % {"count": f"{MAX_ROWS:,}".replace(",", "\u00a0")}
            )
        self._keep_preview(frame)
        checked = _checked(frame, self.positions)
        error_columns = [check for _field, check in CHECKS]
        checked = checked.with_columns(
            has_error=pl.any_horizontal(pl.col(name).is_not_null() for name in error_columns)
        )
        if checked["has_error"].any():
            self._record_errors(checked.filter(pl.col("has_error")), error_columns)
        valid = (
            checked.select(
                *(name for name in STAGE_COLUMNS if name != "month"),
                "has_error",
                month=pl.col("payment_date").dt.month_start(),
            )
            .filter(~pl.col("has_error"))
            .with_columns(
                share_percent=pl.when(_blank(pl.col("share_percent")))
                .then(None)
                .otherwise(pl.col("share_percent")),
            )
            .select(STAGE_COLUMNS)
        )
        self.result.valid_rows += valid.height
        if not valid.is_empty():
            self._find_repeats(valid)
            self.result.months.update(valid["month"].unique().to_list())
            self.emit(valid)

    def _find_repeats(self, valid: pl.DataFrame) -> None:
        """Pair each row with the first earlier row whose identity hashes the same.

        Linear in the rows (a hash a row), unlike comparing identities pairwise; equal
        hashes of different identities are told apart by ``merge.duplicates_remove``.
        """
        keys = valid.select("row", key=pl.struct(IDENTITY_COLUMNS).hash(seed=2026))
        firsts = keys.group_by("key").agg(first_row=pl.col("row").min())
        earlier = keys.join(self.first_rows, on="key").select("row", "first_row")
        within = (
            keys.join(firsts, on="key")
            .filter(pl.col("row") > pl.col("first_row"))
            .join(self.first_rows, on="key", how="anti")
            .select("row", "first_row")
        )
        repeats = pl.concat([earlier, within])
        if not repeats.is_empty():
            self.result.repeats = pl.concat([self.result.repeats, repeats])
        new = firsts.join(self.first_rows, on="key", how="anti")
        self.first_rows = pl.concat([self.first_rows, new])

    def _keep_preview(self, frame: pl.DataFrame) -> None:
        room = PREVIEW_ROWS - len(self.result.preview)
        if room <= 0:
            return
        for row in frame.head(room).iter_rows(named=True):
            cells = []
            for name in FIELDS:
                position = self.positions.get(name)
                value = "" if position is None else (row[_column(position)] or "").strip()
                cells.append(hetu_codes.mask(value) if name == "henkilotunnus" and value else value)
            self.result.preview.append(cells)

    def _record_errors(self, bad: pl.DataFrame, error_columns: list[str]) -> None:
        errors = self.result.errors
        for name in error_columns:
            for code, count in bad[name].drop_nulls().value_counts().iter_rows():
                errors.counts[code] += count
        if errors.room <= 0:
            return
        fields = {check: field_name for field_name, check in CHECKS}
        for row in (
            bad.head(errors.room).select("row", "hetu_error", *error_columns).iter_rows(named=True)
        ):
            for name in error_columns:
                code = row[name]
                if code is None or errors.room <= 0:
                    continue
                message = (
                    self.hetu_messages[row["hetu_error"]]
                    if code == "invalid_hetu"
                    else self.messages[(name, code)]
                )
                errors.kept.append(RowError(row["row"], fields[name], code, message))


def validate(
    source: IO[bytes] | bytes,
    aliases: Mapping[str, Iterable[str]],
    emit: Callable[[pl.DataFrame], object],
    *,
    progress: Callable[[float], object] | None = None,
) -> Validated:
    """Parse and check every row; hand each block of valid rows to ``emit``.

    ``progress`` is told the share of the file read so far (0–1) after each block.
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    result = Validated()
    try:
        first_row, frames, position = (
            _xlsx_rows(source) if sniff(source) == "xlsx" else _csv_rows(source)
        )
        _check_frames(
            frames,
            first_row,
            aliases,
            result,
            emit,
            lambda: progress(position()) if progress else None,
        )
    except Unreadable as unreadable:
        result.valid_rows = 0
        return result.fail(unreadable.code, str(unreadable))
    return result


def _check_frames(
    frames: Iterator[pl.DataFrame],
    first_row: int,
    aliases: Mapping[str, Iterable[str]],
    result: Validated,
    emit: Callable[[pl.DataFrame], object],
    tick: Callable[[], object],
) -> None:
    header_frame = next(frames, None)
    if header_frame is None or header_frame.is_empty():
        raise Unreadable(_("Tiedosto on tyhjä."))
    positions, result.columns = match_columns(header_frame.row(0), aliases)
    missing = [name for name in FIELDS if name not in positions and name not in OPTIONAL_FIELDS]
    if missing:
        if not positions:
            raise _not_a_list()
        for name in missing:
            result.errors.add(
                RowError(
                    1,
                    name,
                    "missing_column",
                    _("Tiedostosta puuttuu sarake %(column)s.") % {"column": name},
                )
            )
        result.fatal = True
        return
    checker = _Checker(positions, result, emit)
    checker.check(header_frame.slice(1), first_row + 1)
    row = first_row + header_frame.height
    tick()
    for frame in frames:
        checker.check(frame, row)
        row += frame.height
        tick()
