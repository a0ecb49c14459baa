"""Every empty list says what to do next: a sentence, and a link where there is something to do."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client, language: str, name: str, query: str = "", **kwargs) -> str:
    with translation.override(language):
        address = reverse(name, kwargs=kwargs or None)
    response = client.get(address + query)
    assert response.status_code == 200
    return response.content.decode()


def said(language: str, text: str) -> str:
    with translation.override(language):
        translated = gettext(text)
    if language != "en":
        assert translated != text, f"{text!r} is not translated into {language}"
    return translated


def link(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return f'href="{reverse(name, kwargs=kwargs or None)}"'


@pytest.mark.parametrize("language", ["en", "ja"])
def test_an_applicant_without_applications_is_told_how_to_start_one(client, language):
    client.force_login(UserFactory())
    body = page(client, language, "permits:my_applications")
    assert said(language, "You have no applications yet.") in body
    assert (
        said(
            language,
            "If your employer has invited you, open the link in their e-mail. You can also start an application yourself.",
        )
        in body
    )
    assert said(language, "A permit is listed here as soon as it is issued to you.") in body
    assert body.count(link(language, "permits:application_start")) == 2  # the button and the empty list


def test_an_empty_inbox_explains_what_arrives_there_and_links_the_settings(client):
    client.force_login(UserFactory())
    body = page(client, "ko", "notifications:inbox")
    assert said("ko", "You have no messages yet.") in body
    assert link("ko", "notifications:preferences") in body
    unread = page(client, "ko", "notifications:inbox", "?unread=1")
    assert said("ko", "You have no unread messages.") in unread
    assert said("ko", "See all messages") in unread


def test_an_empty_officer_queue_says_nothing_waits_and_a_filtered_one_offers_to_clear(client):
    client.force_login(UserFactory(duties=["work_permit_officer"]))
    body = page(client, "zh-hans", "permits:queue")
    assert (
        said("zh-hans", "New cases appear here as soon as they are submitted; nothing waits for you now.")
        in body
    )
    filtered = page(client, "zh-hans", "permits:queue", "?q=SH2099")
    assert said("zh-hans", "Clear the filters to see every case") in filtered
    assert link("zh-hans", "permits:queue") in filtered


def test_an_employer_without_staff_is_offered_to_invite_an_employee(client):
    organization = OrganizationFactory(verified=True)
    client.force_login(UserFactory(member_of=organization, member_of__role="administrator"))
    body = page(client, "ko", "permits:employer_staff", organization_id=organization.pk)
    assert said("ko", "Permits of your staff are listed here once they are issued.") in body
    assert said("ko", "Invite an employee to apply") in body
    assert link("ko", "permits:employer_start", organization_id=organization.pk) in body
    filtered = page(
        client, "ko", "permits:employer_staff", "?state=submitted", organization_id=organization.pk
    )
    assert said("ko", "Show all") in filtered


def test_no_api_token_yet_points_to_the_form_that_creates_one(client):
    client.force_login(UserFactory())
    body = page(client, "ja", "accounts:api_tokens")
    assert said("ja", "You have no tokens.") in body
    assert 'href="#create-token"' in body and 'id="create-token"' in body


def test_no_service_request_yet_offers_to_ask_a_station(client):
    client.force_login(UserFactory())
    body = page(client, "zh-hans", "outreach:service_requests")
    assert (
        said("zh-hans", "Service stations answer questions about work, residence and life in Shanghai.")
        in body
    )
    assert link("zh-hans", "outreach:service_request_create") in body


def test_no_event_for_the_filters_offers_all_events(client):
    body = page(client, "ja", "outreach:events", "?event_type=international_salon")
    assert said("ja", "No event matches.") in body
    assert said("ja", "Show all events") in body
    unfiltered = page(client, "ja", "outreach:events")
    assert said("ja", "New events are announced here; come back soon.") in unfiltered
