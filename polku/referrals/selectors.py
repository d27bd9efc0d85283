"""Reads for referrals, bookings, meetings and summaries; client data through the access policy."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.access import policy
from polku.accounts.models import DataSharingAgreement, Membership, Organisation, User
from polku.accounts.roles import ROLE_CAPABILITIES, Actor, Capability
from polku.audit.events import WORK_ABILITY_SUMMARY_SAVED
from polku.audit.models import ChangeLogEntry
from polku.clients.models import Client
from polku.core.input_bounds import FIRST_DATE, LAST_DATE
from polku.referrals.models import CalendarFeed, Meeting, Referral, TeamBooking, WorkAbilitySummary

M = TypeVar("M", bound=Model)


def _users_with(capability: Capability, organisation_ids: list[int]) -> QuerySet[User]:
    roles = [role for role, held in ROLE_CAPABILITIES.items() if capability in held]
    user_ids = Membership.objects.filter(
        organisation_id__in=organisation_ids, role__in=roles
    ).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("last_name", "first_name")


def meeting_workers(*, actor: Actor) -> QuerySet[User]:
    """Users of the actor's organisation who hold meetings (have a calendar)."""
    return _users_with(Capability.MANAGE_MEETINGS, [actor.organisation.pk])


def receiving_workers(*, organisation_ids: list[int]) -> QuerySet[User]:
    """Workers who may receive a handover in these organisations."""
    return _users_with(Capability.MANAGE_REFERRALS, organisation_ids)


def referral_recipients(*, actor: Actor) -> QuerySet[Organisation]:
    """The actor's own organisation and those it has (had) a data-sharing agreement with.

    Whether the agreement is in force on the day is checked by the consent gate, so the
    refusal can say what is missing.
    """
    partners = DataSharingAgreement.objects.filter(provider=actor.organisation).values(
        "recipient_id"
    )
    return Organisation.objects.filter(Q(pk=actor.organisation.pk) | Q(pk__in=partners)).order_by(
        "name"
    )


# --- Client page -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientReferrals:
    referrals: list[Referral]
    bookings: list[TeamBooking]
    upcoming: list[Meeting]
    past: list[Meeting]
    summaries: list[WorkAbilitySummary]


def client_referrals(*, client: Client, today: date, past_limit: int = 10) -> ClientReferrals:
    """Everything of this app on one client's page (the client was opened already)."""
    referrals = list(
        Referral.objects.filter(client=client).select_related(
            "receiving_organisation", "receiving_worker", "sent_by"
        )
    )
    bookings = list(TeamBooking.objects.filter(client=client))
    start = timezone.make_aware(datetime.combine(today, time.min))
    meetings = Meeting.objects.filter(client=client).select_related("worker")
    upcoming = list(meetings.filter(starts_at__gte=start).order_by("starts_at")[:20])
    past = list(meetings.filter(starts_at__lt=start).order_by("-starts_at")[:past_limit])
    summaries = list(WorkAbilitySummary.objects.filter(client=client).select_related("created_by"))
    return ClientReferrals(referrals, bookings, upcoming, past, summaries)


def referral_get(*, client: Client, referral_id: int) -> Referral:
    return _get(
        Referral.objects.select_related(
            "receiving_organisation", "receiving_worker", "sent_by", "acknowledged_by", "consent"
        ),
        client,
        referral_id,
    )


def booking_get(*, client: Client, booking_id: int) -> TeamBooking:
    return _get(TeamBooking.objects.all(), client, booking_id)


def meeting_get(*, client: Client, meeting_id: int) -> Meeting:
    return _get(Meeting.objects.select_related("worker"), client, meeting_id)


def meetings_overlapping(*, meeting: Meeting) -> list[Meeting]:
    """The worker's other uncancelled meetings that overlap this one (times only are shown:
    the worker's own calendar, whoever the other client is)."""
    return list(
        Meeting.objects.filter(
            worker_id=meeting.worker_id,
            starts_at__lt=meeting.ends_at,
            ends_at__gt=meeting.starts_at,
        )
        .exclude(pk=meeting.pk)
        .exclude(attendance=Meeting.Attendance.CANCELLED)
        .only("starts_at", "ends_at")
    )


def summary_get(*, client: Client, summary_id: int) -> WorkAbilitySummary:
    return _get(WorkAbilitySummary.objects.select_related("created_by"), client, summary_id)


