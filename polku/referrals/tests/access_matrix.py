from typing import Any

from django.utils import timezone

from polku.accounts.roles import Capability
from polku.accounts.tests.factories import actor_of
from polku.referrals.services import calendar_feed_create
from polku.referrals.tests.factories import (
    MeetingFactory,
    ReferralFactory,
    SummaryFactory,
    TeamBookingFactory,
)
from tests.matrix import ANYONE, Page, World

REFERRALS = Capability.MANAGE_REFERRALS
MEETINGS = Capability.MANAGE_MEETINGS


def objects(world: World) -> dict[str, Any]:
    _feed, token = calendar_feed_create(
        actor=actor_of(world.worker, world.organisation),
        show_client_names=False,
        now=timezone.now(),
    )
    return {
        "referral_id": ReferralFactory.create(client=world.client).pk,
        "booking_id": TeamBookingFactory.create(client=world.client).pk,
        "meeting_id": MeetingFactory.create(client=world.client).pk,
        "summary_id": SummaryFactory.create(client=world.client).pk,
        "token": token,
    }


def _meeting(world: World) -> dict[str, Any]:
    return {
        "client_id": world.client.pk,
        "worker_id": world.worker.pk,
        "starts_at": "2026-12-01T09:00:00+02:00",
        "ends_at": "2026-12-01T10:00:00+02:00",
        "kind": "coaching",
        "channel": "phone",
    }


PAGES = {
    "referrals:inbox": Page(REFERRALS),
    "referrals:acknowledge": Page(REFERRALS, method="post", kwargs=("referral_id",)),
    "referrals:create": Page(REFERRALS, client_specific=True),
    "referrals:detail": Page(REFERRALS, client_specific=True, kwargs=("referral_id",)),
    "referrals:booking_create": Page(REFERRALS, client_specific=True),
    "referrals:booking_edit": Page(REFERRALS, client_specific=True, kwargs=("booking_id",)),
    "referrals:meeting_create": Page(MEETINGS, client_specific=True),
    "referrals:meeting_edit": Page(MEETINGS, client_specific=True, kwargs=("meeting_id",)),
    "referrals:summary_create": Page(REFERRALS, client_specific=True),
    "referrals:summary_edit": Page(REFERRALS, client_specific=True, kwargs=("summary_id",)),
    "referrals:summary_pdf": Page(REFERRALS, client_specific=True, kwargs=("summary_id",)),
    "referrals:summary_disclose": Page(
        REFERRALS, method="post", client_specific=True, kwargs=("summary_id",)
    ),
    "referrals:calendar": Page(MEETINGS),
    "referrals:calendar_ics": Page(MEETINGS),
    "referrals:feed_create": Page(MEETINGS, method="post"),
    "referrals:feed_revoke": Page(MEETINGS, method="post"),
    # The subscription address needs no sign-in: the secret token is the key.
    "referrals:feed": Page(ANYONE, kwargs=("token",)),
}

API_OPERATIONS = {
    ("get", "/api/v1/referrals/"): Page(Capability.VIEW_CLIENTS, client_specific=True),
    ("post", "/api/v1/referrals/"): Page(
        REFERRALS,
        client_specific=True,
        data=lambda world: {
            "client_id": world.client.pk,
            "kind": "typ",
            "receiving_organisation_id": world.organisation.pk,
            "reason": "TYP-arvio",
            "sent_on": "2026-11-24",
        },
    ),
    ("get", "/api/v1/referrals/{referral_id}"): Page(
        Capability.VIEW_CLIENTS, client_specific=True, kwargs=("referral_id",)
    ),
    ("post", "/api/v1/referrals/{referral_id}/acknowledge"): Page(
        REFERRALS, client_specific=True, kwargs=("referral_id",)
    ),
    ("get", "/api/v1/meetings/"): Page(Capability.VIEW_CLIENTS, client_specific=True),
    ("post", "/api/v1/meetings/"): Page(MEETINGS, client_specific=True, data=_meeting),
    ("patch", "/api/v1/meetings/{meeting_id}"): Page(
        MEETINGS,
        client_specific=True,
        kwargs=("meeting_id",),
        data=lambda world: {"version": 1, "attendance": "attended", "notes": "Kävi."},
    ),
}
