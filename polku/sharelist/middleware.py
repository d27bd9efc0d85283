"""Refuse an oversized share-list upload before its body is read (issue 16.9).

Django reads a request's whole body before any view runs (the CSRF check parses the
form), so a 200 MB file would be received and spooled only to be refused. This looks
at ``Content-Length`` first: the API answers 413 JSON, the upload page redirects back
to the form, which says how large a file may be. The base64 JSON import may be larger
than Django's general body limit (``DATA_UPLOAD_MAX_MEMORY_SIZE``, 2.5 MB), up to its own.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


def limit_text(size: int) -> str:
    """A byte size as whole megabytes in the user's language (100 MB)."""
    return _("%(megabytes)d Mt") % {"megabytes": size // (1024 * 1024)}


class ShareListUploadLimit:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def limit_for(request: HttpRequest) -> tuple[int | None, str]:
        """(largest body, how to refuse) for an upload route. Looked up per request, not
        cached: the URL configuration may differ (a test's own, a path prefix), and one
        without these routes has nothing to limit."""
        file_limit = settings.POLKU_SHARE_LIST_MAX_BYTES + FORM_OVERHEAD
        limits = {
            "sharelist:import": (file_limit, "page"),
            "api:import_list_upload": (file_limit, "api"),
            "api:import_list": (settings.POLKU_SHARE_LIST_MAX_JSON_BYTES, "json"),
        }
        for route, limit in limits.items():
            try:
                if reverse(route) == request.path:
                    return limit
            except NoReverseMatch:
                continue
        return None, ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return self.get_response(request)
        limit, kind = self.limit_for(request)
        if limit is None:
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return self._refuse(kind)
        if kind == "json":
            # Read here, within this endpoint's own limit, so the general body limit
            # (meant for forms) does not answer a real monthly list with an HTML 400.
            request._body = request.read()
        return self.get_response(request)

    def _refuse(self, kind: str) -> HttpResponse:
        if kind == "page":
            response: HttpResponse = HttpResponseRedirect(
                f"{reverse('sharelist:import')}?too_large=1", status=303
            )
        else:
            limit = (
                settings.POLKU_SHARE_LIST_MAX_JSON_BYTES
                if kind == "json"
                else settings.POLKU_SHARE_LIST_MAX_BYTES
            )
            message = _("Tiedosto on liian suuri: enintään %(limit)s.") % {
                "limit": limit_text(limit)
            }
            if kind == "json":
                message += " " + _("Suuremman tiedoston voi lähettää multipart-muodossa.")
            response = JsonResponse(
                {"code": "too_large", "message": message, "fields": {}}, status=413
            )
        response["Connection"] = "close"  # the unread body is not waited for
        return response
