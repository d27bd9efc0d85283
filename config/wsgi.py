"""WSGI entry point for gunicorn and other WSGI servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# After set-up, so settings are loaded; before serving, so a missing key stops start-up.
from polku.core.checks import require_secret_key_unless_debug  # noqa: E402

require_secret_key_unless_debug()
