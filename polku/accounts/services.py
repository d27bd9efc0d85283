"""Writes for users and their credentials."""

import secrets
from datetime import datetime

from django.db import transaction

from polku.accounts.models import ApiToken, Organisation, User
from polku.accounts.selectors import token_hash
from polku.audit import services as audit
from polku.audit.events import API_TOKEN_CREATED


@transaction.atomic
def api_token_create(*, user: User, organisation: Organisation, now: datetime) -> str:
    """Create a bearer token and return it; only its hash is kept, so show it once."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        key_hash=token_hash(raw),
        prefix=raw[:8],
        created_at=now,
    )
    audit.record(
        event=API_TOKEN_CREATED,
        at=now,
        actor=user,
        organisation=organisation,
        target=token,
        changes={"prefix": [None, token.prefix]},
    )
    return raw
