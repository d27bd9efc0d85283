from datetime import date, datetime

import pytest

from polku.access.policy import CapabilityMissing
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.audit.models import ChangeLogEntry
from polku.clients import services
from polku.clients.models import Client, Consent, ResponsibleWorkerPeriod
from polku.clients.selectors import personal_data_export
from polku.clients.tests.factories import ConsentFactory
from polku.core.hetu import InvalidHetu
from polku.service_episodes.models import GroupMember
from polku.service_episodes.tests.factories import GroupFactory, KttContractFactory

NEW_CLIENT = services.ClientData(
    hetu="010190Y999W", first_names="Aino", last_name="Virtanen", fields={"phone": "040 123"}
)


def test_client_create__derives_birth_date_and_makes_the_creator_responsible_worker(
    coach_actor: Actor, now: datetime
) -> None:
    client = services.client_create(actor=coach_actor, data=NEW_CLIENT, now=now)

    assert client.birth_date == date(1990, 1, 1)
    assert client.responsible_worker == coach_actor.user
    assert ResponsibleWorkerPeriod.objects.get(client=client).worker == coach_actor.user
    assert list(ChangeLogEntry.objects.values_list("event", flat=True).order_by("id")) == [
        "clients.client.created",
        "clients.responsible_worker.assigned",
    ]


def test_client_create__refuses_a_duplicate_in_the_same_organisation(
    coach_actor: Actor, now: datetime
) -> None:
    services.client_create(actor=coach_actor, data=NEW_CLIENT, now=now)

    with pytest.raises(services.DuplicateClient):
        services.client_create(actor=coach_actor, data=NEW_CLIENT, now=now)


def test_client_create__the_same_person_may_be_a_client_of_another_organisation(
    coach_actor: Actor, stranger_actor: Actor, now: datetime
) -> None:
    services.client_create(actor=coach_actor, data=NEW_CLIENT, now=now)

    services.client_create(actor=stranger_actor, data=NEW_CLIENT, now=now)

    assert Client.objects.filter(hetu="010190Y999W").count() == 2


def test_client_create__rejects_an_invalid_identity_code(coach_actor: Actor, now: datetime) -> None:
    with pytest.raises(InvalidHetu):
        services.client_create(
            actor=coach_actor,
            data=services.ClientData(hetu="010190Y999K", first_names="A", last_name="B", fields={}),
            now=now,
        )


