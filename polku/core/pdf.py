"""Tagged PDF from HTML with WeasyPrint, fetching nothing but the app's static files.

WeasyPrint would fetch any address a template names (``file:///etc/passwd``, a service
on the server's own network). Its fetcher here serves only the app's own static files
and inline ``data:`` URLs; everything else is refused before any file or socket is opened.
"""

import mimetypes
import posixpath

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

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
