"""gunicorn settings for Polku: ``gunicorn -c python:config.gunicorn config.wsgi``.

Command-line flags and ``GUNICORN_CMD_ARGS`` override these (``--bind 0.0.0.0:8000`` in
a container). Why these values: README "Deployment" (measured in the load test).
"""

import os
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

bind = "127.0.0.1:8000"  # behind nginx on the same server
# Pages are CPU-bound Python: two single-threaded processes per core answered fastest.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
worker_class = "gthread"  # idle keep-alive connections do not tie up a worker
threads = 1
keepalive = 10  # longer than the balancer's idle timeout, or requests meet closed sockets
timeout = 60  # room for the largest PDFs
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
logger_class = "config.gunicorn.GunicornLogger"
# The same line format as the application's (LOG_FORMAT=plain for a terminal).
_FORMATTER = {
    "json": "polku.core.log_format.JsonFormatter",
    "plain": "polku.core.log_format.PlainFormatter",
}[os.environ.get("LOG_FORMAT", "json")]
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"polku": {"()": _FORMATTER}},
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "polku",
            "stream": "ext://sys.stderr",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "polku",
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}


class GunicornLogger(Logger):
    """The access line as fields. No query string, referrer or user agent: a search's
    query string can hold a name. The request id is the one our middleware answered with."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        headers = {str(name).lower(): value for name, value in resp.headers}
        status = str(resp.status).split(None, 1)[0]
        fields = {
            "request_id": headers.get("x-request-id"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status_code": int(status) if status.isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000),
        }
        self.access_log.info(
            "%s %s %s", fields["method"], fields["path"], fields["status_code"], extra=fields
        )
