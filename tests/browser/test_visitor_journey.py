"""A visitor in English: the public status lookup, an outreach event registration, its calendar file."""

import icalendar
import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.permits.factories import ApplicationFactory
from tests.services.outreach.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_visitor_looks_up_a_status_registers_for_an_event_and_downloads_the_calendar(
    page, journey, live_server
):
    case = ApplicationFactory(complete=True, state="submitted")
    event = EventFactory(title_en="Foreign experts see Pudong")
    visitor = UserFactory(email="visitor@example.com", password="a-long-Passphrase-7")

    page.goto(f"{live_server.url}/en/applications/status/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the status of an application")
    journey.check("status lookup")
    page.get_by_label("Application reference").fill(case.reference)
    page.get_by_label("Applicant's date of birth").fill(case.date_of_birth.isoformat())
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("status")).to_contain_text(case.reference)
    journey.check("status found")

    page.goto(f"{live_server.url}/en/outreach/events/{event.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Foreign experts see Pudong")
    journey.check("event")
    page.get_by_role("link", name="Sign in to register").click()
    page.get_by_label("E-mail").fill(visitor.email)
    page.get_by_label("Password").fill("a-long-Passphrase-7")
    journey.check("sign in")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/en/outreach/events/{event.pk}/")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered.")).to_be_visible()
    assert event.registrations.get(user=visitor).status == "confirmed"
    journey.check("registered")

    page.goto(f"{live_server.url}/en/outreach/events/{event.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    calendar = icalendar.Calendar.from_ical(download_info.value.path().read_bytes())
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Foreign experts see Pudong"
