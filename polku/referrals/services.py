"""Writes for referrals, warm handovers, team bookings, meetings and summaries (SPEC C5).

Each change leaves one change-history row on the client's timeline; each disclosure
to another organisation also leaves a disclosure-log row.
"""

import secrets
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import Organisation
from polku.accounts.roles import Actor, Capability
from polku.accounts.selectors import token_hash
from polku.audit import services as audit
from polku.audit.events import (
    CALENDAR_FEED_CREATED,
    CALENDAR_FEED_REVOKED,
    DOCUMENT_DISCLOSED,
    MEETING_CREATED,
    MEETING_UPDATED,
    REFERRAL_ACKNOWLEDGED,
    REFERRAL_OUTCOME_RECORDED,
    REFERRAL_SENT,
    TEAM_BOOKING_CREATED,
    TEAM_BOOKING_UPDATED,
    WORK_ABILITY_SUMMARY_SAVED,
)
from polku.audit.models import AccessLogEntry
from polku.clients import services as client_services
from polku.clients.models import CareAssignment, Client
from polku.core.choices import ContactChannel
from polku.referrals import selectors
from polku.referrals.disclosure import disclosure_gate
from polku.referrals.models import (
    CalendarFeed,
    Meeting,
    Referral,
    TeamBooking,
    WorkAbilitySummary,
)

M = TypeVar("M", bound=Model)


class StaleVersion(ValueError):
    """Someone else saved the record after it was opened: nothing was overwritten."""

    def __init__(self, current: Model) -> None:
        super().__init__(_("Joku muu tallensi tiedot sillä välin. Mitään ei kirjoitettu yli."))
        self.current = current


