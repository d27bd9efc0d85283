"""The project's URLs plus one view that fails with an identity code in its message, to
see what the 500 page shows."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

FAILING_PATH = "/security-test/fails/"


def fails_with_identity_code(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(request.GET.get("hetu", ""))


urlpatterns = [
    *project_urlpatterns,
    path(FAILING_PATH.strip("/") + "/", fails_with_identity_code),
]
