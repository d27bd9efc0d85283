from datetime import UTC, date, datetime
from decimal import Decimal

import factory
from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.accounts.tests.factories import OrganisationFactory, UserFactory
from polku.clients.models import Client
from polku.clients.tests.factories import ClientFactory
from polku.ktt.tests.factories import KttProviderFactory
from polku.service_episodes.models import (
    Attendance,
    AttendanceStatus,
    ClaimLine,
    Group,
    KttContract,
    Placement,
    ReferralSource,
    ReimbursementClaim,
    ServiceEpisode,
    ServiceKind,
    ServiceType,
)


class ServiceTypeFactory(factory.django.DjangoModelFactory[ServiceType]):
    class Meta:
        model = ServiceType
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    kind = ServiceKind.KTT
    name = factory.LazyAttribute(lambda o: ServiceKind(o.kind).label)


class PlacementFactory(factory.django.DjangoModelFactory[Placement]):
    class Meta:
        model = Placement

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Paikka {n}")
    kind = Placement.Kind.WORKSHOP
    capacity = 20
    provider = factory.LazyAttribute(
        lambda o: KttProviderFactory.create(
            organisation=o.organisation, company=o.kind == Placement.Kind.COMPANY
        )
    )

    class Params:
        company = factory.Trait(kind=Placement.Kind.COMPANY)


class EpisodeFactory(factory.django.DjangoModelFactory[ServiceEpisode]):
    class Meta:
        model = ServiceEpisode

    client = factory.SubFactory(ClientFactory)
    service_type = factory.LazyAttribute(
        lambda o: ServiceTypeFactory.create(organisation=o.client.organisation)
    )
    referral_source = ReferralSource.SHARE_LIST
    started_on = date(2026, 9, 1)
    created_by = factory.SubFactory(UserFactory)


class KttContractFactory(factory.django.DjangoModelFactory[KttContract]):
    """A draft contract; ``signed=True`` gives a signed one with its final evaluation."""

    class Meta:
        model = KttContract

    episode = factory.SubFactory(EpisodeFactory)
    start = factory.SelfAttribute("episode.started_on")
    end = date(2027, 2, 28)
    days_per_week = 3
    hours_per_day = Decimal(4)
    placement = factory.LazyAttribute(
        lambda o: (
            o.episode.placement
            or PlacementFactory.create(organisation=o.episode.client.organisation)
        )
    )
    coaching_content = "Työtehtävät puutyöpajassa"
    created_by = factory.SelfAttribute("episode.created_by")

    class Params:
        signed = factory.Trait(
            status=KttContract.Status.SIGNED,
            decided_on=date(2026, 8, 25),
            signed_on=date(2026, 9, 1),
            final_evaluation_on=date(2027, 2, 14),
        )


class GroupFactory(factory.django.DjangoModelFactory[Group]):
    class Meta:
        model = Group

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Ryhmä {n}")
    service_type = factory.LazyAttribute(
        lambda o: ServiceTypeFactory.create(
            organisation=o.organisation, kind=ServiceKind.GROUP_COACHING
        )
    )
    instructor = factory.SubFactory(UserFactory)
    started_on = date(2026, 9, 1)


class AttendanceFactory(factory.django.DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    client = factory.SubFactory(ClientFactory)
    day = date(2026, 11, 2)
    status = AttendanceStatus.PRESENT
    recorded_by = factory.SubFactory(UserFactory)
    recorded_at = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def claim_of_one(organisation: Organisation, clerk: User, client: Client) -> ReimbursementClaim:
    """A KTT claim of October 2026 with one participant's line."""
    claim = ReimbursementClaim.objects.create(
        organisation=organisation,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        participants=1,
        attended_days=5,
        reimbursable_days=4,
        amount=Decimal("40.36"),
        created_by=clerk,
        created_at=timezone.now(),
    )
    ClaimLine.objects.create(
        claim=claim, client=client, attended_days=5, reimbursable_days=4, amount=Decimal("40.36")
    )
    return claim
