"""Writes to the client register. Each change leaves a change-history row."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import User
from polku.accounts.roles import Actor, Capability
from polku.audit import services as audit
from polku.audit.events import (
    CARE_ASSIGNMENT_ENDED,
    CARE_ASSIGNMENT_STARTED,
    CLIENT_CREATED,
    CLIENT_UPDATED,
    CONSENT_GIVEN,
    CONSENT_WITHDRAWN,
    PROCESSING_RESTRICTED,
    PROCESSING_RESTRICTION_LIFTED,
    RESPONSIBLE_WORKER_ASSIGNED,
    Event,
)
from polku.clients.models import CareAssignment, Client, Consent, ResponsibleWorkerPeriod
from polku.clients.selectors import responsible_worker_candidates
from polku.core import hetu as hetu_codes

# Fields a worker edits on the client form; identity (hetu) is set once at creation.
EDITABLE_FIELDS = (
    "first_names",
    "last_name",
    "language",
    "phone",
    "email",
    "street_address",
    "postal_code",
    "post_office",
    "contact_verified_on",
    "home_municipality",
    "main_income",
    "unemployment_started_on",
    "lms_days_total",
    "lms_days_last_12_months",
    "lms_days_after_max_period",
    "daily_allowance_max_period_exhausted",
    "social_assistance_months",
    "has_employment_plan",
    "job_search_discussion_held",
    "benefit_counters_on",
)


class DuplicateClient(ValueError):
    """A client with this identity code is already registered in the organisation."""


class EditConflict(ValueError):
    """Someone else saved the record after it was opened: nothing was overwritten."""

    def __init__(self, current: Client, attempted: dict[str, Any]) -> None:
        super().__init__(_("Joku muu tallensi asiakkaan tiedot sillä välin."))
        self.current = current
        self.attempted = attempted


class NotAWorker(ValueError):
    """The chosen user cannot be a responsible worker in this organisation."""


@dataclass(frozen=True)
class ClientData:
    hetu: str
    first_names: str
    last_name: str
    fields: dict[str, Any]


def _field_values(client: Client) -> dict[str, Any]:
    return {field: getattr(client, field) for field in EDITABLE_FIELDS}


@transaction.atomic
def client_create(*, actor: Actor, data: ClientData, now: datetime) -> Client:
    """Register a client; the creating caseworker becomes the responsible worker.

    Raises:
        hetu.InvalidHetu: the identity code is not valid.
        DuplicateClient: the organisation already has a client with this code.
    """
    policy.require(actor, Capability.CREATE_CLIENTS)
    identity = hetu_codes.parse(data.hetu)
    if Client.objects.filter(organisation=actor.organisation, hetu=identity.value).exists():
        raise DuplicateClient(_("Asiakas tällä henkilötunnuksella on jo rekisterissä."))
    client = Client(
        organisation=actor.organisation,
        hetu=identity.value,
        birth_date=identity.birth_date,
        first_names=data.first_names,
        last_name=data.last_name,
        created_at=now,
        updated_at=now,
        **data.fields,
    )
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as clash:  # a concurrent registration of the same person won
        raise DuplicateClient(_("Asiakas tällä henkilötunnuksella on jo rekisterissä.")) from clash
    audit.record(
        event=CLIENT_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=client,
        client_id=client.pk,
        changes=audit.changes_between(
            {}, {"birth_date": client.birth_date, **_field_values(client)}
        ),
    )
    if actor.can(Capability.BE_RESPONSIBLE_WORKER):
        _assign_worker(actor=actor, client=client, worker=actor.user, now=now)
    return client


@transaction.atomic
def client_update(
    *, actor: Actor, client_id: int, version: int, fields: dict[str, Any], now: datetime
) -> Client:
    """Change a client's details if nobody else saved them since ``version`` was read.

    Raises:
        EditConflict: the record changed after it was opened; it carries both versions.
    """
    policy.require(actor, Capability.EDIT_CLIENTS)
    client = policy.client_open(actor=actor, client_id=client_id, now=now, view="clients:edit")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = _field_values(client)
    updated = Client.objects.filter(pk=client.pk, version=version).update(
        **fields, updated_at=now, version=version + 1
    )
    if not updated:
        raise EditConflict(current=client, attempted=fields)
    client.refresh_from_db()
    audit.record(
        event=CLIENT_UPDATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=client,
        client_id=client.pk,
        changes=audit.changes_between(before, _field_values(client)),
    )
    return client


def _assign_worker(*, actor: Actor, client: Client, worker: User, now: datetime) -> None:
    today = now.date()
    previous = client.responsible_worker_id
    ResponsibleWorkerPeriod.objects.filter(client=client, ended_on__isnull=True).update(
        ended_on=today
    )
    ResponsibleWorkerPeriod.objects.create(
        client=client, worker=worker, started_on=today, assigned_by=actor.user
    )
    Client.objects.filter(pk=client.pk).update(
        responsible_worker=worker, updated_at=now, version=client.version + 1
    )
    client.responsible_worker = worker
    client.version += 1
    audit.record(
        event=RESPONSIBLE_WORKER_ASSIGNED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=client,
        client_id=client.pk,
        changes={"responsible_worker": [previous, worker.pk]},
    )


@transaction.atomic
def client_assign_responsible_worker(
    *, actor: Actor, client_id: int, worker_id: int, now: datetime
) -> Client:
    """Make ``worker_id`` the client's responsible worker; the old period ends today.

    Raises:
        NotAWorker: the user holds no caseworker role in the organisation.
    """
    policy.require(actor, Capability.ASSIGN_RESPONSIBLE_WORKER)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="clients:assign_worker"
    )
    worker = responsible_worker_candidates(actor=actor).filter(pk=worker_id).first()
    if worker is None:
        raise NotAWorker(_("Valittu henkilö ei voi olla vastuutyöntekijä tässä organisaatiossa."))
    if client.responsible_worker_id != worker.pk:
        _assign_worker(actor=actor, client=client, worker=worker, now=now)
    return client


@transaction.atomic
def care_assignment_start(
    *,
    actor: Actor,
    client: Client,
    worker: User,
    basis: str,
    note: str,
    now: datetime,
) -> CareAssignment:
    """Start a care relationship for a worker taking part in the client's plan, service or list."""
    assignment = CareAssignment.objects.create(
        client=client, worker=worker, basis=basis, note=note, started_on=now.date()
    )
    audit.record(
        event=CARE_ASSIGNMENT_STARTED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=assignment,
        client_id=client.pk,
        changes={"worker": [None, worker.pk], "basis": [None, basis]},
    )
    return assignment


