"""XSS: free text stored in any client-facing record comes back escaped on every page.

Instead of a hand-made list of fields, every character field of the client-facing apps
is filled with the payloads on every object of the access matrix's world; then every
GET page of the matrix is rendered. No page may contain the payload unescaped, and the
PDF, XLSX and calendar documents among them must still be produced.
"""

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db import DatabaseError, IntegrityError, models, transaction
from django.test import Client as HttpClient

from polku.accounts.models import User
from polku.clients.models import Client
from tests.matrix import World
from tests.security.conftest import page_url
from tests.test_access_matrix import PAGES

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + ATTRIBUTE_BREAKOUT
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror")
ESCAPED_MARKERS = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")

CLIENT_FACING_APPS = (
    "accounts",
    "access",
    "clients",
    "plans",
    "referrals",
    "service_episodes",
    "employment",
    "sharelist",
    "reports",
)
# Codes the program reads rather than text a person wrote.
NOT_FREE_TEXT = {
    "accounts.User.password",
    "accounts.Organisation.municipality_code",
    "accounts.ApiToken.prefix",
    "clients.Client.hetu",
    "clients.Client.postal_code",
    "employment.Employer.business_id",  # Y-tunnus
    "sharelist.ColumnMapping.name",
    "sharelist.ShareListImport.sha256",
    "service_episodes.AttendanceChange.old_status",
    "service_episodes.AttendanceChange.new_status",
    "reports.Target.indicator",
    "reports.SnapshotCorrection.indicator",
}


def _free_text_fields() -> Iterator[tuple[type[models.Model], models.Field[str, str]]]:
    for app in CLIENT_FACING_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                name = f"{model._meta.label}.{field.name}"
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and not field.choices
                    and not field.unique
                    and name not in NOT_FREE_TEXT
                ):
                    yield model, field


def _payload_for(field: models.Field[str, str]) -> str | None:
    """The longest payload the column holds (PostgreSQL enforces max_length)."""
    for payload in (PAYLOAD, ATTRIBUTE_BREAKOUT):
        if field.max_length is None or field.max_length >= len(payload):
            return payload
    return None


def fill_every_free_text_field() -> dict[str, str]:
    """Write the payloads into every free-text column; the fields that could not take
    them, with the reason."""
    skipped = {}
    for model, field in _free_text_fields():
        name = f"{model._meta.label}.{field.name}"
        payload = _payload_for(field)
        if payload is None:
            skipped[name] = f"max_length {field.max_length}"
            continue
        try:
            _fill(model, field.name, payload)
        except DatabaseError as refused:
            skipped[name] = type(refused).__name__
    return skipped


def _fill(model: type[models.Model], field_name: str, payload: str) -> None:
    manager = model._default_manager
    try:
        with transaction.atomic():
            manager.update(**{field_name: payload})
    except IntegrityError:  # unique together with other columns: one value per row
        with transaction.atomic():
            for pk in manager.values_list("pk", flat=True):
                manager.filter(pk=pk).update(**{field_name: f"{payload} {pk}"})


def _get_pages() -> list[str]:
    return sorted(name for name, page in PAGES.items() if page.method == "get")


@pytest.fixture
def poisoned(world: World) -> dict[str, str]:
    return fill_every_free_text_field()


def test_free_text_is_escaped_on_every_page(
    world: World, every_role: HttpClient, every_role_account: User, poisoned: dict[str, str]
) -> None:
    assert Client.objects.get(pk=world.client.pk).last_name == PAYLOAD  # the fill reached it
    unescaped, broken, escaped_on = [], {}, []

    for name in _get_pages():
        response = every_role.get(page_url(name, PAGES[name], world, every_role_account))
        if response.status_code not in {200, 302}:
            broken[name] = response.status_code
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # PDF, XLSX, iCalendar: produced without error is what counts
        html = response.content.decode()
        if any(marker in html for marker in RAW_MARKERS):
            unescaped.append(name)
        if any(marker in html for marker in ESCAPED_MARKERS):
            escaped_on.append(name)

    assert unescaped == []
    assert broken == {}
    # The payload really was on the pages (rendered escaped), not merely absent.
    assert {"clients:detail", "plans:detail", "referrals:detail"} <= set(escaped_on)
    assert len(escaped_on) >= len(_get_pages()) // 2


def test_every_free_text_field_could_take_the_payload(
    world: World, poisoned: dict[str, str]
) -> None:
    assert poisoned == {}
