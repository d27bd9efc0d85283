from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field, model_validator

from polku.api.auth import actor_of
from polku.api.errors import ApiError
from polku.clients import selectors, services
from polku.clients.models import Consent

router = Router(tags=["consents"])


class ConsentOut(Schema):
    id: int
    client_id: int
    party: Consent.Party
    party_name: str
    purpose: str
    given_on: date
    expires_on: date | None
    withdrawn_on: date | None
    withdrawal_note: str


class ConsentIn(Schema):
    client_id: int
    party: Consent.Party
    party_name: str = Field("", max_length=200)
    purpose: str = Field(min_length=1, max_length=300)
    given_on: date
    expires_on: date | None = None

    @model_validator(mode="after")
    def check_consistency(self) -> "ConsentIn":
        if self.party == Consent.Party.ORGANISATION and not self.party_name:
            raise ValueError("party_name is required for a named organisation")
        if self.expires_on and self.expires_on < self.given_on:
            raise ValueError("expires_on is before given_on")
        return self


class WithdrawIn(Schema):
    withdrawn_on: date
    note: str = Field("", max_length=300)


@router.get("/", response=list[ConsentOut])
def list_consents(request: HttpRequest, client_id: int) -> list[Consent]:
    """A client's consents, withdrawn ones included (they are history)."""
    client = selectors.client_get(
        actor=actor_of(request), client_id=client_id, now=timezone.now(), view="api:consents"
    )
    return selectors.client_consents(client=client)


@router.post("/", response={201: ConsentOut})
def give_consent(request: HttpRequest, payload: ConsentIn) -> Status:
    data = services.ConsentData(**payload.model_dump(exclude={"client_id"}))
    consent = services.consent_give(
        actor=actor_of(request), client_id=payload.client_id, data=data, now=timezone.now()
    )
    return Status(201, consent)


@router.post("/{consent_id}/withdraw", response=ConsentOut)
def withdraw_consent(
    request: HttpRequest, consent_id: int, client_id: int, payload: WithdrawIn
) -> Consent:
    try:
        return services.consent_withdraw(
            actor=actor_of(request),
            client_id=client_id,
            consent_id=consent_id,
            withdrawn_on=payload.withdrawn_on,
            note=payload.note,
            now=timezone.now(),
        )
    except ValueError as refused:
        raise ApiError(409, "consent_not_withdrawable", str(refused)) from refused