class InvalidInput(ValueError):
    """The data breaks a rule of the record (slot order, permission, worker, status)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotTheReceiver(policy.CapabilityMissing):
    """Only the receiving worker (or the receiving organisation) acknowledges a handover."""


def _record(
    actor: Actor, event: Any, target: Model, client_id: int, changes: dict[str, Any], now: datetime
) -> None:
    audit.record(
        event=event,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=target,
        client_id=client_id,
        changes=changes,
    )


def _check_slot(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("aware datetimes only")
    if ends_at <= starts_at:
        raise InvalidInput(_("Päättymisajan on oltava alkamisajan jälkeen."), "ends_at")


def _save_version(instance: Model, version: int, fields: dict[str, Any], now: datetime) -> None:
    """Save ``fields`` only if nobody saved ``instance`` since ``version`` was read."""
    updated = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, version=version)
        .update(**fields, updated_at=now, version=version + 1)
    )
    if not updated:
        raise StaleVersion(instance)
    instance.refresh_from_db()


# --- Meetings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingData:
    worker_id: int
    starts_at: datetime
    ends_at: datetime
    kind: str
    channel: str
    title: str = ""
    location: str = ""


@transaction.atomic
def meeting_create(*, actor: Actor, client_id: int, data: MeetingData, now: datetime) -> Meeting:
    """Book a meeting with the client in ``data.worker_id``'s calendar.

    Other apps call this too (a signed KTT contract books its follow-up meetings with
    ``kind="ktt_follow_up"``).

    Raises:
        InvalidInput: the slot ends before it starts, the kind or channel is unknown, or
            the worker cannot hold meetings in the actor's organisation.
        ValueError: a naive datetime.
    """
    policy.require(actor, Capability.MANAGE_MEETINGS)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=now)
    _check_slot(data.starts_at, data.ends_at)
    if data.kind not in Meeting.Kind.values:
        raise InvalidInput(_("Tuntematon tapaamisen laji."), "kind")
    if data.channel not in ContactChannel.values:
        raise InvalidInput(_("Tuntematon kanava."), "channel")
    if not selectors.meeting_workers(actor=actor).filter(pk=data.worker_id).exists():
        raise InvalidInput(
            _("Valittu henkilö ei voi pitää tapaamisia tässä organisaatiossa."), "worker_id"
        )
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="referrals:meeting_create"
    )
    meeting = Meeting.objects.create(
        organisation=actor.organisation,
        client=client,
        created_by=actor.user,
        created_at=now,
        updated_at=now,
        **asdict(data),
    )
    _record(
        actor, MEETING_CREATED, meeting, client.pk, audit.changes_between({}, asdict(data)), now
    )
    return meeting


MEETING_EDITABLE = (
    "starts_at",
    "ends_at",
    "kind",
    "channel",
    "title",
    "location",
    "attendance",
    "notes",
)


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    client_id: int,
    meeting_id: int,
    version: int,
    fields: dict[str, Any],
    now: datetime,
) -> Meeting:
    """Record attendance and notes (or move the meeting) if nobody saved it since ``version``.

    Raises:
        StaleVersion: the meeting changed after it was opened; it carries the saved one.
        InvalidInput: the slot ends before it starts.
    """
    policy.require(actor, Capability.MANAGE_MEETINGS)
    unknown = set(fields) - set(MEETING_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="referrals:meeting_edit"
    )
    meeting = _client_object(Meeting, client, meeting_id)
    before = {name: getattr(meeting, name) for name in MEETING_EDITABLE}
    after = {**before, **fields}
    _check_slot(after["starts_at"], after["ends_at"])
    if after["attendance"] not in Meeting.Attendance.values:
        raise InvalidInput(_("Tuntematon toteutuminen."), "attendance")
    _save_version(meeting, version, fields, now)
    _record(actor, MEETING_UPDATED, meeting, client.pk, audit.changes_between(before, after), now)
    return meeting


def _client_object(model: type[M], client: Client, object_id: int) -> M:
    found = model._default_manager.filter(pk=object_id, client=client).first()
    if found is None:
        raise Http404(_("Kohdetta ei löydy."))
    return found


# --- Calendar subscription ---------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(
    *, actor: Actor, show_client_names: bool, now: datetime
) -> tuple[CalendarFeed, str]:
    """A new secret subscription address for the actor's calendar; the old one stops working.

    Returns the feed and the raw token, which is shown once and never stored.
    """
    policy.require(actor, Capability.MANAGE_MEETINGS)
    _revoke_feeds(actor, now)
    raw = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        organisation=actor.organisation,
        worker=actor.user,
        token_hash=token_hash(raw),
        show_client_names=show_client_names,
        created_at=now,
    )
    audit.record(
        event=CALENDAR_FEED_CREATED,
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        target=feed,
        changes={"show_client_names": [None, show_client_names]},
    )
    return feed, raw


def _revoke_feeds(actor: Actor, now: datetime) -> None:
    for feed in CalendarFeed.objects.filter(
        organisation=actor.organisation, worker=actor.user, revoked_at__isnull=True
    ):
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
        audit.record(
            event=CALENDAR_FEED_REVOKED,
            at=now,
            actor=actor.user,
            organisation=actor.organisation,
            target=feed,
            changes={"revoked_at": [None, now.isoformat()]},
        )


@transaction.atomic
def calendar_feed_revoke(*, actor: Actor, now: datetime) -> None:
    """Stop the actor's subscription address from working."""
    policy.require(actor, Capability.MANAGE_MEETINGS)
    _revoke_feeds(actor, now)


# --- Referrals and warm handovers ----------------------------------------------------------


@dataclass(frozen=True)
class ReferralData:
    kind: str
    receiving_organisation_id: int
    reason: str
    sent_on: date
    receiving_unit: str = ""
    receiving_worker_id: int | None = None
    te_referral: str = ""


