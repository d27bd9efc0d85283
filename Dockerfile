# syntax=docker/dockerfile:1
# Polku's image: the web server, the task worker and the scheduled jobs all run from it
# (compose.yaml). The same install as on a bare Debian 12 server (README "Deployment"):
# the wheel from pyproject.toml into a venv beside the locked runtime dependencies.
#   docker build -t polku .
# CI cannot build it (no Docker engine there): it lints this file with hadolint and runs
# the same steps on the machine itself (.ci/wheel-check).

FROM debian:bookworm-slim AS wheel
# gettext compiles the translation catalogues (msgfmt) that the wheel ships.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY config ./config
COPY polku ./polku
RUN for catalogue in polku/locale/*/LC_MESSAGES/django.po; do \
      msgfmt --check -o "${catalogue%.po}.mo" "$catalogue"; \
    done \
 && python3 -m venv /tmp/build \
 && /tmp/build/bin/pip install --no-cache-dir "setuptools>=77" \
 && /tmp/build/bin/pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /dist .

FROM debian:bookworm-slim
# Pango and HarfBuzz for WeasyPrint's PDFs, DejaVu (the PDFs' font), pg_dump and
# pg_restore for `polku backup`/`restore` (major version 15, as the compose database),
# tzdata for the scheduler's local time. Debian stable's security updates are the
# versions: pinning them would only block the updates.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      python3 python3-venv ca-certificates tzdata \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
      postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 polku \
 && useradd --system --uid 10001 --gid polku --home-dir /var/lib/polku --create-home \
      --shell /usr/sbin/nologin polku \
 && install -d -o polku -g polku -m 0700 /var/backups/polku

ENV PATH=/opt/polku/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings \
    STATIC_ROOT=/opt/polku/static \
    TZ=Europe/Helsinki \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

COPY requirements/runtime.lock /opt/polku/runtime.lock
RUN python3 -m venv /opt/polku/venv \
 && /opt/polku/venv/bin/pip install --no-cache-dir --require-hashes -r /opt/polku/runtime.lock
COPY --from=wheel /dist /opt/polku/dist
RUN /opt/polku/venv/bin/pip install --no-cache-dir --no-deps /opt/polku/dist/polku-*.whl \
 && polku collectstatic --no-input -v0
COPY deploy/scheduler /usr/local/bin/polku-scheduler

# Numeric, so an orchestrator can tell that it is not root.
USER 10001:10001
WORKDIR /var/lib/polku
EXPOSE 8000
# The probe names the first of ALLOWED_HOSTS: Django answers no other host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["python3", "-c", "import os, urllib.request as u; host = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0]; u.urlopen(u.Request('http://127.0.0.1:8000/health/', headers={'Host': host}), timeout=4)"]
CMD ["gunicorn", "--config", "python:config.gunicorn", "--bind", "0.0.0.0:8000", "config.wsgi"]
