"""The directory (liaison offices, service stations) and service requests: the person asks, the
station's staff answer from their queue, nobody else sees the conversation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.notifications.models import Notification
from services.outreach import actions
from services.outreach.models import ServiceRequest
from talent_portal.core.errors import Forbidden, NotAllowed, NotFound
from tests.factories import UserFactory

from .factories import OfficeFactory, StationFactory

pytestmark = pytest.mark.django_db


def test_offices_are_listed_with_country_names_in_the_page_language_and_filtered(client):
    usa = OfficeFactory(countries=["USA"], name_ja="サンフランシスコ連絡事務所")
    OfficeFactory(countries=["DEU"])
    OfficeFactory(countries=["FRA"], is_active=False)

    response = client.get("/ja/outreach/directory/liaison-offices/")
    assert len(response.context["offices"]) == 2
    body = response.content.decode()
    assert "サンフランシスコ連絡事務所" in body and "アメリカ合衆国" in body
    assert [
        o.pk for o in client.get("/en/outreach/directory/liaison-offices/?country=USA").context["offices"]
    ] == [usa.pk]


def test_stations_are_filtered_by_district_language_and_topic(client):
    hongqiao = StationFactory(district="minhang", languages=["zh", "en", "ja", "ko"], topics=["schooling"])
    StationFactory(district="pudong", languages=["zh"], topics=["permits"])
    url = "/en/outreach/directory/service-stations/"
    assert len(client.get(url).context["stations"]) == 2
    for query in (
        "?district=minhang",
        "?language=ko",
        "?topic=schooling",
        "?district=minhang&topic=schooling",
    ):
        assert [s.pk for s in client.get(url + query).context["stations"]] == [hongqiao.pk], query
    assert client.get(url + "?district=jinshan").context["stations"] == []
    body = client.get(url).content.decode()
    assert "Korean" in body and "Schooling" in body


@pytest.fixture
def station(door_staff):
    return StationFactory(staff_members=[door_staff])


def test_a_request_is_answered_by_the_station_and_the_person_is_told(client, expert, station, door_staff):
    client.force_login(expert)
    response = client.post(
        "/en/outreach/requests/new/",
        {
            "station": station.pk,
            "topic": "schooling",
            "subject": "School for my son",
            "body": "Which schools?",
        },
    )
    request = ServiceRequest.objects.get()
    assert response["Location"] == f"/en/outreach/requests/{request.pk}/"
    assert request.status == "open"

    client.force_login(door_staff)
    assert request in client.get("/en/outreach/station/queue/").context["requests"]
    client.post(f"/en/outreach/requests/{request.pk}/", {"body": "Try the international school in Minhang."})
    request.refresh_from_db()
    assert request.status == "answered"
    [row] = Notification.objects.filter(kind="service_request_replied")
    assert row.recipient == expert and row.context["request_subject"] == "School for my son"

    client.force_login(expert)
    page = client.get(f"/en/outreach/requests/{request.pk}/").content.decode()
    assert "Try the international school in Minhang." in page and "Answered" in page
    client.post(f"/en/outreach/requests/{request.pk}/", {"body": "Thank you, and the fees?"})
    request.refresh_from_db()
    assert request.status == "open" and request.messages.count() == 3
    client.post(f"/en/outreach/requests/{request.pk}/close/")
    request.refresh_from_db()
    assert request.status == "closed"
    with pytest.raises(NotAllowed):
        actions.service_request_reply(actor=door_staff, request=request, body="Late answer")


def test_nobody_else_sees_or_answers_a_request(client, expert, station):
    request = actions.service_request_create(
        actor=expert, station=station, topic="housing", subject="Flat", body="Where to rent?"
    )
    other_staff = UserFactory(duties=["service_station_staff"])
    StationFactory(staff_members=[other_staff])
    for person in (UserFactory(), other_staff, UserFactory(duties=["administrator"])):
        client.force_login(person)
        assert client.get(f"/en/outreach/requests/{request.pk}/").status_code == 404, person
        assert request not in client.get("/en/outreach/requests/").context["requests"]
    with pytest.raises(Forbidden):
        actions.service_request_reply(actor=other_staff, request=request, body="Hello")
    with pytest.raises(NotFound):
        actions.service_request_follow_up(actor=other_staff, request=request, body="Hello")
    with pytest.raises(NotFound):
        actions.service_request_close(actor=UserFactory(), request=request)


def test_the_queue_is_for_station_staff_only(client, expert):
    client.force_login(expert)
    assert client.get("/en/outreach/station/queue/").status_code == 404


def test_the_queue_makes_the_same_number_of_queries_whatever_its_length(client, station, door_staff):
    def fill(count):
        for _ in range(count):
            actions.service_request_create(
                actor=UserFactory(), station=station, topic="permits", subject="Permit", body="Question"
            )

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get("/en/outreach/station/queue/")
        assert response.status_code == 200
        return len(context), len(response.context["requests"])

    client.force_login(door_staff)
    fill(2)
    small, listed = queries()
    assert listed == 2
    fill(12)
    large, listed = queries()
    assert listed == 14 and large == small


def test_a_request_needs_a_message_and_an_active_station(expert, station):
    from talent_portal.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        actions.service_request_create(
            actor=expert, station=station, topic="housing", subject="Flat", body=" "
        )
    station.is_active = False
    with pytest.raises(InvalidInput):
        actions.service_request_create(
            actor=expert, station=station, topic="housing", subject="Flat", body="Hi"
        )
