"""A worker's meetings as iCalendar (RFC 5545), for export and the subscription address.

By default an event says only "Asiakastapaaminen" and the meeting kind: a calendar
feed leaves the secure system, so it carries no client names unless the worker opted
in, and never identity codes, notes or titles written about the client.
"""

from collections.abc import Iterable
from datetime import datetime

import icalendar
from django.utils.translation import gettext as _

from polku.referrals.models import Meeting

PRODID = "-//Polku//Tapaamiset//FI"


def calendar_ics(
    *, meetings: Iterable[Meeting], name: str, show_client_names: bool, now: datetime
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@polku")
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        summary = f"{_('Asiakastapaaminen')}: {meeting.get_kind_display()}"
        if show_client_names:
            summary = f"{meeting.client.full_name}: {meeting.get_kind_display()}"
            if meeting.title:
                summary += f" – {meeting.title}"
        event.add("summary", summary)
        event.add("description", meeting.get_channel_display())
        if meeting.location:
            event.add("location", meeting.location)
        if meeting.attendance == Meeting.Attendance.CANCELLED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()