def _get(queryset: QuerySet[M], client: Client, object_id: int) -> M:
    found = queryset.filter(client=client, pk=object_id).first()
    if found is None:
        raise Http404(_("Kohdetta ei löydy."))
    return found


# --- Received handovers ------------------------------------------------------------------


def is_receiver(*, actor: Actor, referral: Referral) -> bool:
    """Whether the actor is the one who acknowledges this handover.

    The named receiving worker; without one, any worker of the receiving organisation
    who handles referrals.
    """
    if referral.receiving_organisation_id != actor.organisation.pk:
        return False
    if referral.receiving_worker_id is not None:
        return referral.receiving_worker_id == actor.user.pk
    return actor.can(Capability.MANAGE_REFERRALS)


def referral_inbox(*, actor: Actor, now: datetime, view: str) -> list[Referral]:
    """Handovers waiting for the actor's acknowledgement (named, or to the organisation)."""
    policy.require(actor, Capability.MANAGE_REFERRALS)
    addressed = Q(receiving_worker=actor.user) | Q(receiving_worker__isnull=True)
    referrals = list(
        Referral.objects.filter(
            addressed, receiving_organisation=actor.organisation, status=Referral.Status.SENT
        )
        .select_related("client", "organisation", "sent_by", "receiving_worker")
        .order_by("sent_on", "pk")[:200]
    )
    policy.client_ids_shown(
        actor=actor, client_ids=[referral.client_id for referral in referrals], now=now, view=view
    )
    return referrals


def referral_list_for_client(
    *, actor: Actor, client_id: int, now: datetime, view: str
) -> list[Referral]:
    client = policy.client_open(actor=actor, client_id=client_id, now=now, view=view)
    return list(Referral.objects.filter(client=client).select_related("receiving_organisation"))


def referral_get_for_actor(*, actor: Actor, referral_id: int, now: datetime, view: str) -> Referral:
    """One referral for the sender's side (care relationship) or its receiver."""
    referral = (
        Referral.objects.select_related("receiving_organisation", "client")
        .filter(pk=referral_id)
        .filter(Q(organisation=actor.organisation) | Q(receiving_organisation=actor.organisation))
        .first()
    )
    if referral is None:
        raise Http404(_("Lähetettä ei löydy."))
    if is_receiver(actor=actor, referral=referral):
        policy.client_ids_shown(actor=actor, client_ids=[referral.client_id], now=now, view=view)
    else:
        policy.client_open(actor=actor, client_id=referral.client_id, now=now, view=view)
    return referral


# --- Calendar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: date
    meetings: list[Meeting]


@dataclass(frozen=True)
class CalendarWeek:
    year: int
    week: int
    monday: date
    days: list[CalendarDay]
    feed: CalendarFeed | None

    @property
    def key(self) -> str:
        return week_key(self.monday)

    @property
    def previous_key(self) -> str:
        return week_key(self.monday - timedelta(days=7))

    @property
    def next_key(self) -> str:
        return week_key(self.monday + timedelta(days=7))


def week_key(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(value: str | None, today: date) -> date:
    """The Monday of an ISO week ``YYYY-Www``; this week's Monday if missing, malformed or
    outside the years a date may have (``?week=9999-W52`` would overflow the week's end)."""
    if value:
        try:
            year, week = value.split("-W")
            monday = date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            pass
        else:
            if FIRST_DATE <= monday <= LAST_DATE:
                return monday
    return today - timedelta(days=today.weekday())


def _day_bounds(first: date, days: int) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(first + timedelta(days=days), time.min))
    return start, end


def worker_meetings(
    *, organisation_id: int, worker_id: int, start: datetime, end: datetime
) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            organisation_id=organisation_id,
            worker_id=worker_id,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("client")
        .order_by("starts_at", "pk")
    )


def calendar_week(*, actor: Actor, monday: date, now: datetime, view: str) -> CalendarWeek:
    """The actor's meetings Monday to Sunday, grouped by day; the client names shown are logged."""
    policy.require(actor, Capability.MANAGE_MEETINGS)
    start, end = _day_bounds(monday, 7)
    meetings = list(
        worker_meetings(
            organisation_id=actor.organisation.pk, worker_id=actor.user.pk, start=start, end=end
        )
    )
    policy.client_ids_shown(
        actor=actor, client_ids=sorted({m.client_id for m in meetings}), now=now, view=view
    )
    by_day: dict[date, list[Meeting]] = {monday + timedelta(days=n): [] for n in range(7)}
    for meeting in meetings:
        by_day[timezone.localtime(meeting.starts_at).date()].append(meeting)
    year, week, _ = monday.isocalendar()
    return CalendarWeek(
        year=year,
        week=week,
        monday=monday,
        days=[CalendarDay(day, items) for day, items in by_day.items()],
        feed=active_feed(actor=actor),
    )


