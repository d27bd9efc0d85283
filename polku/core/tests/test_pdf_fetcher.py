"""A PDF's template may load only the app's own static files (finding 11 of issue 16).

WeasyPrint's default fetcher opens any address the HTML names: a template that took a
``file://`` path or an address on the server's own network would put that file or that
service's answer into the PDF. A tiny HTTP server on 127.0.0.1 records whether anything
reached it.
"""

import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import weasyprint
from django.template import Context, Template

from polku.core.pdf import PDF_BASE_URL, StaticOnlyFetcher, pdf_from_html


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red; }")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Recorder.hits = []
    httpd = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _html(server: str, local_css: Path) -> str:
    template = Template(
        "{% load static %}<!DOCTYPE html><html lang='fi'><head><title>T</title>"
        "<link rel='stylesheet' href='file:///etc/passwd'>"
        "<link rel='stylesheet' href='http://127.0.0.1:9/x'>"
        "<link rel='stylesheet' href='{{ local_css }}'>"
        "<link rel='stylesheet' href='{{ server }}/direct.css'>"
        "<link rel='stylesheet' href='{% static \"polku/polku.css\" %}'>"
        "</head><body><p>Hei</p><img src='{{ server }}/img.png' alt=''></body></html>"
    )
    return template.render(Context({"server": server, "local_css": local_css.as_uri()}))


def test_pdf__refuses_file_and_network_addresses_but_loads_own_static(
    server: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A local file that, if read, would make WeasyPrint call the recording server.
    local_css = tmp_path / "evil.css"
    local_css.write_text(f'@import url("{server}/from-file.css");')
    html = _html(server, local_css)

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        content = pdf_from_html(html)

    assert content.startswith(b"%PDF-")
    assert _Recorder.hits == []
    refused = " ".join(r.getMessage() for r in caplog.records)
    assert "/etc/passwd" in refused
    assert "127.0.0.1:9/x" in refused
    assert "evil.css" in refused
    assert "polku.css" not in refused  # the app's own stylesheet loaded


def test_weasyprint_default_fetcher__would_have_fetched_them(server: str, tmp_path: Path) -> None:
    """The control: the same HTML through WeasyPrint's own fetcher reaches the server."""
    local_css = tmp_path / "evil.css"
    local_css.write_text(f'@import url("{server}/from-file.css");')

    weasyprint.HTML(string=_html(server, local_css)).write_pdf()

    assert "/from-file.css" in _Recorder.hits
    assert "/direct.css" in _Recorder.hits


def test_static_only_fetcher__serves_static_and_refuses_paths_outside_it() -> None:
    fetcher = StaticOnlyFetcher()

    css = fetcher.fetch(PDF_BASE_URL + "static/polku/polku.css")

    assert css.headers["Content-Type"] == "text/css"
    assert b"{" in css.read()
    for url in (
        PDF_BASE_URL + "static/../../etc/passwd",
        PDF_BASE_URL + "static//etc/passwd",
        PDF_BASE_URL + "elsewhere/x.css",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError, match="PDF may not fetch"):
            fetcher.fetch(url)
