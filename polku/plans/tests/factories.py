from datetime import UTC, date, datetime

import factory

from polku.plans.models import Participant, Party, Plan, PlanStatus, PlanType

CREATED = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


class PlanFactory(factory.django.DjangoModelFactory[Plan]):
    """An active activation plan of a client; pass ``client=`` (its organisation follows)."""

    class Meta:
        model = Plan

    client = factory.SubFactory("polku.clients.tests.factories.ClientFactory")
    organisation = factory.LazyAttribute(lambda plan: plan.client.organisation)
    plan_type = PlanType.ACTIVATION
    status = PlanStatus.ACTIVE
    made_on = date(2026, 9, 1)
    created_by = factory.LazyAttribute(lambda plan: plan.client.responsible_worker)
    created_at = CREATED
    updated_at = CREATED


class ParticipantFactory(factory.django.DjangoModelFactory[Participant]):
    class Meta:
        model = Participant

    plan = factory.SubFactory(PlanFactory)
    party = Party.EMPLOYMENT_AUTHORITY
    name = factory.Sequence(lambda n: f"Osallistuja {n}")
