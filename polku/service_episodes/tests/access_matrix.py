from datetime import UTC, date, datetime
from decimal import Decimal

from polku.accounts.roles import Capability
from polku.service_episodes.models import (
    ClaimLine,
    GroupMember,
    KttContract,
    Outcome,
    ReimbursementClaim,
    ServiceKind,
)
from polku.service_episodes.tests.factories import (
    EpisodeFactory,
    GroupFactory,
    KttContractFactory,
    PlacementFactory,
    ServiceTypeFactory,
)
from tests.matrix import Page, World


def objects(world: World) -> dict[str, int]:
    organisation = world.organisation
    ktt = ServiceTypeFactory.create(organisation=organisation, kind=ServiceKind.KTT)
    placement = PlacementFactory.create(organisation=organisation, name="Matriisipaja")
    episode = EpisodeFactory.create(
        client=world.client, service_type=ktt, placement=placement, created_by=world.worker
    )
    contract = KttContractFactory.create(episode=episode, placement=placement)
    # An earlier, signed contract makes the client a KTT participant (the allowance task).
    KttContractFactory.create(
        episode=EpisodeFactory.create(
            client=world.client,
            service_type=ktt,
            placement=placement,
            created_by=world.worker,
            started_on=date(2026, 3, 2),
            ended_on=date(2026, 8, 28),
            outcome=Outcome.CONTINUED,
        ),
        placement=placement,
        end=date(2026, 8, 28),
        status=KttContract.Status.ENDED,
        decided_on=date(2026, 2, 23),
        signed_on=date(2026, 3, 2),
    )
    group = GroupFactory.create(organisation=organisation, instructor=world.worker)
    # The certificate is printable only for a group the client has been in.
    GroupMember.objects.create(
        group=group, client=world.client, joined_on=date(2026, 9, 1), left_on=date(2026, 9, 30)
    )
    claim = ReimbursementClaim.objects.create(
        organisation=organisation,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        participants=1,
        attended_days=1,
        reimbursable_days=1,
        amount=Decimal("10.09"),
        created_by=world.worker,
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    ClaimLine.objects.create(
        claim=claim,
        client=world.client,
        attended_days=1,
        reimbursable_days=1,
        amount=Decimal("10.09"),
    )
    return {
        "ktt_service_type_id": ktt.pk,
        "placement_id": placement.pk,
        "episode_id": episode.pk,
        "contract_id": contract.pk,
        "group_id": group.pk,
        "claim_id": claim.pk,
    }


CONTRACT = ("contract_id",)
PAGES = {
    "services:index": Page(Capability.VIEW_CLIENTS),
    "services:catalogue": Page(Capability.MANAGE_PLACEMENTS),
    "services:placement_create": Page(Capability.MANAGE_PLACEMENTS),
    "services:placement_detail": Page(Capability.VIEW_CLIENTS, kwargs=("placement_id",)),
    "services:attendance_placement": Page(Capability.RECORD_ATTENDANCE, kwargs=("placement_id",)),
    "services:group_create": Page(Capability.MANAGE_SERVICES),
    "services:group_detail": Page(Capability.VIEW_CLIENTS, kwargs=("group_id",)),
    "services:attendance_group": Page(Capability.RECORD_ATTENDANCE, kwargs=("group_id",)),
    "services:group_session_add": Page(
        Capability.RECORD_ATTENDANCE,
        method="post",
        data=lambda world: {"day": "1.12.2026", "topic": "Työturvallisuus"},
        kwargs=("group_id",),
    ),
    "services:allowance_list": Page(Capability.MANAGE_CLAIMS),
    "services:claim_list": Page(Capability.MANAGE_CLAIMS),
    "services:claim_detail": Page(Capability.MANAGE_CLAIMS, kwargs=("claim_id",)),
    "services:claim_pdf": Page(Capability.MANAGE_CLAIMS, kwargs=("claim_id",)),
    "services:claim_xlsx": Page(Capability.MANAGE_CLAIMS, kwargs=("claim_id",)),
    "services:client": Page(Capability.VIEW_CLIENTS, client_specific=True),
    "services:episode_create": Page(Capability.MANAGE_SERVICES, client_specific=True),
    "services:episode_end": Page(
        Capability.MANAGE_SERVICES, client_specific=True, kwargs=("episode_id",)
    ),
    "services:group_member_add": Page(
        Capability.MANAGE_SERVICES,
        method="post",
        data=lambda world: {"group": world.ids["group_id"], "joined_on": "1.12.2026"},
        client_specific=True,
    ),
    "services:certificate": Page(
        Capability.VIEW_CLIENTS, client_specific=True, kwargs=("group_id",)
    ),
    "services:allowance_create": Page(
        Capability.MANAGE_CLAIMS, client_specific=True, under_task=True
    ),
    "services:contract_create": Page(Capability.MANAGE_SERVICES, client_specific=True),
    "services:contract_detail": Page(
        Capability.VIEW_CLIENTS, client_specific=True, kwargs=CONTRACT
    ),
    "services:contract_decide": Page(
        Capability.DECIDE_KTT,
        method="post",
        data=lambda world: {"decision_text": "Myönnetään."},
        client_specific=True,
        kwargs=CONTRACT,
    ),
    "services:contract_sign": Page(
        Capability.MANAGE_SERVICES,
        method="post",
        data=lambda world: {"signed_on": "1.9.2026", "confirmed": "on"},
        client_specific=True,
        kwargs=CONTRACT,
    ),
    "services:contract_evaluate": Page(
        Capability.MANAGE_SERVICES,
        method="post",
        data=lambda world: {"evaluated_on": "1.2.2027"},
        client_specific=True,
        kwargs=CONTRACT,
    ),
    "services:contract_extend": Page(
        Capability.MANAGE_SERVICES, client_specific=True, kwargs=CONTRACT
    ),
    "services:contract_interrupt": Page(
        Capability.MANAGE_SERVICES, client_specific=True, kwargs=CONTRACT
    ),
}

API_OPERATIONS = {
    ("get", "/api/v1/service-episodes/"): Page(Capability.VIEW_CLIENTS, client_specific=True),
    ("post", "/api/v1/service-episodes/"): Page(
        Capability.MANAGE_SERVICES,
        data=lambda world: {
            "client_id": world.client.pk,
            "service_type_id": world.ids["ktt_service_type_id"],
            "referral_source": "self",
            "started_on": "2026-12-01",
        },
        client_specific=True,
    ),
    ("get", "/api/v1/placements/"): Page(Capability.VIEW_CLIENTS),
    ("post", "/api/v1/placements/"): Page(
        Capability.MANAGE_PLACEMENTS,
        data=lambda world: {"name": "Uusi paikka", "kind": "association", "capacity": 4},
    ),
    ("get", "/api/v1/ktt-contracts/"): Page(Capability.VIEW_CLIENTS, client_specific=True),
    ("post", "/api/v1/ktt-contracts/"): Page(
        Capability.MANAGE_SERVICES,
        data=lambda world: {
            "client_id": world.client.pk,
            "placement_id": world.ids["placement_id"],
            "start": "2027-01-04",
            "end": "2027-06-30",
            "days_per_week": 3,
            "hours_per_day": "4",
            "coaching_content": "Kiinteistöhuolto",
        },
        client_specific=True,
    ),
    ("post", "/api/v1/ktt-contracts/{contract_id}/decide"): Page(
        Capability.DECIDE_KTT,
        data=lambda world: {"decision_text": "Myönnetään."},
        client_specific=True,
        kwargs=CONTRACT,
    ),
    ("get", "/api/v1/attendance/"): Page(Capability.VIEW_CLIENTS, client_specific=True),
    # The client ids travel in the body; another organisation's client is 404 (tested in
    # the app's API tests, since a stranger coach lacks RECORD_ATTENDANCE and gets 403 first).
    ("put", "/api/v1/attendance/"): Page(
        Capability.RECORD_ATTENDANCE,
        data=lambda world: {
            "cells": [{"client_id": world.client.pk, "day": "2026-11-23", "status": "present"}]
        },
    ),
}
