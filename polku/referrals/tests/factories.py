from datetime import UTC, date, datetime, timedelta

import factory

from polku.core.choices import ContactChannel
from polku.referrals.models import Meeting, Referral, TeamBooking, WorkAbilitySummary

AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


class ReferralFactory(factory.django.DjangoModelFactory[Referral]):
    """An internal referral to the client's own organisation, waiting for acknowledgement."""

    class Meta:
        model = Referral

    client = factory.SubFactory("polku.clients.tests.factories.ClientFactory")
    organisation = factory.LazyAttribute(lambda referral: referral.client.organisation)
    receiving_organisation = factory.LazyAttribute(lambda referral: referral.client.organisation)
    kind = Referral.Kind.ADULT_SOCIAL_WORK
    reason = "Palvelutarpeen arviointi"
    sent_on = date(2026, 11, 20)
    sent_by = factory.LazyAttribute(lambda referral: referral.client.responsible_worker)
    created_at = AT
    updated_at = AT


class TeamBookingFactory(factory.django.DjangoModelFactory[TeamBooking]):
    class Meta:
        model = TeamBooking

    client = factory.SubFactory("polku.clients.tests.factories.ClientFactory")
    organisation = factory.LazyAttribute(lambda booking: booking.client.organisation)
    team = "Monialainen sote-tiimi"
    mode = TeamBooking.Mode.RECEPTION
    starts_at = AT
    ends_at = AT + timedelta(hours=1)
    question = "Työkyvyn arvio"
    booked_by = factory.LazyAttribute(lambda booking: booking.client.responsible_worker)
    created_at = AT
    updated_at = AT


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    client = factory.SubFactory("polku.clients.tests.factories.ClientFactory")
    organisation = factory.LazyAttribute(lambda meeting: meeting.client.organisation)
    worker = factory.LazyAttribute(lambda meeting: meeting.client.responsible_worker)
    created_by = factory.LazyAttribute(lambda meeting: meeting.worker)
    starts_at = AT
    ends_at = AT + timedelta(hours=1)
    kind = Meeting.Kind.COACHING
    channel = ContactChannel.IN_PERSON
    created_at = AT
    updated_at = AT


class SummaryFactory(factory.django.DjangoModelFactory[WorkAbilitySummary]):
    class Meta:
        model = WorkAbilitySummary

    client = factory.SubFactory("polku.clients.tests.factories.ClientFactory")
    organisation = factory.LazyAttribute(lambda summary: summary.client.organisation)
    question = "Onko asiakkaan työkyky riittävä avoimille työmarkkinoille?"
    created_by = factory.LazyAttribute(lambda summary: summary.client.responsible_worker)
    created_at = AT
    updated_at = AT
