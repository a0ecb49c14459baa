"""The outreach API: events, registrations, check-in and the directory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.outreach.models import Registration
from tests.factories import UserFactory

from .factories import EventFactory, OfficeFactory, RegistrationFactory, StationFactory

pytestmark = pytest.mark.django_db


def test_events_are_public_and_in_the_requested_language(api_client):
    event = EventFactory(title_ja="浦東視察", online_url="https://meet.example.cn/x")
    EventFactory(draft=True)
    response = api_client.get("/api/v1/outreach/events/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["id"] == event.pk and item["title"] == "浦東視察"
    assert item["places_left"] == 2 and item["my_registration"] is None and item["online"] is True
    assert item["ics_url"].endswith(f"/outreach/events/{event.pk}/event.ics")
    assert "online_url" not in item
    detail = api_client.get(f"/api/v1/outreach/events/{event.pk}/").json()
    assert detail["online_url"] == ""


def test_the_event_list_makes_the_same_number_of_queries_at_two_page_sizes(api_client):
    person = UserFactory()
    api_client.force_authenticate(person)
    for _ in range(12):
        RegistrationFactory(event=EventFactory(), user=person)

    def queries(page_size):
        with CaptureQueriesContext(connection) as context:
            response = api_client.get(f"/api/v1/outreach/events/?page_size={page_size}")
        results = response.json()["results"]
        assert len(results) == page_size
        assert all(item["my_registration"]["status"] == "confirmed" for item in results)
        return len(context)

    assert queries(2) == queries(10)


def test_register_list_and_cancel_through_the_api(api_client):
    event = EventFactory(capacity=1)
    first, second = UserFactory.create_batch(2)
    api_client.force_authenticate(first)
    created = api_client.post(f"/api/v1/outreach/events/{event.pk}/register/", HTTP_IDEMPOTENCY_KEY="k1")
    assert created.status_code == 201 and created.json()["status"] == "confirmed"
    assert created.json()["check_in_token"].startswith(created.json()["code"] + ":")
    replay = api_client.post(f"/api/v1/outreach/events/{event.pk}/register/", HTTP_IDEMPOTENCY_KEY="k1")
    assert replay.json() == created.json() and replay["Idempotent-Replayed"] == "true"
    again = api_client.post(f"/api/v1/outreach/events/{event.pk}/register/")
    assert again.status_code == 409 and again.json()["code"] == "already_registered"

    api_client.force_authenticate(second)
    waiting = api_client.post(f"/api/v1/outreach/events/{event.pk}/register/").json()
    assert waiting["status"] == "waitlisted" and waiting["waitlist_position"] == 1
    assert waiting["check_in_token"] is None

    api_client.force_authenticate(first)
    mine = api_client.get("/api/v1/outreach/registrations/").json()["results"]
    assert [item["id"] for item in mine] == [created.json()["id"]]
    assert api_client.get(f"/api/v1/outreach/registrations/{waiting['id']}/").status_code == 404
    assert api_client.post(f"/api/v1/outreach/registrations/{waiting['id']}/cancel/").status_code == 404
    cancelled = api_client.post(f"/api/v1/outreach/registrations/{created.json()['id']}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert Registration.objects.get(pk=waiting["id"]).status == "confirmed"


def test_registering_needs_an_account(api_client):
    event = EventFactory()
    response = api_client.post(f"/api/v1/outreach/events/{event.pk}/register/")
    assert response.status_code == 401


def test_check_in_through_the_api_once(api_client, door_staff):
    registration = RegistrationFactory()
    api_client.force_authenticate(registration.user)
    token = api_client.get(f"/api/v1/outreach/registrations/{registration.pk}/").json()["check_in_token"]
    assert api_client.post("/api/v1/outreach/check-in/", {"token": token}).status_code == 403

    api_client.force_authenticate(door_staff)
    first = api_client.post("/api/v1/outreach/check-in/", {"token": token, "event_id": registration.event_id})
    assert first.status_code == 200 and first.json()["full_name"] == registration.user.full_name
    second = api_client.post("/api/v1/outreach/check-in/", {"token": token})
    assert second.status_code == 409 and second.json()["code"] == "already_checked_in"
    assert api_client.post("/api/v1/outreach/check-in/", {"token": "forged:token"}).status_code == 404


def test_the_directory_is_public(api_client):
    OfficeFactory(countries=["JPN"], name_ko="오사카 연락사무소")
    StationFactory(languages=["ko"], topics=["medical"])
    offices = api_client.get(
        "/api/v1/outreach/liaison-offices/?country=jpn", HTTP_ACCEPT_LANGUAGE="ko"
    ).json()
    assert [office["name"] for office in offices] == ["오사카 연락사무소"]
    stations = api_client.get("/api/v1/outreach/service-stations/?topic=medical").json()
    assert len(stations) == 1 and stations[0]["languages"] == ["ko"]
    assert api_client.get("/api/v1/outreach/service-stations/?topic=housing").json() == []
