from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """Saavutettavuusseloste: public, no login, as 306/2019 § 15 requires."""
    context = {"feedback_email": settings.POLKU_ACCESSIBILITY_EMAIL}
    return render(request, "core/accessibility.html", context)
