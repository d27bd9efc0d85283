"""JSON errors per CONTRACTS.md §5: {"code", "message", "fields"} in the caller's language."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled, ValidationError

from polku.access.policy import NoCareRelationship


class ApiError(Exception):
    """An error the API reports as JSON with its own status and code."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, Any] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for item in error.errors:
        location = [
            str(part)
            for part in item.get("loc", ())
            if part not in {"body", "query", "path", "payload"}
        ]
        fields.setdefault(".".join(location) or "__all__", []).append(str(item.get("msg", "")))
    return fields


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
        return error_response(api, request, error.status, error.code, error.message, error.fields)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _("Kohdetta ei löydy."))

    @api.exception_handler(NoCareRelationship)
    def no_relationship(request: HttpRequest, error: NoCareRelationship) -> HttpResponse:
        return error_response(api, request, 403, "no_care_relationship", str(error))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, "forbidden", str(error) or _("Ei oikeutta."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        return error_response(
            api, request, 401, "unauthenticated", _("Anna voimassa oleva API-avain (Bearer).")
        )

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, error: Throttled) -> HttpResponse:
        # ninja adds the Retry-After header to this response.
        return error_response(
            api,
            request,
            429,
            "throttled",
            _("Liian monta pyyntöä. Odota hetki ja yritä uudelleen."),
        )

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        return error_response(
            api, request, 422, "invalid", _("Tiedoissa on virheitä."), _field_errors(error)
        )
