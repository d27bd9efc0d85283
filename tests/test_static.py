import hashlib
import re
from pathlib import Path

from django.contrib.staticfiles import finders

HTMX = Path(__file__).resolve().parents[1] / "polku" / "static" / "htmx"


def test_the_stylesheet_and_scripts_are_found_where_pages_load_them() -> None:
    for path in ("polku/polku.css", "polku/upload-progress.js", "htmx/htmx.min.js"):
        assert finders.find(path), path


def _recorded(field: str) -> str:
    match = re.search(rf"^{re.escape(field)}: (\S+)$", (HTMX / "SOURCE").read_text(), re.M)
    assert match, f"{field} missing from polku/static/htmx/SOURCE"
    return match.group(1)


def test_vendored_htmx__is_the_recorded_npm_release_byte_for_byte() -> None:
    content = (HTMX / "htmx.min.js").read_bytes()

    assert hashlib.sha256(content).hexdigest() == _recorded("sha256 (htmx.min.js)")
    assert f'version:"{_recorded("version")}"'.encode() in content
    assert _recorded("version").startswith("2.")
    assert "Zero-Clause BSD" in (HTMX / "LICENSE").read_text()


def test_pages_name_a_favicon_that_is_served() -> None:
    base = Path(__file__).resolve().parents[1] / "polku" / "templates" / "base.html"
    assert finders.find("polku/favicon.svg")
    assert '<link rel="icon" href="{% static \'polku/favicon.svg\' %}"' in base.read_text()
