"""The language switcher keeps the page and what the person has typed into its form."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_switching_language_keeps_the_page_and_the_typed_values(page, journey, live_server):
    page.goto(f"{live_server.url}/en/applications/status/")
    page.get_by_label("Application reference").fill("SH2026-7K3M-Q9TX")
    page.get_by_label("Applicant's date of birth").fill("1992-05-17")
    journey.check("typed in english")

    page.get_by_role("button", name="日本語").click()

    expect(page).to_have_url(f"{live_server.url}/ja/applications/status/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    with translation.override("ja"):
        heading = gettext("Check the status of an application")
        reference, date_of_birth = gettext("Application reference"), gettext("Applicant's date of birth")
    assert heading != "Check the status of an application"  # the page really is in Japanese
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_label(reference)).to_have_value("SH2026-7K3M-Q9TX")
    expect(page.get_by_label(date_of_birth)).to_have_value("1992-05-17")
    expect(page.get_by_role("button", name="日本語")).to_have_attribute("aria-current", "true")
    journey.check("switched to japanese")

    # What was carried over is used once: a later visit to the page starts empty.
    page.reload()
    expect(page.get_by_label(reference)).to_have_value("")
