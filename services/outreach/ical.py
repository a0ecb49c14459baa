"""iCalendar (RFC 5545) files of events, written with the maintained ``icalendar`` library.

Times carry ``TZID=Asia/Shanghai`` with the matching ``VTIMEZONE``; the time stamps are UTC.
Texts are in the active language (the page's), falling back like the pages do.
"""

from datetime import UTC
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import EventStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _uid(event) -> str:
    return f"outreach-event-{event.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def _vevent(event) -> icalendar.Event:
    url = settings.SITE_URL + reverse("outreach:event", kwargs={"pk": event.pk})
    component = icalendar.Event()
    component.add("uid", _uid(event))
    component.add("dtstamp", (event.updated_at or timezone.now()).astimezone(UTC))
    component.add("last-modified", (event.updated_at or timezone.now()).astimezone(UTC))
    component.add("dtstart", event.starts_at.astimezone(SHANGHAI))
    component.add("dtend", event.ends_at.astimezone(SHANGHAI))
    component.add("summary", event.title)
    component.add("description", f"{event.description}\n\n{url}")
    location = event.venue or event.online_url
    if location:
        component.add("location", location)
    component.add("url", url)
    component.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return component


def calendar_of(events, *, name: str) -> bytes:
    """A VCALENDAR holding ``events``, as bytes ready to serve as ``text/calendar``."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Shanghai Foreign Talent Service Portal//Outreach//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for event in events:
        calendar.add_component(_vevent(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()