def active_feed(*, actor: Actor) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(
        organisation=actor.organisation, worker=actor.user, revoked_at__isnull=True
    ).first()


def feed_by_token(*, token_hash: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token_hash=token_hash, revoked_at__isnull=True)
        .select_related("worker", "organisation")
        .first()
    )


def meetings_for_export(
    *, organisation_id: int, worker_id: int, today: date, days_back: int = 90, days_ahead: int = 365
) -> list[Meeting]:
    start, _end = _day_bounds(today - timedelta(days=days_back), 0)
    end, _ = _day_bounds(today + timedelta(days=days_ahead), 0)
    return list(
        worker_meetings(organisation_id=organisation_id, worker_id=worker_id, start=start, end=end)
    )


def meetings_for_client(*, actor: Actor, client_id: int, now: datetime, view: str) -> list[Meeting]:
    client = policy.client_open(actor=actor, client_id=client_id, now=now, view=view)
    return list(Meeting.objects.filter(client=client).order_by("starts_at", "pk"))


# --- Work-ability summary ----------------------------------------------------------------------


def summary_prefill(*, client: Client, today: date) -> dict[str, str]:
    """What the client record already says, as a starting point for the summary."""
    parts = []
    if client.unemployment_started_on:
        months = (today.year - client.unemployment_started_on.year) * 12 + (
            today.month - client.unemployment_started_on.month
        )
        parts.append(
            _("Työtön %(day)s alkaen (noin %(months)s kk).")
            % {"day": client.unemployment_started_on.strftime("%-d.%-m.%Y"), "months": months}
        )
    benefits = [
        _("Pääasiallinen toimeentulo: %(income)s.") % {"income": client.get_main_income_display()},
        _("Työmarkkinatukipäiviä yhteensä %(total)s, viimeisten 12 kk aikana %(recent)s.")
        % {"total": client.lms_days_total, "recent": client.lms_days_last_12_months},
    ]
    if client.social_assistance_months:
        benefits.append(
            _("Toimeentulotukea %(months)s kuukautta.")
            % {"months": client.social_assistance_months}
        )
    if client.daily_allowance_max_period_exhausted:
        benefits.append(_("Työttömyyspäivärahan enimmäisaika on täyttynyt."))
    measures = [
        _("%(kind)s (%(status)s, %(day)s)")
        % {
            "kind": referral.get_kind_display(),
            "status": referral.get_status_display(),
            "day": referral.sent_on.strftime("%-d.%-m.%Y"),
        }
        for referral in Referral.objects.filter(client=client).order_by("-sent_on")[:10]
    ]
    return {
        "unemployment_duration": " ".join(parts),
        "benefits": " ".join(benefits),
        "current_measures": "\n".join(measures),
    }


def meeting_client_id(*, actor: Actor, meeting_id: int) -> int:
    """The client of a meeting in the actor's organisation (the service then checks access)."""
    client_id = (
        Meeting.objects.filter(pk=meeting_id, organisation=actor.organisation)
        .values_list("client_id", flat=True)
        .first()
    )
    if client_id is None:
        raise Http404(_("Tapaamista ei löydy."))
    return client_id


@dataclass(frozen=True)
class SummaryVersion:
    at: datetime
    version: int | None
    author: str
    fields: list[str]


def summary_versions(*, summary: WorkAbilitySummary) -> list[SummaryVersion]:
    """Every save of the summary, newest first, from the change history."""
    rows = (
        ChangeLogEntry.objects.filter(
            object_type=WorkAbilitySummary._meta.label,
            object_id=str(summary.pk),
            event=WORK_ABILITY_SUMMARY_SAVED.code,
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    labels = {
        field.name: str(field.verbose_name)
        for field in WorkAbilitySummary._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    return [
        SummaryVersion(
            at=row.at,
            version=(row.changes.get("version") or [None, None])[1],
            author=str(row.actor or ""),
            fields=[labels.get(name, name) for name in row.changes if name != "version"],
        )
        for row in rows
    ]
