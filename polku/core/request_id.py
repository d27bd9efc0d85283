"""A request id on every request, its response and every log line written while serving it.

The id comes from the ``X-Request-ID`` header a load balancer or proxy sets (nginx:
``proxy_set_header X-Request-ID $request_id;``), so its log and ours can be joined; a
request without one, or with one that is not a short token, gets a new random id. The
response carries it back, so a user reporting an error can quote it.
"""

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# A token, never free text: it is written into every log line as it came.
ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{8,128}")
_current: ContextVar[str | None] = ContextVar("polku_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being served by this thread, if any."""
    return _current.get()


def request_id_from(request: HttpRequest) -> str:
    offered = request.headers.get(HEADER, "")
    return offered if ACCEPTED.fullmatch(offered) else uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every response, redirects and errors included, carries it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request)
        # Django logs 4xx/5xx responses after the middleware returns, with the request
        # attached: log_format reads the id from there too.
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response
