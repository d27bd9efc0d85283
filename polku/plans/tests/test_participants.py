"""Plan participants who are workers of the organisation have a care relationship while the
plan is open (SPEC §1); outside participants stay names with their organisation."""

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in
from polku.access import policy
from polku.accounts.models import Organisation, User
from polku.accounts.roles import Actor, Role
from polku.accounts.services import api_token_create
from polku.accounts.tests.factories import UserFactory, actor_of
from polku.clients.models import CareAssignment, Client
from polku.plans import services
from polku.plans.models import Participant, Party, Plan, PlanStatus, PlanType

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


def _plan(actor: Actor, client: Client, plan_type: str = PlanType.ACTIVATION) -> Plan:
    return services.plan_create(
        actor=actor,
        client_id=client.pk,
        plan_type=plan_type,
        fields={"status": PlanStatus.ACTIVE, "made_on": date(2026, 11, 2)},
        today=TODAY,
        now=NOW,
    )


def _worker(organisation: Organisation, username: str, role: Role = Role.WORK_COACH) -> User:
    return UserFactory.create(username=username, memberships=[(organisation, role)])


def _add(actor: Actor, plan: Plan, **data: Any) -> Participant:
    return services.plan_participant_add(
        actor=actor, plan_id=plan.pk, data=services.ParticipantData(**data), now=NOW
    )


def _can_open(user: User, organisation: Organisation, client: Client) -> bool:
    try:
        policy.client_open(
            actor=actor_of(user, organisation), client_id=client.pk, now=NOW, view="test"
        )
    except policy.NoCareRelationship:
        return False
    return True


def test_participant_add__a_worker_taking_part_gets_a_care_relationship(
    coach_actor: Actor, coach_client: Client, organisation: Organisation
) -> None:
    plan = _plan(coach_actor, coach_client)
    instructor = _worker(organisation, "tyovalmentaja")
    assert not _can_open(instructor, organisation, coach_client)

    participant = _add(coach_actor, plan, user_id=instructor.pk)

    assert _can_open(instructor, organisation, coach_client)
    assert (participant.user, participant.name, participant.party) == (
        instructor,
        instructor.get_full_name(),
        Party.MUNICIPALITY,
    )
    assert participant.organisation_name == organisation.name
    assert participant.role == "Työvalmentaja / työnohjaaja"
    assignment = CareAssignment.objects.get(worker=instructor)
    assert (assignment.basis, assignment.note) == ("plan", f"plan:{plan.pk}")


def test_plan_create__the_maker_takes_part_as_a_worker(
    coach_actor: Actor, coach_client: Client, coach: User
) -> None:
    plan = _plan(coach_actor, coach_client)

    maker = plan.participants.get(user=coach)
    assert maker.role == "Suunnitelman laatija"
    client_row = plan.participants.get(party=Party.CLIENT)
    assert client_row.user is None


def test_participant_add__an_outside_participant_stays_a_name_without_access(
    coach_actor: Actor, coach_client: Client
) -> None:
    plan = _plan(coach_actor, coach_client)
    before = CareAssignment.objects.count()

    participant = _add(
        coach_actor,
        plan,
        party=Party.EMPLOYMENT_AUTHORITY,
        name="Tea Toimisto",
        organisation_name="TE-toimisto",
    )

    assert (participant.user, participant.organisation_name) == (None, "TE-toimisto")
    assert CareAssignment.objects.count() == before


@pytest.mark.parametrize(
    "close",
    [
        lambda actor, plan: services.plan_update(
            actor=actor,
            plan_id=plan.pk,
            version=plan.version,
            fields={"status": PlanStatus.ENDED},
            today=TODAY,
            now=NOW,
        ),
        lambda actor, plan: services.plan_review_record(
            actor=actor,
            plan_id=plan.pk,
            data=services.ReviewData(reviewed_on=TODAY, held_how="phone", outcome="ended"),
            today=TODAY,
            now=NOW,
        ),
        lambda actor, plan: _plan(actor, plan.client, PlanType.MULTISECTOR),  # replaces it
    ],
    ids=["ended", "ended_at_review", "replaced_by_a_typ_plan"],
)
def test_closing_the_plan_ends_the_participants_care_relationship(
    coach_actor: Actor, coach_client: Client, organisation: Organisation, close: Any
) -> None:
    plan = _plan(coach_actor, coach_client)
    instructor = _worker(organisation, "tyovalmentaja")
    _add(coach_actor, plan, user_id=instructor.pk)
    plan.refresh_from_db()

    close(coach_actor, plan)

    assert not _can_open(instructor, organisation, coach_client)
    assert CareAssignment.objects.get(worker=instructor).ended_on == TODAY


