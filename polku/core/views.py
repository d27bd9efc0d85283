import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """Saavutettavuusseloste: public, no login, as 306/2019 § 15 requires."""
    context = {"feedback_email": settings.POLKU_ACCESSIBILITY_EMAIL}
    return render(request, "core/accessibility.html", context)


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring, without signing in: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
