"""API tokens expire, can be revoked and show their last use (issue 16, finding 10c)."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from conftest import logged_in
from polku.accounts.models import ApiToken, Organisation, User
from polku.accounts.roles import Role
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import UserFactory
from polku.audit.events import API_TOKEN_REVOKED
from polku.audit.models import ChangeLogEntry


def _status(raw: str) -> int:
    response = HttpClient(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/clients/")
    return int(response.status_code)


def test_a_token_expires_after_the_configured_days(
    coach: User, organisation: Organisation, settings: Settings
) -> None:
    settings.POLKU_API_TOKEN_DAYS = 30
    now = timezone.now()
    fresh = api_token_create(user=coach, organisation=organisation, now=now - timedelta(days=29))
    old = api_token_create(user=coach, organisation=organisation, now=now - timedelta(days=31))

    assert _status(fresh) == 200
    assert _status(old) == 401
    assert ApiToken.objects.get(prefix=old[:8]).expires_at < now


def test_the_default_lifetime_is_90_days(coach: User, organisation: Organisation) -> None:
    now = timezone.now()

    api_token_create(user=coach, organisation=organisation, now=now)

    assert ApiToken.objects.get().expires_at == now + timedelta(days=90)


def test_use_is_recorded_at_most_once_a_minute(coach: User, organisation: Organisation) -> None:
    raw = api_token_create(user=coach, organisation=organisation, now=timezone.now())
    token = ApiToken.objects.get()
    assert token.last_used_at is None

    _status(raw)
    token.refresh_from_db()
    first_use = token.last_used_at
    _status(raw)
    token.refresh_from_db()
    unchanged = token.last_used_at
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    _status(raw)
    token.refresh_from_db()

    assert first_use is not None
    assert unchanged == first_use
    assert token.last_used_at is not None
    assert token.last_used_at > timezone.now() - timedelta(minutes=1)


def test_revoke_command__by_prefix_and_by_user(coach: User, organisation: Organisation) -> None:
    now = timezone.now()
    one, two, three = (
        api_token_create(user=coach, organisation=organisation, now=now) for _ in range(3)
    )

    call_command("api_token_revoke", one[:8], stdout=io.StringIO())
    assert [_status(one), _status(two), _status(three)] == [401, 200, 200]
    call_command("api_token_revoke", "--user", coach.username, stdout=io.StringIO())
    assert [_status(two), _status(three)] == [401, 401]

    assert ChangeLogEntry.objects.filter(event=API_TOKEN_REVOKED.code).count() == 3
    with pytest.raises(CommandError, match="no such token"):
        call_command("api_token_revoke", one[:8], stdout=io.StringIO())


def test_admin__lists_tokens_without_the_secret_and_revokes_them(
    coach: User, organisation: Organisation
) -> None:
    administrator = UserFactory.create(
        username="paakayttaja",
        is_staff=True,
        is_superuser=True,
        memberships=[(organisation, Role.ADMINISTRATOR)],
    )
    raw = api_token_create(user=coach, organisation=organisation, now=timezone.now())
    token = ApiToken.objects.get()
    http = logged_in(administrator)
    changelist = reverse("admin:accounts_apitoken_changelist")

    listed = http.get(changelist)
    added = http.get(reverse("admin:accounts_apitoken_add"))
    revoked = http.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})

    assert token.prefix in listed.content.decode()
    assert raw not in listed.content.decode()
    assert token.key_hash not in listed.content.decode()
    assert added.status_code == 403
    assert revoked.status_code == 302
    assert _status(raw) == 401
    entry = ChangeLogEntry.objects.get(event=API_TOKEN_REVOKED.code)
    assert entry.actor == administrator