@transaction.atomic
def care_assignment_end(*, actor: Actor, assignment: CareAssignment, now: datetime) -> None:
    """End a care relationship; the worker's access to the client ends with it."""
    CareAssignment.objects.filter(pk=assignment.pk).update(ended_on=now.date())
    audit.record(
        event=CARE_ASSIGNMENT_ENDED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=assignment,
        client_id=assignment.client_id,
        changes={"ended_on": [None, now.date().isoformat()]},
    )


@dataclass(frozen=True)
class ConsentData:
    party: str
    party_name: str
    purpose: str
    given_on: date
    expires_on: date | None


@transaction.atomic
def consent_give(*, actor: Actor, client_id: int, data: ConsentData, now: datetime) -> Consent:
    """Record a consent the client gave."""
    policy.require(actor, Capability.MANAGE_CONSENTS)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="clients:consent_add"
    )
    consent = Consent.objects.create(
        client=client,
        party=data.party,
        party_name=data.party_name,
        purpose=data.purpose,
        given_on=data.given_on,
        expires_on=data.expires_on,
        recorded_by=actor.user,
    )
    audit.record(
        event=CONSENT_GIVEN,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=consent,
        client_id=client.pk,
        changes=audit.changes_between({}, data.__dict__),
    )
    return consent


class ConsentAlreadyWithdrawn(ValueError):
    """The consent was withdrawn earlier."""


