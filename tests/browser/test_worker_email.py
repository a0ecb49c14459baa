"""An e-mail travels as in production: outbox row → Redis → the Celery worker → the mailbox.

A visitor in Japanese registers for an event; the confirmation is not sent by the request (eager
mode is off) but by the worker thread, and its link opens the registration on the live server.
"""

import threading

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from services.notifications.models import Notification
from tests.factories import UserFactory
from tests.services.outreach.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def ja(text: str) -> str:
    with translation.override("ja"):
        return gettext(text)


def test_the_registration_confirmation_is_sent_by_the_worker_and_its_link_opens_the_registration(
    page, journey, live_server, celery_worker, wait_for_email
):
    event = EventFactory(
        title_ja="浦東の企業見学会", title_en="A visit in Pudong", venue_ja="浦東新区世紀大道 1 号"
    )
    visitor = UserFactory(email="hanako@example.com", password="a-long-Passphrase-7", preferred_language="ja")

    page.goto(f"{live_server.url}/ja/outreach/events/{event.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("浦東の企業見学会")
    page.get_by_role("link", name=ja("Sign in to register")).click()
    page.get_by_label(ja("E-mail address")).fill(visitor.email)
    page.get_by_label(ja("Password")).fill("a-long-Passphrase-7")
    page.get_by_role("button", name=ja("Sign in")).click()
    expect(page).to_have_url(f"{live_server.url}/ja/outreach/events/{event.pk}/")
    page.get_by_role("button", name=ja("Register")).click()
    expect(page.get_by_text(ja("You are registered. Show the QR code below at the door."))).to_be_visible()
    journey.check("registered")

    message, link = wait_for_email(visitor.email, link=r"/ja/outreach/registrations/\d+/")
    registration = event.registrations.get(user=visitor)
    assert registration.code in message.body
    assert "浦東の企業見学会" in message.subject + message.body
    row = Notification.objects.get(kind="registration_confirmed", recipient=visitor)
    assert row.status == "sent"
    assert message.extra_headers["X-Portal-Notification"] == f"{row.pk} registration_confirmed"
    # Sent by the worker, from the queue: not in the request, not eagerly, not in this thread.
    [delivery] = [task for task in celery_worker.tasks if task[0].endswith("deliver_notification")]
    name, args, thread, eager = delivery
    assert args == (row.pk,) and not eager
    assert thread != threading.current_thread().name

    page.goto(link)
    expect(page).to_have_url(link)
    expect(page.get_by_text(registration.code).first).to_be_visible()
    journey.check("registration from the e-mail")
