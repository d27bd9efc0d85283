from collections.abc import Sequence
from typing import Any

import factory

from polku.accounts.models import Membership, Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.selectors import actor_for


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kunta-{n}")
    name = factory.Sequence(lambda n: f"Kunta {n}")
    kind = Organisation.Kind.MUNICIPALITY


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A worker; ``memberships=[(organisation, Role.X), …]`` gives roles."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Testi"
    last_name = factory.Sequence(lambda n: f"Työntekijä{n}")

    @factory.post_generation
    def memberships(
        self, create: bool, extracted: Sequence[tuple[Organisation, Role]] | None, **_: Any
    ) -> None:
        for organisation, role in extracted or ():
            Membership.objects.get_or_create(user=self, organisation=organisation, role=role)


def actor_of(user: User, organisation: Organisation) -> Actor:
    actor = actor_for(user=user, organisation_id=organisation.pk)
    assert actor is not None
    return actor
