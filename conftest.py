"""Personas shared by every test module (healthchecks-style):

- ``organisation``: Esimerkkilä, where the workers act;
- ``coach`` is the responsible worker of ``coach_client``; ``colleague`` works in the
  same organisation without a care relationship to ``coach_client``;
- ``stranger`` works in another organisation (``other_organisation``) and must never
  see ``coach_client``; ``foreign_client`` is a client of that organisation.
"""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.second_factor import mark_fresh
from polku.accounts.tests.factories import OrganisationFactory, UserFactory, actor_of
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

# Property tests check answers, not speed (the benchmark command measures that): on a
# busy CI machine the first example, which loads the parameter files, can pass
# hypothesis' 200 ms deadline and fail a correct test.
hypothesis_settings.register_profile("polku", deadline=None)
hypothesis_settings.load_profile("polku")


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate-limit counters (polku.core.rate_limit) start from zero in every test: the
    per-process cache would otherwise carry one test's requests into the next."""
    cache.clear()


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory.create(slug="esimerkkila", name="Esimerkkilän kunta")


@pytest.fixture
def other_organisation(db: None) -> Organisation:
    return OrganisationFactory.create(slug="naapurila", name="Naapurilan työllisyysalue")


@pytest.fixture
def coach(organisation: Organisation) -> User:
    return UserFactory.create(username="coach", memberships=[(organisation, Role.PERSONAL_COACH)])


@pytest.fixture
def colleague(organisation: Organisation) -> User:
    return UserFactory.create(
        username="colleague", memberships=[(organisation, Role.PERSONAL_COACH)]
    )


@pytest.fixture
def stranger(other_organisation: Organisation) -> User:
    return UserFactory.create(
        username="stranger", memberships=[(other_organisation, Role.PERSONAL_COACH)]
    )


@pytest.fixture
def coach_actor(coach: User, organisation: Organisation) -> Actor:
    return actor_of(coach, organisation)


@pytest.fixture
def colleague_actor(colleague: User, organisation: Organisation) -> Actor:
    return actor_of(colleague, organisation)


@pytest.fixture
def stranger_actor(stranger: User, other_organisation: Organisation) -> Actor:
    return actor_of(stranger, other_organisation)


@pytest.fixture
def coach_client(organisation: Organisation, coach: User) -> Client:
    return ClientFactory.create(organisation=organisation, responsible_worker=coach)


@pytest.fixture
def foreign_client(other_organisation: Organisation, stranger: User) -> Client:
    return ClientFactory.create(organisation=other_organisation, responsible_worker=stranger)


def logged_in(user: User) -> HttpClient:
    """A browser session signed in with password and a just-entered second factor."""
    http = HttpClient()
    http.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "test"}
    )
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    mark_fresh(session, timezone.now())
    session.save()
    return http
