"""Convert the first sheet of an XLSX file to CSV, in a child process with a memory cap.

Run as ``python -m polku.sharelist.xlsx_to_csv MEMORY_BYTES MAX_CELLS < book.xlsx > out``.
calamine, the only fast XLSX reader, holds the whole sheet in memory, sized by the
rectangle from the first to the last non-empty cell: a 1.4 KB file with cells A1 and
XFD1048576 asks for ~512 GB and the allocator aborts the process (SIGABRT, which no
``except`` catches). So the importer never reads a workbook in its own process: this
child does, under ``RLIMIT_AS``, checks the sheet's ``<dimension>`` and the rectangle
before handing out a row, and writes the rows as ``;``-separated UTF-8 CSV.

Output: the first line is the spreadsheet row number of the first row written (blank
rows above the header are skipped), then the rows. Exit codes: 0 done, 3 too large,
4 unreadable. No Django here: the child starts in ~50 ms.
"""

import csv
import io
import re
import resource
import sys
import zipfile
from datetime import date, datetime
from typing import Any

TOO_LARGE = 3
UNREADABLE = 4
DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\b[^>]*\bref=[\"']([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"
)
MAIN_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*\br:id=[\"']([^\"']+)[\"']")
DIMENSION_PROBE_BYTES = 64 * 1024


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def declared_cells(archive: zipfile.ZipFile) -> int | None:
    """Rows × columns the first sheet declares in ``<dimension ref>`` (None: not stated).

    Only the head of the sheet is read. The declaration may be missing or false, so it
    is an early answer for honest files; the memory cap is what holds for the rest.
    """
    sheet = first_sheet_path(archive)
    if sheet is None:
        return None
    with archive.open(sheet) as stream:
        head = stream.read(DIMENSION_PROBE_BYTES)
    found = DIMENSION.search(head)
    if found is None:
        return None
    first_column, first_row, last_column, last_row = found.groups()
    if last_column is None:
        return 1
    rows = int(last_row) - int(first_row) + 1
    columns = column_number(last_column) - column_number(first_column) + 1
    return max(rows, 1) * max(columns, 1)


def first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """The zip member calamine reads as sheet 0: the first ``<sheet>`` of the workbook."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    sheet = MAIN_SHEET.search(workbook)
    if sheet is None:
        return None
    relation_id = re.escape(sheet.group(1))
    target = re.search(
        rb"<(?:\w+:)?Relationship\b[^>]*\bId=[\"']" + relation_id + rb"[\"'][^>]*>", relations
    )
    if target is None:
        return None
    path = re.search(rb"\bTarget=[\"']([^\"']+)[\"']", target.group(0))
    if path is None:
        return None
    name = path.group(1).decode("utf-8", "replace")
    return name.lstrip("/") if name.startswith("/") else f"xl/{name}"


def text(value: Any) -> str:
    """A typed cell as the text a CSV export would hold (dates ISO, numbers plain)."""
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        rounded = round(value, 2)
        # Float noise (0.30000000000000004) is not a third decimal; 392.175 is.
        return repr(rounded) if abs(rounded - value) < 1e-9 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def convert(content: bytes, max_cells: int, out: Any) -> int:
    from python_calamine import CalamineWorkbook

    archive = zipfile.ZipFile(io.BytesIO(content))
    declared = declared_cells(archive)
    if declared is not None and declared > max_cells:
        return TOO_LARGE
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    end = sheet.end
    if end is None:
        out.write("1\n")
        return 0
    start = sheet.start or (0, 0)
    if (end[0] + 1) * (end[1] - start[1] + 1) > max_cells:
        return TOO_LARGE
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    rows = sheet.iter_rows()  # from spreadsheet row 1, whatever the first filled row
    number = 1
    for row in rows:
        if any(cell != "" for cell in row):
            out.write(f"{number}\n")
            writer.writerow([text(cell) for cell in row])
            break
        number += 1
    else:
        out.write("1\n")
        return 0
    for row in rows:
        writer.writerow([cell if type(cell) is str else text(cell) for cell in row])
    return 0


def main() -> int:
    memory, max_cells = int(sys.argv[1]), int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    content = sys.stdin.buffer.read()
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        code = convert(content, max_cells, out)
    except MemoryError:
        return TOO_LARGE
    except Exception:  # calamine and zipfile raise their own types for broken files
        return UNREADABLE
    out.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