@transaction.atomic
def referral_send(*, actor: Actor, client_id: int, data: ReferralData, now: datetime) -> Referral:
    """Send a referral or warm handover; to another organisation only through the consent gate.

    Raises:
        ConsentRequired: the receiving organisation is another one and the client's
            consent or the data-sharing agreement is missing (nothing is written).
        InvalidInput: unknown kind, or the worker does not work in the receiving organisation.
    """
    policy.require(actor, Capability.MANAGE_REFERRALS)
    client = policy.client_open(actor=actor, client_id=client_id, now=now, view="referrals:create")
    if data.kind not in Referral.Kind.values:
        raise InvalidInput(_("Tuntematon lähetteen kohde."), "kind")
    recipient = (
        selectors.referral_recipients(actor=actor).filter(pk=data.receiving_organisation_id).first()
    )
    if recipient is None:
        raise InvalidInput(
            _("Valitse vastaanottava organisaatio luettelosta."), "receiving_organisation_id"
        )
    if (
        data.receiving_worker_id is not None
        and not selectors.receiving_workers(organisation_ids=[recipient.pk])
        .filter(pk=data.receiving_worker_id)
        .exists()
    ):
        raise InvalidInput(
            _("Vastaanottava työntekijä ei työskentele vastaanottavassa organisaatiossa."),
            "receiving_worker_id",
        )
    consent = None
    if recipient.pk != client.organisation_id:
        # The data leaves now: the consent must be valid today, whatever date the form says.
        consent = disclosure_gate(
            client=client, recipient=recipient, purpose=data.kind, on=timezone.localdate(now)
        )
    referral = Referral.objects.create(
        organisation=actor.organisation,
        client=client,
        sent_by=actor.user,
        consent=consent,
        created_at=now,
        updated_at=now,
        **asdict(data),
    )
    if consent is not None:
        audit.disclosure_record(
            at=now,
            actor=actor.user,
            organisation=actor.organisation,
            client_id=client.pk,
            recipient_organisation=recipient,
            recipient_description=_disclosure_recipient(referral, recipient),
            disclosed=_("Lähete (%(kind)s): syy ja yhteenveto, asiakkaan perus- ja yhteystiedot")
            % {"kind": referral.get_kind_display()},
            legal_basis=_consent_basis(consent.pk),
            consent_id=consent.pk,
        )
    changes = audit.changes_between({}, {**asdict(data), "consent": consent})
    _record(actor, REFERRAL_SENT, referral, client.pk, changes, now)
    return referral


def _disclosure_recipient(referral: Referral, recipient: Organisation) -> str:
    parts = [recipient.name, referral.receiving_unit, str(referral.receiving_worker or "")]
    return " / ".join(part for part in parts if part)


def _consent_basis(consent_id: int) -> str:
    return _("Asiakkaan suostumus (nro %(id)s) ja tietojenluovutussopimus") % {"id": consent_id}


@transaction.atomic
def referral_acknowledge(*, actor: Actor, referral_id: int, now: datetime) -> Referral:
    """The receiving worker acknowledges the handover: only then is it complete.

    Only the named receiving worker may acknowledge; without a named worker, any
    worker of the receiving organisation who handles referrals. Within the same
    organisation the receiver gets a care relationship to the client.

    Raises:
        Http404: the referral is neither from nor to the actor's organisation.
        NotTheReceiver: the actor is not the receiver.
        InvalidInput: it was acknowledged already.
    """
    policy.require(actor, Capability.MANAGE_REFERRALS)
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("client", "receiving_worker")
        .filter(pk=referral_id)
        .first()
    )
    involved = referral is not None and actor.organisation.pk in {
        referral.organisation_id,
        referral.receiving_organisation_id,
    }
    if referral is None or not involved:
        raise Http404(_("Lähetettä ei löydy."))
    if not selectors.is_receiver(actor=actor, referral=referral):
        raise NotTheReceiver(
            _("Vain vastaanottava työntekijä voi kuitata lähetteen vastaanotetuksi.")
        )
    if referral.status != Referral.Status.SENT:
        raise InvalidInput(_("Lähete on jo kuitattu."))
    audit.access_record_many(
        at=now,
        user=actor.user,
        organisation=actor.organisation,
        client_ids=[referral.client_id],
        kind=AccessLogEntry.Kind.RECORD,
        channel=actor.channel,
        view="referrals:acknowledge",
    )
    Referral.objects.filter(pk=referral.pk).update(
        status=Referral.Status.ACKNOWLEDGED,
        acknowledged_at=now,
        acknowledged_by=actor.user,
        updated_at=now,
        version=referral.version + 1,
    )
    referral.refresh_from_db()
    if referral.client.organisation_id == actor.organisation.pk and not _has_care(
        actor, referral.client
    ):
        client_services.care_assignment_start(
            actor=actor,
            client=referral.client,
            worker=actor.user,
            basis=CareAssignment.Basis.SERVICE,
            note=str(_("Saattaen vaihtaminen: %(kind)s") % {"kind": referral.get_kind_display()}),
            now=now,
        )
    changes = {"status": [Referral.Status.SENT, Referral.Status.ACKNOWLEDGED]}
    _record(actor, REFERRAL_ACKNOWLEDGED, referral, referral.client_id, changes, now)
    return referral


