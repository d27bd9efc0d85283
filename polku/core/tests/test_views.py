import pytest
from django.db import OperationalError, connection
from django.test import Client as HttpClient
from django.urls import reverse


def test_accessibility_statement__is_public_and_names_the_feedback_channel(
    db: None, settings: object
) -> None:
    settings.POLKU_ACCESSIBILITY_EMAIL = "palaute@kunta.invalid"  # type: ignore[attr-defined]

    response = HttpClient().get(reverse("accessibility"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "mailto:palaute@kunta.invalid" in page
    assert "saavutettavuusvaatimukset.fi" in page


def test_health__answers_json_without_signing_in_when_the_database_answers(db: None) -> None:
    response = HttpClient().get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health__answers_503_when_the_database_does_not(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse() -> None:
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:  # undone before the test database is torn down
        patched.setattr(connection, "cursor", refuse)
        response = HttpClient().get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
