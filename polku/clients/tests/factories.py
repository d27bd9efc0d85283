from datetime import UTC, date, datetime

import factory

from polku.clients.models import Client, Consent
from polku.core import hetu as hetu_codes

CREATED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class ClientFactory(factory.django.DjangoModelFactory[Client]):
    """A synthetic client: identity codes use the temporary range 900–999."""

    class Meta:
        model = Client

    organisation = factory.SubFactory("polku.accounts.tests.factories.OrganisationFactory")
    birth_date = factory.Sequence(lambda n: date(1970 + n % 40, 1 + n % 12, 1 + n % 28))
    hetu = factory.LazyAttributeSequence(
        lambda client, n: hetu_codes.build(client.birth_date, 900 + n % 100)
    )
    first_names = "Aino Maria"
    last_name = factory.Sequence(lambda n: f"Korhonen{n}")
    created_at = CREATED
    updated_at = CREATED


class ConsentFactory(factory.django.DjangoModelFactory[Consent]):
    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    party = Consent.Party.KELA
    purpose = "Palvelutarpeen arviointi"
    given_on = date(2026, 1, 5)
    recorded_by = factory.LazyAttribute(lambda consent: consent.client.responsible_worker)
