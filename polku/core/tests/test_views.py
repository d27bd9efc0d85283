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
