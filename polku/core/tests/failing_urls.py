"""A view that fails with personal data in its request, message and log: for the error
report test (test_error_reporting), which serves it in a process of its own."""

import logging

from django.http import HttpRequest, HttpResponse
from django.urls import path

logger = logging.getLogger("polku.probe")


def fail(request: HttpRequest) -> HttpResponse:
    last_name, code = request.POST["last_name"], request.POST["hetu"]
    logger.warning("looking up %s", code)  # becomes a breadcrumb
    raise ValueError(f"no client {code} with a name of {len(last_name)} letters")


urlpatterns = [path("fail/", fail)]