def _has_care(actor: Actor, client: Client) -> bool:
    return (
        client.responsible_worker_id == actor.user.pk
        or CareAssignment.objects.filter(
            client=client, worker=actor.user, ended_on__isnull=True
        ).exists()
    )


REFERRAL_OUTCOME_FIELDS = ("status", "outcome", "te_referral", "feedback_received_on")


@transaction.atomic
def referral_record_outcome(
    *,
    actor: Actor,
    client_id: int,
    referral_id: int,
    version: int,
    fields: dict[str, Any],
    now: datetime,
) -> Referral:
    """Record the result of a referral (completed / declined) and the feedback received.

    Raises:
        StaleVersion: the referral changed after it was opened.
        InvalidInput: completing a handover the receiver has not acknowledged.
    """
    policy.require(actor, Capability.MANAGE_REFERRALS)
    unknown = set(fields) - set(REFERRAL_OUTCOME_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    client = policy.client_open(actor=actor, client_id=client_id, now=now, view="referrals:detail")
    referral = _client_object(Referral, client, referral_id)
    status = fields.get("status", referral.status)
    if status not in Referral.Status.values:
        raise InvalidInput(_("Tuntematon tila."), "status")
    if status == Referral.Status.ACKNOWLEDGED and referral.status != status:
        raise InvalidInput(_("Vain vastaanottaja kuittaa lähetteen vastaanotetuksi."), "status")
    if status == Referral.Status.COMPLETED and referral.acknowledged_at is None:
        raise InvalidInput(
            _("Lähete on valmis vasta, kun vastaanottaja on kuitannut sen."), "status"
        )
    before = {name: getattr(referral, name) for name in REFERRAL_OUTCOME_FIELDS}
    _save_version(referral, version, fields, now)
    after = {name: getattr(referral, name) for name in REFERRAL_OUTCOME_FIELDS}
    changes = audit.changes_between(before, after)
    _record(actor, REFERRAL_OUTCOME_RECORDED, referral, client.pk, changes, now)
    return referral


# --- Multi-professional team bookings ------------------------------------------------------


@dataclass(frozen=True)
class TeamBookingData:
    team: str
    mode: str
    starts_at: datetime
    ends_at: datetime
    question: str
    client_permission_on: date | None = None


@transaction.atomic
def team_booking_create(
    *, actor: Actor, client_id: int, data: TeamBookingData, now: datetime
) -> TeamBooking:
    """Book the sote team: a reception with the client, or a consultation with permission.

    The slot is also put into the booker's calendar as a sote-team meeting.

    Raises:
        InvalidInput: a consultation without the client's recorded permission, or the
            slot ends before it starts.
    """
    policy.require(actor, Capability.MANAGE_REFERRALS)
    policy.ensure_reachable(actor=actor, client_id=client_id, now=now)
    _check_slot(data.starts_at, data.ends_at)
    if data.mode not in TeamBooking.Mode.values:
        raise InvalidInput(_("Tuntematon varauksen muoto."), "mode")
    if data.mode == TeamBooking.Mode.CONSULTATION and data.client_permission_on is None:
        raise InvalidInput(
            _("Konsultaatio ilman asiakasta vaatii asiakkaan luvan. Kirjaa luvan antopäivä."),
            "client_permission_on",
        )
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="referrals:booking_create"
    )
    booking = TeamBooking.objects.create(
        organisation=actor.organisation,
        client=client,
        booked_by=actor.user,
        created_at=now,
        updated_at=now,
        **asdict(data),
    )
    changes = audit.changes_between({}, asdict(data))
    _record(actor, TEAM_BOOKING_CREATED, booking, client.pk, changes, now)
    if actor.can(Capability.MANAGE_MEETINGS):  # the slot goes into the booker's calendar
        slot = Meeting.objects.create(
            organisation=actor.organisation,
            client=client,
            worker=actor.user,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            kind=Meeting.Kind.SOTE_TEAM,
            channel=ContactChannel.IN_PERSON,
            title=data.team,
            created_by=actor.user,
            created_at=now,
            updated_at=now,
        )
        slot_changes = {"kind": [None, slot.kind], "team_booking": [None, booking.pk]}
        _record(actor, MEETING_CREATED, slot, client.pk, slot_changes, now)
    return booking


