"""Meetings (SPEC C5): a client's meetings, one's own week, booking and updating."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import AwareDatetime, Field

from polku.api.auth import actor_of
from polku.api.errors import ApiError
from polku.api.referrals import invalid_input
from polku.core.choices import ContactChannel
from polku.referrals import selectors, services
from polku.referrals.models import Meeting

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    client_id: int
    worker_id: int
    starts_at: datetime
    ends_at: datetime
    kind: Meeting.Kind
    channel: ContactChannel
    title: str
    location: str
    attendance: Meeting.Attendance
    notes: str
    version: int


class MeetingIn(Schema):
    client_id: int
    worker_id: int
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    kind: Meeting.Kind
    channel: ContactChannel
    title: str = Field("", max_length=200)
    location: str = Field("", max_length=200)


class MeetingPatch(Schema):
    version: int
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    kind: Meeting.Kind | None = None
    channel: ContactChannel | None = None
    title: str | None = Field(None, max_length=200)
    location: str | None = Field(None, max_length=200)
    attendance: Meeting.Attendance | None = None
    notes: str | None = None


def _out(meeting: Meeting) -> MeetingOut:
    return MeetingOut.model_validate(meeting, from_attributes=True)


@router.get("/", response=list[MeetingOut])
def list_meetings(
    request: HttpRequest, client_id: int | None = None, week: str | None = None
) -> list[MeetingOut]:
    """A client's meetings (``?client_id=``) or one's own week (``?week=2026-W48``)."""
    actor, now = actor_of(request), timezone.now()
    if client_id is not None:
        meetings = selectors.meetings_for_client(
            actor=actor, client_id=client_id, now=now, view="api:meetings"
        )
    else:
        monday = selectors.parse_week(week, timezone.localdate())
        calendar = selectors.calendar_week(actor=actor, monday=monday, now=now, view="api:meetings")
        meetings = [meeting for day in calendar.days for meeting in day.meetings]
    return [_out(meeting) for meeting in meetings]


@router.post("/", response={201: MeetingOut})
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Status:
    data = services.MeetingData(**payload.model_dump(exclude={"client_id"}))
    try:
        meeting = services.meeting_create(
            actor=actor_of(request), client_id=payload.client_id, data=data, now=timezone.now()
        )
    except services.InvalidInput as invalid:
        raise invalid_input(invalid) from invalid
    return Status(201, _out(meeting))


@router.patch("/{meeting_id}", response=MeetingOut)
def update_meeting(request: HttpRequest, meeting_id: int, payload: MeetingPatch) -> MeetingOut:
    """Attendance, notes or a new time; ``version`` must be the one read, else 409."""
    actor = actor_of(request)
    client_id = selectors.meeting_client_id(actor=actor, meeting_id=meeting_id)
    fields = payload.model_dump(exclude={"version"}, exclude_none=True)
    try:
        meeting = services.meeting_update(
            actor=actor,
            client_id=client_id,
            meeting_id=meeting_id,
            version=payload.version,
            fields=fields,
            now=timezone.now(),
        )
    except services.StaleVersion as clash:
        current = clash.current
        if not isinstance(current, Meeting):  # pragma: no cover - the service edits meetings
            raise
        raise ApiError(
            409,
            "edit_conflict",
            str(clash),
            {
                "current": _out(current).model_dump(mode="json"),
                "attempted": payload.model_dump(mode="json"),
            },
        ) from clash
    except services.InvalidInput as invalid:
        raise invalid_input(invalid) from invalid
    return _out(meeting)
