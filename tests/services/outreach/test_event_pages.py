"""The public event pages: the list and calendar with filters, an event's page in four languages
with fallback, the .ics download and the iCalendar feed (parsed back with icalendar)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.outreach import actions
from services.outreach.models import EventInvitation
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _translated(**overrides):
    return EventFactory(
        title="外国专家看浦东",
        title_zh_hans="外国专家看浦东",
        title_en="Foreign experts see Pudong",
        title_ja="外国人専門家が見る浦東",
        title_ko="",
        description_zh_hans="参观张江",
        description_en="A visit to Zhangjiang",
        description_ja="",
        description_ko="",
        **overrides,
    )


@pytest.mark.parametrize(
    ("language", "title", "description"),
    [
        ("zh-hans", "外国专家看浦东", "参观张江"),
        ("en", "Foreign experts see Pudong", "A visit to Zhangjiang"),
        ("ja", "外国人専門家が見る浦東", "A visit to Zhangjiang"),  # description missing: English
        ("ko", "Foreign experts see Pudong", "A visit to Zhangjiang"),  # nothing in Korean: English
    ],
)
def test_event_content_is_translated_with_fallback(client, language, title, description):
    event = _translated()
    body = client.get(f"/{language}/outreach/events/{event.pk}/").content.decode()
    assert f'<html lang="{language}">' in body
    assert f'<h1 class="h3">{title}</h1>' in body
    assert description in body


def test_chinese_is_the_last_resort_when_neither_the_language_nor_english_exist(client):
    event = EventFactory(title_zh_hans="仅有中文", title_en="", title_ko="")
    assert "仅有中文" in client.get(f"/ko/outreach/events/{event.pk}/").content.decode()


def test_the_list_filters_by_type_and_language_and_hides_drafts_and_invited_events(client):
    visit = EventFactory(event_type="site_visit", languages=["zh", "en"])
    training = EventFactory(event_type="training", languages=["ja"])
    draft = EventFactory(draft=True)
    private = EventFactory(audience="invited")
    past = EventFactory(
        starts_at=timezone.now() - timedelta(days=3),
        registration_opens_at=timezone.now() - timedelta(days=30),
    )

    listed = client.get("/en/outreach/events/").context["events"]
    assert {event.pk for event in listed} == {visit.pk, training.pk}
    assert [e.pk for e in client.get("/en/outreach/events/?event_type=training").context["events"]] == [
        training.pk
    ]
    assert [e.pk for e in client.get("/en/outreach/events/?language=ja").context["events"]] == [training.pk]
    assert [e.pk for e in client.get("/en/outreach/events/?when=past").context["events"]] == [past.pk]
    assert client.get(f"/en/outreach/events/{draft.pk}/").status_code == 404
    assert client.get(f"/en/outreach/events/{private.pk}/").status_code == 404


def test_an_invited_guest_sees_the_invited_event(client):
    event = EventFactory(audience="invited")
    guest = UserFactory()
    EventInvitation.objects.create(event=event, email=guest.email.upper())
    client.force_login(guest)
    assert client.get(f"/en/outreach/events/{event.pk}/").status_code == 200
    assert event.pk in {e.pk for e in client.get("/en/outreach/events/").context["events"]}


def test_places_left_and_my_registration_are_shown(client):
    event = EventFactory(capacity=2)
    person = UserFactory()
    actions.registration_create(actor=person, event=event)
    client.force_login(person)
    [listed] = client.get("/en/outreach/events/").context["events"]
    assert listed.places_left == 1 and listed.my_registration.status == "confirmed"


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_list_makes_the_same_number_of_queries_whatever_its_length(client, signed_in):
    person = UserFactory()
    if signed_in:
        client.force_login(person)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/outreach/events/").status_code == 200
        return len(queries)

    for _ in range(2):
        RegistrationFactory(event=EventFactory(), user=person)
    small = count()
    for _ in range(10):
        RegistrationFactory(event=EventFactory(), user=person)
    assert len(client.get("/en/outreach/events/").context["events"]) == 12
    assert count() == small


def test_the_calendar_shows_a_month_with_each_event_on_its_days(client):
    start = datetime(2031, 5, 20, 9, 30, tzinfo=SHANGHAI)
    event = EventFactory(
        starts_at=start,
        ends_at=start + timedelta(days=1, hours=2),
        registration_opens_at=start - timedelta(days=30),
        registration_closes_at=start - timedelta(days=1),
    )
    response = client.get("/en/outreach/events/calendar/?month=2031-05")
    assert response.status_code == 200
    days = {
        day["date"].day: day["events"]
        for week in response.context["weeks"]
        for day in week
        if day["in_month"]
    }
    assert days[20] == [event] and days[21] == [event] and days[22] == []
    body = response.content.decode()
    assert "?month=2031-04" in body and "?month=2031-06" in body
    assert "style=" not in body and "<script>" not in body
    assert (
        client.get("/en/outreach/events/calendar/?month=2031-05&event_type=training").context["events"] == []
    )


def test_the_ics_of_an_event_parses_back_with_shanghai_times(client):
    start = datetime(2031, 5, 20, 9, 30, tzinfo=SHANGHAI)
    event = _translated(
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        registration_opens_at=start - timedelta(days=30),
        registration_closes_at=start - timedelta(days=1),
    )
    response = client.get(f"/ja/outreach/events/{event.pk}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")

    calendar = icalendar.Calendar.from_ical(response.content)
    [component] = calendar.walk("VEVENT")
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Shanghai"
    assert component.decoded("dtstart") == start
    assert component.decoded("dtstart").tzinfo.key == "Asia/Shanghai"
    assert component.decoded("dtend") == start + timedelta(hours=6)
    assert str(component["summary"]) == "外国人専門家が見る浦東"
    assert str(component["status"]) == "CONFIRMED"
    assert str(component["uid"]).startswith(f"outreach-event-{event.pk}@")
    assert component.decoded("dtstamp").utcoffset() == timedelta(0)
    assert b"DTSTART;TZID=Asia/Shanghai:20310520T093000" in response.content


def test_the_feed_holds_every_public_event_and_marks_cancelled_ones(client):
    listed = EventFactory()
    cancelled = EventFactory(status="cancelled")
    EventFactory(draft=True)
    EventFactory(audience="invited")

    response = client.get("/en/outreach/events/feed.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(component["uid"]): str(component["status"]) for component in calendar.walk("VEVENT")}
    assert len(events) == 2
    assert events[next(uid for uid in events if f"-{listed.pk}@" in uid)] == "CONFIRMED"
    assert events[next(uid for uid in events if f"-{cancelled.pk}@" in uid)] == "CANCELLED"


def test_the_online_link_is_for_confirmed_participants_only(client):
    event = EventFactory(event_type="online_gathering", online_url="https://meet.example.cn/abc", venue="")
    assert "meet.example.cn/abc" not in client.get(f"/en/outreach/events/{event.pk}/").content.decode()
    registration = RegistrationFactory(event=event)
    client.force_login(registration.user)
    assert "meet.example.cn/abc" in client.get(f"/en/outreach/events/{event.pk}/").content.decode()