@transaction.atomic
def team_booking_record_outcome(
    *, actor: Actor, client_id: int, booking_id: int, version: int, outcome: str, now: datetime
) -> TeamBooking:
    """Write down what the team concluded.

    Raises:
        StaleVersion: the booking changed after it was opened.
    """
    policy.require(actor, Capability.MANAGE_REFERRALS)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="referrals:booking_edit"
    )
    booking = _client_object(TeamBooking, client, booking_id)
    before = booking.outcome
    _save_version(booking, version, {"outcome": outcome}, now)
    _record(actor, TEAM_BOOKING_UPDATED, booking, client.pk, {"outcome": [before, outcome]}, now)
    return booking


# --- Work-ability support summary -----------------------------------------------------------

SUMMARY_FIELDS = (
    "question",
    "unemployment_duration",
    "family",
    "housing",
    "benefits",
    "debts",
    "enforcement",
    "current_measures",
)


@transaction.atomic
def summary_save(
    *,
    actor: Actor,
    client_id: int,
    summary_id: int | None,
    version: int | None,
    fields: dict[str, Any],
    now: datetime,
) -> WorkAbilitySummary:
    """Create a work-ability support summary, or save a new version of one.

    Each save is a version: the change history keeps every earlier text.

    Raises:
        StaleVersion: someone saved the summary after it was opened.
    """
    policy.require(actor, Capability.MANAGE_REFERRALS)
    unknown = set(fields) - set(SUMMARY_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="referrals:summary_edit"
    )
    if summary_id is None:
        summary = WorkAbilitySummary.objects.create(
            organisation=actor.organisation,
            client=client,
            created_by=actor.user,
            created_at=now,
            updated_at=now,
            **fields,
        )
        before: dict[str, Any] = {}
    else:
        if version is None:
            raise ValueError("saving a summary again needs the version read")
        summary = _client_object(WorkAbilitySummary, client, summary_id)
        before = {name: getattr(summary, name) for name in SUMMARY_FIELDS}
        _save_version(summary, version, fields, now)
    after = {name: getattr(summary, name) for name in SUMMARY_FIELDS}
    changes = {**audit.changes_between(before, after), "version": [None, summary.version]}
    _record(actor, WORK_ABILITY_SUMMARY_SAVED, summary, client.pk, changes, now)
    return summary


@transaction.atomic
def summary_disclose(
    *, actor: Actor, client_id: int, summary_id: int, recipient_id: int, today: date, now: datetime
) -> WorkAbilitySummary:
    """Send the summary to another organisation: consent gate, then disclosure log.

    Raises:
        ConsentRequired: the consent or the data-sharing agreement is missing.
        InvalidInput: the recipient is not a known organisation other than the client's.
    """
    policy.require(actor, Capability.MANAGE_REFERRALS)
    client = policy.client_open(
        actor=actor, client_id=client_id, now=now, view="referrals:summary_disclose"
    )
    summary = _client_object(WorkAbilitySummary, client, summary_id)
    recipient = (
        selectors.referral_recipients(actor=actor)
        .exclude(pk=client.organisation_id)
        .filter(pk=recipient_id)
        .first()
    )
    if recipient is None:
        raise InvalidInput(_("Valitse vastaanottava organisaatio luettelosta."), "recipient")
    consent = disclosure_gate(client=client, recipient=recipient, purpose="document", on=today)
    audit.disclosure_record(
        at=now,
        actor=actor.user,
        organisation=actor.organisation,
        client_id=client.pk,
        recipient_organisation=recipient,
        recipient_description=recipient.name,
        disclosed=_("Työkyvyn tuen koonti (versio %(version)s)") % {"version": summary.version},
        legal_basis=_consent_basis(consent.pk),
        consent_id=consent.pk,
    )
    changes = {"recipient": [None, recipient.pk], "consent": [None, consent.pk]}
    _record(actor, DOCUMENT_DISCLOSED, summary, client.pk, changes, now)
    return summary
