"""Production static files: content-hashed names, compressed copies, served for good.

The tests themselves run without STATIC_ROOT (files straight from the packages); here the
production storage collects Polku's own files into a temporary STATIC_ROOT. The admin's
and the API docs' files are left out for speed: the CI wheel check collects everything.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.test import override_settings

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collected_files_get_hashed_names_and_compressed_copies_that_pages_load(
    db: None, tmp_path: Path
) -> None:
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES, WHITENOISE_USE_FINDERS=False
    ):
        call_command("collectstatic", "--no-input", "-v0", "-i", "admin", "-i", "ninja")
        http = HttpClient()
        page = http.get("/accounts/login/").content.decode()
        (stylesheet,) = tmp_path.glob("polku/polku.*.css")
        (script,) = tmp_path.glob("htmx/htmx.min.*.js")
        served = http.get(f"/static/polku/{stylesheet.name}")

    assert f"/static/polku/{stylesheet.name}" in page
    assert f"/static/htmx/{script.name}" in page
    for compressed in (".gz", ".br"):
        assert stylesheet.with_name(stylesheet.name + compressed).exists()
    assert served.status_code == 200
    assert "immutable" in served["Cache-Control"]


@pytest.mark.parametrize("name", ["polku/polku.css", "htmx/htmx.min.js"])
def test_without_static_root_files_are_served_from_the_packages_under_their_own_names(
    db: None, name: str
) -> None:
    response = HttpClient().get(f"/static/{name}")

    assert response.status_code == 200
