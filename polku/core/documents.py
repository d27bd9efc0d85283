"""Printable documents: tagged PDF from a template (WeasyPrint) and XLSX workbooks.

Every PDF is rendered from an HTML template that extends ``documents/base.html`` so
that the language, title and print styles are the same everywhere. The PDF is
PDF/UA tagged, so screen readers can read it (WCAG applies to documents too).

WeasyPrint would fetch any address a template names (``file:///etc/passwd``, a service
on the server's own network). Its fetcher here serves only the app's own static files
and inline ``data:`` URLs; everything else is refused before any file or socket is opened.
"""

import io
import mimetypes
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import weasyprint
import xlsxwriter
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_MIME = "application/pdf"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Relative and root-relative URLs ({% static %} gives "/static/...") resolve against this
# base, which names no real host: the fetcher below answers it from the static files.
PDF_BASE_URL = "https://polku.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Serve ``data:`` URLs and the app's own static files; refuse every other address."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = PDF_BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix):
            raise ValueError(f"PDF may not fetch {url.split(':', 1)[0]}: addresses")
        name = posixpath.normpath(url.removeprefix(prefix).split("?")[0].split("#")[0])
        if name.startswith(("/", "..")):
            raise ValueError("PDF may not fetch outside the static files")
        path = finders.find(name)
        if isinstance(path, str):
            with open(path, "rb") as file:
                body = file.read()
        elif staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as file:
                body = file.read()
        else:
            raise ValueError("no such static file")
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})


def pdf_from_html(html: str) -> bytes:
    """A tagged PDF from HTML; it may load only the app's static files."""
    document = weasyprint.HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher(timeout=1)
    )
    return document.write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def pdf_render(template: str, context: dict[str, Any]) -> bytes:
    """Render ``template`` with ``context`` into a tagged PDF."""
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