def test_client_update__records_old_and_new_values(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    services.client_update(
        actor=coach_actor,
        client_id=coach_client.pk,
        version=coach_client.version,
        fields={"phone": "050 555 1234"},
        now=now,
    )

    entry = ChangeLogEntry.objects.get(event="clients.client.updated")
    assert entry.changes == {"phone": ["", "050 555 1234"]}
    assert entry.client == coach_client


def test_client_update__a_correction_keeps_the_old_value_in_the_data_export(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    old_name = coach_client.last_name
    services.client_update(
        actor=coach_actor,
        client_id=coach_client.pk,
        version=coach_client.version,
        fields={"last_name": "Oikaistu"},
        now=now,
    )
    coach_client.refresh_from_db()

    sections = {section.label: section for section in personal_data_export(client=coach_client)}

    assert sections["clients.Client"].records[0]["sukunimi"] == "Oikaistu"
    history = [row["muutokset"] for row in sections["audit.ChangeLogEntry"].records]
    assert {"last_name": [old_name, "Oikaistu"]} in history


def test_personal_data_export__includes_one_to_one_and_hidden_relations_once(
    coach_client: Client,
) -> None:
    contract = KttContractFactory.create(episode__client=coach_client)
    GroupMember.objects.create(
        group=GroupFactory.create(organisation=coach_client.organisation),
        client=coach_client,
        joined_on=date(2026, 9, 1),
    )

    sections = {section.label: section for section in personal_data_export(client=coach_client)}

    contracts = sections["service_episodes.KttContract"].records
    assert [row["ID"] for row in contracts] == [contract.pk]  # under its episode, once
    assert len(sections["service_episodes.GroupMember"].records) == 1  # related_name="+"


def test_client_update__a_stale_version_is_refused_and_nothing_is_overwritten(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    opened_version = coach_client.version
    services.client_update(
        actor=coach_actor,
        client_id=coach_client.pk,
        version=opened_version,
        fields={"phone": "first"},
        now=now,
    )

    with pytest.raises(services.EditConflict) as conflict:
        services.client_update(
            actor=coach_actor,
            client_id=coach_client.pk,
            version=opened_version,
            fields={"phone": "second"},
            now=now,
        )

    assert conflict.value.current.phone == "first"
    assert conflict.value.attempted == {"phone": "second"}
    coach_client.refresh_from_db()
    assert coach_client.phone == "first"


def test_client_assign_responsible_worker__ends_the_previous_period(
    coach_actor: Actor, coach_client: Client, colleague: User, now: datetime
) -> None:
    services.client_assign_responsible_worker(
        actor=coach_actor, client_id=coach_client.pk, worker_id=colleague.pk, now=now
    )

    coach_client.refresh_from_db()
    assert coach_client.responsible_worker == colleague
    assert list(
        ResponsibleWorkerPeriod.objects.filter(client=coach_client).values_list(
            "worker__username", "ended_on"
        )
    ) == [("colleague", None)]


def test_client_assign_responsible_worker__refuses_a_user_without_a_caseworker_role(
    coach_actor: Actor, coach_client: Client, organisation: Organisation, now: datetime
) -> None:
    manager = UserFactory.create(memberships=[(organisation, Role.MANAGER)])

    with pytest.raises(services.NotAWorker):
        services.client_assign_responsible_worker(
            actor=coach_actor, client_id=coach_client.pk, worker_id=manager.pk, now=now
        )


def test_client_assign_responsible_worker__refuses_a_worker_of_another_organisation(
    coach_actor: Actor, coach_client: Client, stranger: User, now: datetime
) -> None:
    with pytest.raises(services.NotAWorker):
        services.client_assign_responsible_worker(
            actor=coach_actor, client_id=coach_client.pk, worker_id=stranger.pk, now=now
        )


def test_consent_withdraw__keeps_the_consent_as_history(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    consent = services.consent_give(
        actor=coach_actor,
        client_id=coach_client.pk,
        data=services.ConsentData(
            party=Consent.Party.KELA,
            party_name="",
            purpose="Kuntoutus",
            given_on=date(2026, 1, 1),
            expires_on=None,
        ),
        now=now,
    )

    services.consent_withdraw(
        actor=coach_actor,
        client_id=coach_client.pk,
        consent_id=consent.pk,
        withdrawn_on=date(2026, 6, 1),
        note="Asiakkaan pyynnöstä",
        now=now,
    )

    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 6, 1)
    assert consent.is_valid_on(date(2026, 5, 31))
    assert not consent.is_valid_on(date(2026, 6, 1))
    assert list(
        ChangeLogEntry.objects.filter(client=coach_client)
        .order_by("id")
        .values_list("event", flat=True)
    ) == ["clients.consent.given", "clients.consent.withdrawn"]


def test_consent_withdraw__twice_is_refused(
    coach_actor: Actor, coach_client: Client, now: datetime
) -> None:
    consent = ConsentFactory.create(client=coach_client, withdrawn_on=date(2026, 2, 1))

    with pytest.raises(services.ConsentAlreadyWithdrawn):
        services.consent_withdraw(
            actor=coach_actor,
            client_id=coach_client.pk,
            consent_id=consent.pk,
            withdrawn_on=date(2026, 3, 1),
            note="",
            now=now,
        )


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (date(2026, 1, 4), False),
        (date(2026, 1, 5), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
    ],
)
def test_consent_is_valid_between_given_and_expiry(
    coach_client: Client, day: date, valid: bool
) -> None:
    consent = ConsentFactory.create(client=coach_client, expires_on=date(2026, 12, 31))

    assert consent.is_valid_on(day) is valid


def test_only_caseworkers_may_edit(
    organisation: Organisation, coach_client: Client, now: datetime
) -> None:
    clerk = UserFactory.create(memberships=[(organisation, Role.OFFICE_CLERK)])

    with pytest.raises(CapabilityMissing):
        services.client_update(
            actor=actor_of(clerk, organisation),
            client_id=coach_client.pk,
            version=1,
            fields={"phone": "x"},
            now=now,
        )
