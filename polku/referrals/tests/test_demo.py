import random
from datetime import UTC, date, datetime

from polku.accounts.models import DataSharingAgreement, Organisation, User
from polku.accounts.roles import Role
from polku.accounts.tests.factories import OrganisationFactory, UserFactory
from polku.audit.models import DisclosureLogEntry
from polku.clients.models import Client, Consent
from polku.clients.tests.factories import ClientFactory, ConsentFactory
from polku.demo.context import DemoContext
from polku.referrals import demo
from polku.referrals.models import Meeting, Referral, TeamBooking, WorkAbilitySummary


def test_populate__creates_every_kind_once_and_is_idempotent(organisation: Organisation) -> None:
    county = OrganisationFactory.create(
        slug=demo.COUNTY_SLUG, name="Hyvinvointialue", kind=Organisation.Kind.WELLBEING_COUNTY
    )
    DataSharingAgreement.objects.create(
        provider=organisation, recipient=county, purpose="x", valid_from=date(2026, 1, 1)
    )
    users: dict[str, User] = {
        name: UserFactory.create(username=name, memberships=[(organisation, role)])
        for name, role in (
            ("valmentaja", Role.PERSONAL_COACH),
            ("sosiaaliohjaaja", Role.SOCIAL_COUNSELLOR),
            ("tyovalmentaja", Role.WORK_COACH),
        )
    }
    clients: list[Client] = [
        ClientFactory.create(organisation=organisation, responsible_worker=users[name])
        for name in ("valmentaja", "sosiaaliohjaaja")
        for _ in range(8)
    ]
    for client in clients:
        ConsentFactory.create(client=client, party=Consent.Party.WELLBEING_COUNTY)
    context = DemoContext(
        organisation=organisation,
        users=users,
        caseworkers=[users["valmentaja"], users["sosiaaliohjaaja"]],
        clients=clients,
        rng=random.Random(1),
        now=datetime(2026, 11, 24, 10, tzinfo=UTC),
    )

    demo.populate(context)
    counts = (Referral.objects.count(), Meeting.objects.count(), TeamBooking.objects.count())
    demo.populate(context)

    assert counts == (
        Referral.objects.count(),
        Meeting.objects.count(),
        TeamBooking.objects.count(),
    )
    assert set(Referral.objects.values_list("kind", flat=True)) == set(Referral.Kind.values)
    waiting = Referral.objects.filter(
        receiving_worker=users["sosiaaliohjaaja"], status=Referral.Status.SENT
    )
    assert waiting.count() == 6
    assert WorkAbilitySummary.objects.count() == 1
    assert DisclosureLogEntry.objects.count() == Referral.objects.exclude(consent=None).count() > 0
