"""Reading and validating a share-list file (CONTRACTS.md §3), without the database.

CSV (``;`` or ``,``; UTF-8 with or without BOM, or Windows-1252) or XLSX (read with
calamine). Every row is checked in one tight loop; errors name the spreadsheet row
(header = 1) and the column, never the identity code or the name.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from polku.core import hetu as hetu_codes
from polku.sharelist.models import FIELDS, OPTIONAL_FIELDS, Benefit

XLSX_MAGIC = b"PK\x03\x04"
BENEFITS = frozenset(Benefit.values)
MAX_AMOUNT = Decimal("9999999999.99")
CENT = Decimal("0.01")
MONEY = re.compile(r"-?\d{1,10}(\.\d{1,2})?")
SPACES = str.maketrans("", "", " \u00a0\u202f\t")
# A valid row, in the staging table's column order. Amounts stay checked text
# ("-1234.50"): the database parses them faster than Decimal() would.
StageRow = tuple[
    str, str, str, date, str, date, date, date, date, int, str, str | None, str, int | None
]
STAGE_COLUMNS = (
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


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass
class Validated:
    """The file's rows: the valid ones ready for staging, and the errors."""

    rows: int = 0
    valid: list[StageRow] = field(default_factory=list)  # unless handed to an ``emit``
    valid_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → header found in the file
    fatal: bool = False  # the file as a whole cannot be read (no row can be imported)


class Unreadable(ValueError):
    """The file is neither a CSV nor an XLSX this importer can read."""


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


