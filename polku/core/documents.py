"""Printable documents: tagged PDF from a template (WeasyPrint) and XLSX workbooks.

Every PDF is rendered from an HTML template that extends ``documents/base.html`` so
that the language, title and print styles are the same everywhere. The PDF is
PDF/UA tagged, so screen readers can read it (WCAG applies to documents too). The
rendering itself, and what it may fetch, is in ``polku.core.pdf``.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

PDF_MIME = "application/pdf"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pdf_render(template: str, context: dict[str, Any]) -> bytes:
    """Render ``template`` with ``context`` into a tagged PDF."""
    # Imported here: loading WeasyPrint takes ~0.7 s, which every process (web worker,
    # command, task) would pay at start-up through the export registry otherwise.
    from polku.core.pdf import pdf_from_html

    html = render_to_string(template, {"language": get_language() or "fi", **context})
    return pdf_from_html(html)


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a title, column headings and rows of plain values."""

    title: str
    headings: Sequence[str]
    rows: Iterable[Sequence[object]]
    totals: Sequence[object] | None = None


def xlsx_render(sheets: Sequence[Sheet]) -> bytes:
    """Write the sheets into one workbook; dates as d.m.yyyy, money with two decimals."""
    buffer = io.BytesIO()
    # Text is only ever text: a name from Kela's file such as '=HYPERLINK(...)' must not
    # become a live formula or link that could send the sheet's identity codes elsewhere.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(buffer, options) as workbook:
        bold = workbook.add_format({"bold": True})
        formats = {
            date: workbook.add_format({"num_format": "d.m.yyyy"}),
            Decimal: workbook.add_format({"num_format": "#,##0.00"}),
        }
        for sheet in sheets:
            worksheet = workbook.add_worksheet(sheet.title[:31])
            worksheet.write_row(0, 0, list(sheet.headings), bold)
            row_number = 0
            for row_number, row in enumerate(sheet.rows, start=1):
                _write_row(worksheet, row_number, row, formats)
            if sheet.totals is not None:
                _write_row(worksheet, row_number + 1, sheet.totals, formats)
            worksheet.set_column(0, len(sheet.headings) - 1, 18)
    return buffer.getvalue()


def _write_row(
    worksheet: Any, row_number: int, row: Sequence[object], formats: dict[type, Any]
) -> None:
    for column, value in enumerate(row):
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            worksheet.write_datetime(row_number, column, value, formats[date])
        elif isinstance(value, Decimal):
            worksheet.write_number(row_number, column, value, formats[Decimal])
        elif value is None:
            worksheet.write_blank(row_number, column, None)
        else:
            worksheet.write(row_number, column, value)


@dataclass(frozen=True)
class Document:
    """A finished file: made in a request or by a background export job."""

    content: bytes
    filename: str
    mime: str

    def response(self) -> HttpResponse:
        return download(self.content, filename=self.filename, mime=self.mime)


def download(content: bytes, *, filename: str, mime: str) -> HttpResponse:
    """An attachment response; filenames never carry names or identity codes."""
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