@transaction.atomic
def consent_withdraw(
    *, actor: Actor, client_id: int, consent_id: int, withdrawn_on: date, note: str, now: datetime
) -> Consent:
    """Withdraw a consent; the consent row stays, with its withdrawal date, as history.

    Raises:
        ConsentAlreadyWithdrawn: it was withdrawn earlier.
        ValueError: the withdrawal date is before the consent was given.
    """
    policy.require(actor, Capability.MANAGE_CONSENTS)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="clients:consent_withdraw"
    )
    consent = Consent.objects.select_for_update().filter(pk=consent_id, client=client).first()
    if consent is None:
        raise Http404(_("Suostumusta ei löydy."))
    if consent.withdrawn_on is not None:
        raise ConsentAlreadyWithdrawn(_("Suostumus on jo peruttu."))
    if withdrawn_on < consent.given_on:
        raise ValueError(_("Perumispäivä ei voi olla ennen antopäivää."))
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = note
    consent.save(update_fields=["withdrawn_on", "withdrawal_note"])
    audit.record(
        event=CONSENT_WITHDRAWN,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=consent,
        client_id=client.pk,
        changes={"withdrawn_on": [None, withdrawn_on.isoformat()], "withdrawal_note": [None, note]},
    )
    return consent


class RestrictionStateError(ValueError):
    """The restriction is already set (or already lifted)."""


RESTRICTION_FIELDS = (
    "processing_restricted_on",
    "processing_restriction_reason",
    "processing_restricted_by",
)


def _restriction_values(client: Client) -> dict[str, Any]:
    return {field: getattr(client, field) for field in RESTRICTION_FIELDS}


@transaction.atomic
def client_restrict_processing(
    *, actor: Actor, client_id: int, reason: str, now: datetime
) -> Client:
    """Restrict the processing of the client's data (GDPR art. 18, käsittelyn rajoittaminen).

    While restricted the data can be read (and the reads are logged) but every change
    is refused where it is recorded (``audit.services.record``).

    Raises:
        RestrictionStateError: processing is already restricted.
        ValueError: the reason is empty.
    """
    policy.require(actor, Capability.HANDLE_DATA_REQUESTS)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="clients:restriction"
    )
    if client.processing_restricted_on is not None:
        raise RestrictionStateError(_("Käsittely on jo rajoitettu."))
    if not reason.strip():
        raise ValueError(_("Kirjoita rajoittamisen peruste."))
    return _set_restriction(
        actor=actor,
        client=client,
        values={
            "processing_restricted_on": now.date(),
            "processing_restriction_reason": reason.strip(),
            "processing_restricted_by": actor.user,
        },
        event=PROCESSING_RESTRICTED,
        now=now,
    )


@transaction.atomic
def client_lift_restriction(*, actor: Actor, client_id: int, now: datetime) -> Client:
    """Lift the restriction; the history keeps when, why and by whom it was set.

    Raises:
        RestrictionStateError: processing is not restricted.
    """
    policy.require(actor, Capability.HANDLE_DATA_REQUESTS)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="clients:restriction"
    )
    if client.processing_restricted_on is None:
        raise RestrictionStateError(_("Käsittelyä ei ole rajoitettu."))
    return _set_restriction(
        actor=actor,
        client=client,
        values=dict.fromkeys(RESTRICTION_FIELDS, None) | {"processing_restriction_reason": ""},
        event=PROCESSING_RESTRICTION_LIFTED,
        now=now,
    )


def _set_restriction(
    *, actor: Actor, client: Client, values: dict[str, Any], event: Event, now: datetime
) -> Client:
    before = _restriction_values(client)
    Client.objects.filter(pk=client.pk).update(**values, updated_at=now, version=client.version + 1)
    client.refresh_from_db()
    audit.record(
        event=event,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=client,
        client_id=client.pk,
        changes=audit.changes_between(before, _restriction_values(client)),
    )
    return client