def read_table(content: bytes) -> Iterator[Sequence[Any]]:
    """The file's rows (the header first) as lists of cells.

    Raises:
        Unreadable: empty, binary other than XLSX, or an encoding neither UTF-8 nor
            Windows-1252.
    """
    if not content.strip():
        raise Unreadable(_("Tiedosto on tyhjä."))
    if content.startswith(XLSX_MAGIC):
        return _xlsx_rows(content)
    if b"\x00" in content[:4096]:
        raise Unreadable(_("Tiedosto ei ole CSV- eikä XLSX-tiedosto."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as error:
            raise Unreadable(
                _("Merkistö ei ole UTF-8 eikä Windows-1252: tallenna tiedosto uudelleen.")
            ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line else ("\t" if "\t" in first_line else ",")
    if '"' not in text:  # no quoting anywhere: splitting is exact and several times faster
        return (line.rstrip("\r").split(delimiter) for line in text.split("\n"))
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(content: bytes) -> Iterator[Sequence[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises its own error types for broken files
        raise Unreadable(_("XLSX-tiedostoa ei voi lukea.")) from error
    return iter(rows)


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
        field_name = wanted.get(_label(cell))
        if field_name is not None and field_name not in positions:
            positions[field_name] = index
            found[field_name] = str(cell).strip()
    return positions, found


@lru_cache(maxsize=4096)
def _date_text(text: str) -> date:
    text = text.strip()
    if "." in text:
        day, month, year = text.split(".")
        if len(year) != 4:
            raise ValueError(text)
        return date(int(year), int(month), int(day))
    return date.fromisoformat(text[:10]) if len(text) >= 10 else date.fromisoformat(text)


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _date_text(str(value))


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(round(value, 2)))
    text = str(value).translate(SPACES).replace(",", ".").replace("\u2212", "-")
    number = Decimal(text)
    if not number.is_finite() or abs(number) > MAX_AMOUNT:
        raise ValueError(text)
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(text)
    return number


def _integer(value: Any) -> int:
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(str(value).translate(SPACES).replace("\u2212", "-"))


def _integer_or_none(value: Any) -> int | None:
    try:
        return _integer(value)
    except (ValueError, TypeError):
        return None


def _blank(value: Any) -> bool:
    return value is None or value == "" or (type(value) is str and value.isspace())


def validate(
    content: bytes,
    aliases: Mapping[str, Iterable[str]],
    emit: Callable[[StageRow], object] | None = None,
) -> Validated:
    """Parse and check every row; hand each valid row to ``emit`` (default: keep them)."""
    result = Validated()
    try:
        table = read_table(content)
        header = next(table, None)
    except (Unreadable, csv.Error) as error:
        result.errors.append(RowError(1, None, "unreadable_file", str(error)))
        result.fatal = True
        return result
    if header is None:
        result.errors.append(RowError(1, None, "unreadable_file", _("Tiedosto on tyhjä.")))
        result.fatal = True
        return result
    positions, result.columns = match_columns(header, aliases)
    missing = [name for name in FIELDS if name not in positions and name not in OPTIONAL_FIELDS]
    if missing:
        for name in missing:
            result.errors.append(
                RowError(
                    1,
                    name,
                    "missing_column",
                    _("Tiedostosta puuttuu sarake %(column)s.") % {"column": name},
                )
            )
        result.fatal = True
        return result
    try:
        return _check_rows(table, positions, result, emit or result.valid.append)
    except csv.Error as error:
        result.errors.append(RowError(1, None, "unreadable_file", str(error)))
        result.fatal = True
        return result


def _money_text(text: str) -> str:
    """A checked amount as plain digits and point (the database parses it: no Decimal here)."""
    cleaned = text.replace(",", ".")
    if MONEY.fullmatch(cleaned) is None:
        cleaned = text.translate(SPACES).replace(",", ".").replace("\u2212", "-")
        if MONEY.fullmatch(cleaned) is None:
            raise ValueError(text)
    return cleaned


def _money_cell(value: Any) -> str:
    return _money_text(value) if type(value) is str else str(_decimal(value))


def _check_rows(
    table: Iterator[Sequence[Any]],
    positions: dict[str, int],
    result: Validated,
    emit: Callable[[StageRow], object],
) -> Validated:
    p_hetu, p_last, p_first = (
        positions["henkilotunnus"],
        positions["sukunimi"],
        positions["etunimet"],
    )
    p_benefit, p_paid_on = positions["etuus"], positions["maksupaiva"]
    p_start, p_end, p_days = positions["jakso_alku"], positions["jakso_loppu"], positions["paivat"]
    p_paid, p_share = positions["maksettu_eur"], positions["kuntaosuus_eur"]
    p_percent = positions.get("kuntaosuus_pros")
    p_accumulated = positions.get("kertyneet_paivat")
    width = max(positions.values()) + 1
    errors = result.errors
    seen: dict[tuple[Any, ...], int] = {}
    persons: dict[str, hetu_codes.Hetu] = {}
    messages = {
        "missing": _("Arvo puuttuu."),
        "date": _("Päivämäärä ei kelpaa: käytä muotoa p.k.vvvv tai vvvv-kk-pp."),
        "amount": _("Luku ei kelpaa: esimerkiksi 1 234,56 tai -12,50."),
        "integer": _("Päivien määrän on oltava kokonaisluku."),
        "percent": _("Prosentin on oltava 0–100."),
        "benefit": _("Tuntematon etuus: sallitut ovat TMT, PPR ja ANS."),
        "order": _("Jakso päättyy ennen kuin se alkaa."),
    }
    hetu_messages = {code: str(text) for code, text in hetu_codes.ERROR_MESSAGES.items()}
    missing = messages["missing"]
    bad: list[tuple[str, str, str]] = []  # the current row's errors: column, code, message
    date_text, money_text = _date_text, _money_text  # locals: the loop runs 500,000 times
    valid_rows = 0
    row_number = 1
    for cells in table:
        row_number += 1
        if not any(cells):
            continue
        result.rows += 1
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        identity = None
        raw = cells[p_hetu]
        if raw is None or raw == "":
            bad.append(("henkilotunnus", "missing_value", missing))
        else:
            text = str(raw).strip().upper()
            identity = persons.get(text)
            if identity is None:
                try:
                    identity = persons[text] = hetu_codes.parse(text)
                except hetu_codes.InvalidHetu as invalid:
                    bad.append(("henkilotunnus", "invalid_hetu", hetu_messages[invalid.code]))
        last_name = "" if cells[p_last] is None else str(cells[p_last]).strip()
        first_names = "" if cells[p_first] is None else str(cells[p_first]).strip()
        if not last_name:
            bad.append(("sukunimi", "missing_value", missing))
        if not first_names:
            bad.append(("etunimet", "missing_value", missing))
        benefit = cells[p_benefit]
        if benefit is None or benefit == "":
            bad.append(("etuus", "missing_value", missing))
        else:
            benefit = str(benefit).strip().upper()
            if benefit not in BENEFITS:
                bad.append(("etuus", "unknown_benefit", messages["benefit"]))
        paid_on = start = end = None
        value = cells[p_paid_on]
        if value is None or value == "":
            bad.append(("maksupaiva", "missing_value", missing))
        else:
            try:
                paid_on = date_text(value) if type(value) is str else _date(value)
            except (ValueError, TypeError):
                bad.append(("maksupaiva", "invalid_date", messages["date"]))
        value = cells[p_start]
        if value is None or value == "":
            bad.append(("jakso_alku", "missing_value", missing))
        else:
            try:
                start = date_text(value) if type(value) is str else _date(value)
            except (ValueError, TypeError):
                bad.append(("jakso_alku", "invalid_date", messages["date"]))
        value = cells[p_end]
        if value is None or value == "":
            bad.append(("jakso_loppu", "missing_value", missing))
        else:
            try:
                end = date_text(value) if type(value) is str else _date(value)
            except (ValueError, TypeError):
                bad.append(("jakso_loppu", "invalid_date", messages["date"]))
        if start is not None and end is not None and start > end:
            bad.append(("jakso_loppu", "period_order", messages["order"]))
        days = accumulated = None
        value = cells[p_days]
        if value is None or value == "":
            bad.append(("paivat", "missing_value", missing))
        else:
            try:
                days = int(value) if type(value) is str else _integer(value)
            except ValueError:
                days = _integer_or_none(value)
            if days is None:
                bad.append(("paivat", "invalid_amount", messages["integer"]))
        paid = share = percent = None
        value = cells[p_paid]
        if value is None or value == "":
            bad.append(("maksettu_eur", "missing_value", missing))
        else:
            try:
                paid = money_text(value) if type(value) is str else _money_cell(value)
            except (ValueError, TypeError, InvalidOperation):
                bad.append(("maksettu_eur", "invalid_amount", messages["amount"]))
        value = cells[p_share]
        if value is None or value == "":
            bad.append(("kuntaosuus_eur", "missing_value", missing))
        else:
            try:
                share = money_text(value) if type(value) is str else _money_cell(value)
            except (ValueError, TypeError, InvalidOperation):
                bad.append(("kuntaosuus_eur", "invalid_amount", messages["amount"]))
        value = None if p_percent is None else cells[p_percent]
        if value is not None and value != "":
            try:
                percent = _money_cell(value)
                if not 0 <= float(percent) <= 100:
                    raise ValueError(percent)
            except (ValueError, TypeError, InvalidOperation):
                bad.append(("kuntaosuus_pros", "invalid_amount", messages["percent"]))
        value = None if p_accumulated is None else cells[p_accumulated]
        if value is not None and value != "":
            try:
                accumulated = int(value) if type(value) is str else _integer(value)
            except ValueError:
                accumulated = _integer_or_none(value)
            if accumulated is None:
                bad.append(("kertyneet_paivat", "invalid_amount", messages["integer"]))
        if bad:
            errors.extend(RowError(row_number, *error) for error in bad)
            bad.clear()
            continue
        # No error on the row: every required value was parsed.
        key = (identity.value, benefit, paid_on, start, end)  # type: ignore[union-attr]
        first_row = seen.get(key)
        if first_row is not None:
            errors.append(
                RowError(
                    row_number,
                    None,
                    "duplicate_row",
                    _("Sama maksu on jo rivillä %(row)d.") % {"row": first_row},
                )
            )
            continue
        seen[key] = row_number
        valid_rows += 1
        emit(
            (
                identity.value,  # type: ignore[union-attr]
                last_name,
                first_names,
                identity.birth_date,  # type: ignore[union-attr]
                benefit,
                paid_on,  # type: ignore[arg-type]
                start,
                end,
                paid_on.replace(day=1),  # type: ignore[union-attr]
                days,
                paid,
                percent,
                share,
                accumulated,
            )
        )
    result.valid_rows = valid_rows
    return result