def test_participant_remove__ends_the_workers_relationship_but_not_a_signed_one(
    coach_actor: Actor, coach_client: Client, organisation: Organisation
) -> None:
    plan = _plan(coach_actor, coach_client)
    instructor = _worker(organisation, "tyovalmentaja")
    leaving = _add(coach_actor, plan, user_id=instructor.pk)
    signed = _add(coach_actor, plan, party=Party.KELA, name="Kelan asiantuntija")
    services.plan_sign(
        actor=coach_actor, plan_id=plan.pk, participant_id=signed.pk, signed_on=TODAY, now=NOW
    )

    services.plan_participant_remove(
        actor=coach_actor, plan_id=plan.pk, participant_id=leaving.pk, now=NOW
    )
    with pytest.raises(services.PlanInvalid):
        services.plan_participant_remove(
            actor=coach_actor, plan_id=plan.pk, participant_id=signed.pk, now=NOW
        )

    assert not _can_open(instructor, organisation, coach_client)
    assert plan.participants.filter(pk=signed.pk).exists()
    assert not plan.participants.filter(pk=leaving.pk).exists()


@pytest.mark.parametrize("who", ["stranger", "manager", "twice", "nobody"])
def test_participant_add__refuses_anyone_but_a_worker_once(
    coach_actor: Actor,
    coach_client: Client,
    organisation: Organisation,
    stranger: User,
    coach: User,
    who: str,
) -> None:
    plan = _plan(coach_actor, coach_client)
    user_id = {
        "stranger": stranger.pk,  # another organisation's worker
        "manager": _worker(organisation, "esihenkilo", Role.MANAGER).pk,  # no client work
        "twice": coach.pk,  # the maker takes part already
        "nobody": None,
    }[who]

    with pytest.raises(services.PlanInvalid):
        _add(coach_actor, plan, user_id=user_id)

    assert not CareAssignment.objects.filter(basis="plan").exclude(worker=coach).exists()


def test_participant_form__adds_a_worker_and_the_plan_page_says_so(
    coach: User, coach_client: Client, coach_actor: Actor, organisation: Organisation
) -> None:
    plan = _plan(coach_actor, coach_client)
    instructor = _worker(organisation, "tyovalmentaja")
    http = logged_in(coach)

    refused = http.post(
        reverse("plans:participant_add", args=[coach_client.pk, plan.pk]), {"role": "Tukija"}
    )
    http.post(
        reverse("plans:participant_add", args=[coach_client.pk, plan.pk]),
        {"user": instructor.pk, "party": "", "name": ""},
    )

    assert refused.status_code == 200
    assert refused.context["form"].errors["name"]
    page = http.get(reverse("plans:detail", args=[coach_client.pk, plan.pk])).content.decode()
    assert instructor.get_full_name() in page
    assert "työntekijä, asiakassuhde" in page


def test_api__adds_and_removes_a_worker_participant(
    coach: User, coach_client: Client, coach_actor: Actor, organisation: Organisation
) -> None:
    plan = _plan(coach_actor, coach_client)
    instructor = _worker(organisation, "tyovalmentaja")
    token = api_token_create(user=coach, organisation=organisation, now=timezone.now())
    http = logged_in(coach)
    http.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    path = f"/api/v1/plans/{plan.pk}/participants"

    added = http.post(path, json.dumps({"user_id": instructor.pk}), "application/json").json()
    listed = http.get(f"/api/v1/plans/{plan.pk}").json()["participants"]
    removed = http.post(f"{path}/{added['id']}/remove", "{}", "application/json")

    assert added["user_id"] == instructor.pk
    assert instructor.pk in [row["user_id"] for row in listed]
    assert removed.status_code == 200
    assert instructor.pk not in [row["user_id"] for row in removed.json()["participants"]]
    assert not _can_open(instructor, organisation, coach_client)
