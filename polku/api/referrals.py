"""Referrals and warm handovers (SPEC C5): the same services and access policy as the UI."""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from polku.api.auth import actor_of
from polku.api.errors import ApiError
from polku.referrals import selectors, services
from polku.referrals.disclosure import ConsentRequired
from polku.referrals.models import Referral

router = Router(tags=["referrals"])


class ReferralOut(Schema):
    id: int
    client_id: int
    kind: Referral.Kind
    organisation_id: int
    receiving_organisation_id: int
    receiving_unit: str
    receiving_worker_id: int | None
    reason: str
    sent_on: date
    sent_by_id: int
    status: Referral.Status
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None
    outcome: str
    te_referral: str
    feedback_received_on: date | None
    consent_id: int | None
    version: int


class ReferralIn(Schema):
    client_id: int
    kind: Referral.Kind
    receiving_organisation_id: int
    receiving_unit: str = Field("", max_length=200)
    receiving_worker_id: int | None = None
    reason: str = Field(min_length=1, max_length=5000)
    sent_on: date
    te_referral: str = Field("", max_length=300)


def _out(referral: Referral) -> ReferralOut:
    return ReferralOut.model_validate(referral, from_attributes=True)


def invalid_input(error: services.InvalidInput) -> ApiError:
    return ApiError(422, "invalid", str(error), {error.field or "__all__": [str(error)]})


@router.get("/", response=list[ReferralOut])
def list_referrals(request: HttpRequest, client_id: int) -> list[ReferralOut]:
    """A client's referrals, newest first."""
    referrals = selectors.referral_list_for_client(
        actor=actor_of(request), client_id=client_id, now=timezone.now(), view="api:referrals"
    )
    return [_out(referral) for referral in referrals]


@router.post("/", response={201: ReferralOut})
def send_referral(request: HttpRequest, payload: ReferralIn) -> Status:
    """Send a referral; to another organisation only with consent (else ``consent_required``)."""
    data = services.ReferralData(**payload.model_dump(exclude={"client_id"}))
    try:
        referral = services.referral_send(
            actor=actor_of(request), client_id=payload.client_id, data=data, now=timezone.now()
        )
    except ConsentRequired as refused:
        raise ApiError(
            422, refused.code, refused.message, {"missing": [refused.missing]}
        ) from refused
    except services.InvalidInput as invalid:
        raise invalid_input(invalid) from invalid
    return Status(201, _out(referral))


@router.get("/{referral_id}", response=ReferralOut)
def get_referral(request: HttpRequest, referral_id: int) -> ReferralOut:
    referral = selectors.referral_get_for_actor(
        actor=actor_of(request), referral_id=referral_id, now=timezone.now(), view="api:referral"
    )
    return _out(referral)


@router.post("/{referral_id}/acknowledge", response=ReferralOut)
def acknowledge_referral(request: HttpRequest, referral_id: int) -> ReferralOut:
    """The receiving worker acknowledges the handover (only then is it complete)."""
    try:
        referral = services.referral_acknowledge(
            actor=actor_of(request), referral_id=referral_id, now=timezone.now()
        )
    except services.InvalidInput as invalid:
        raise ApiError(409, "already_acknowledged", str(invalid)) from invalid
    return _out(referral)
