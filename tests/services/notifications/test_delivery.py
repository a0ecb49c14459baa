"""Writing rows and delivering them: once, with retries, never failing the change that wrote them."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.db import transaction
from django.utils import timezone

from services.notifications import actions, delivery, tasks
from services.notifications.actions import notification_create
from services.notifications.models import Notification, Preference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CASE = {
    "reference": "SH2026-AAAA-BBBB",
    "applicant_name": "KIM MINJUN",
    "organization": "Example Co.",
    "state": "accepted",
}


def _accepted(recipient, *, key="accepted-1", actor=None):
    return notification_create(
        actor=actor or recipient,
        kind="application_accepted",
        recipient=recipient,
        context={**CASE, "target_date": "2026-03-16", "statutory_limit": "2026-03-30"},
        dedupe_key=key,
        link="/en/applications/7a1c1c62-4d0b-4d8e-9a64-0d9a3c1f1e11/",
    )


@pytest.fixture
def reader():
    return UserFactory(preferred_language="ko", full_name="Kim Minjun")


def test_a_row_is_written_once_per_dedupe_key(reader):
    first = _accepted(reader)
    assert first is not None and first.status == "pending" and first.language == "ko"
    # The link is stored without its language prefix: delivery adds the reader's.
    assert first.link == "/applications/7a1c1c62-4d0b-4d8e-9a64-0d9a3c1f1e11/"
    assert _accepted(reader) is None
    assert Notification.objects.count() == 1


def test_unknown_kinds_missing_keys_and_lazy_texts_are_programming_errors(reader):
    from django.utils.translation import gettext_lazy

    with pytest.raises(ValueError, match="Unknown notification kind"):
        notification_create(actor=reader, kind="nope", recipient=reader, context={}, dedupe_key="a")
    with pytest.raises(ValueError, match="lacks context keys"):
        notification_create(
            actor=reader, kind="application_accepted", recipient=reader, context=CASE, dedupe_key="b"
        )
    with pytest.raises(TypeError, match="lazy translation"):
        notification_create(
            actor=reader,
            kind="organization_refused",
            recipient=reader,
            context={"organization": "X", "note": gettext_lazy("Pending")},
            dedupe_key="c",
        )


def test_delivery_after_commit_sends_the_mail_and_shows_the_inbox_entry(
    reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        row = _accepted(reader)
        assert mail.outbox == []  # nothing leaves before the change commits
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 1
    assert row.emailed_at is not None and row.visible_at is not None and row.sent_at is not None
    [message] = mail.outbox
    assert message.to == [reader.email]
    assert message.extra_headers["Message-ID"] == delivery.message_id(row)
    assert "/ko/applications/7a1c1c62-4d0b-4d8e-9a64-0d9a3c1f1e11/" in message.body


def test_a_rolled_back_change_writes_and_sends_nothing(reader, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _accepted(reader)
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_second_delivery_of_the_same_row_sends_nothing(reader):
    row = _accepted(reader)
    assert delivery.deliver(row.pk) == delivery.SENT
    assert delivery.deliver(row.pk) == delivery.SKIPPED
    assert tasks.deliver_notification.apply(args=[row.pk]).get() == delivery.SKIPPED
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1


def test_a_broker_outage_never_fails_the_change(reader, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(
            tasks.deliver_notification, "apply_async", side_effect=ConnectionRefusedError()
        ) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = _accepted(reader, key="one")
        second = _accepted(reader, key="two")
    # The first failure pauses publishing for a while: the second request did not wait for it.
    assert delay.call_count == 1
    assert Notification.objects.filter(pk__in=[first.pk, second.pk], status="pending").count() == 2
    actions.broker_pause_reset()


def test_the_sweeper_resends_rows_pending_after_the_grace_period(reader, settings):
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 120
    with mock.patch.object(tasks.deliver_notification, "apply_async", side_effect=ConnectionRefusedError()):
        row = _accepted(reader)
        assert actions.enqueue(row.pk) is False
    assert delivery.requeue_due() == 0  # still within the grace period
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert tasks.sweep_notifications.apply().get() == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(mail.outbox) == 1


def test_the_sweeper_resends_a_row_at_most_once_per_grace_period(reader, settings):
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 120
    row = _accepted(reader)
    with mock.patch.object(tasks.deliver_notification, "apply_async") as delay:
        with time_machine.travel(timezone.now() + timedelta(minutes=3)):
            assert delivery.requeue_due() == 1
            assert delivery.requeue_due() == 0
        with time_machine.travel(timezone.now() + timedelta(minutes=6)):
            assert delivery.requeue_due() == 1
    assert [call.args[0] for call in delay.call_args_list] == [(row.pk,), (row.pk,)]


def test_a_failing_smtp_server_is_retried_with_exponential_back_off(reader, smtp_sink, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 10
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    smtp_sink.refuse_next = 2
    row = _accepted(reader)

    delays = []
    for attempt in (1, 2):
        with pytest.raises(delivery.TransientDeliveryError) as error:
            delivery.deliver(row.pk)
        row.refresh_from_db()
        assert row.status == "pending" and row.attempts == attempt
        assert "451" in row.last_error
        assert row.visible_at is not None  # the inbox does not wait for the mail server
        delays.append(error.value.countdown)
        assert row.next_attempt_at > timezone.now()
    assert 9 <= delays[0] <= 11 and 18 <= delays[1] <= 22

    assert delivery.deliver(row.pk) == delivery.SENT
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 3 and row.last_error == ""
    assert smtp_sink.count() == 1 and smtp_sink.refused == 2
    assert smtp_sink.messages[0]["To"] == reader.email


def test_the_task_asks_celery_to_retry_after_the_back_off(reader, smtp_sink):
    smtp_sink.refuse_next = 1
    row = _accepted(reader)
    with (
        mock.patch.object(tasks.deliver_notification, "retry", side_effect=Retry()) as retry,
        pytest.raises(Retry),
    ):
        tasks.deliver_notification(row.pk)
    assert retry.call_args.kwargs["countdown"] > 0
    # In process (no broker) the request is not held up: the row waits for the sweeper.
    smtp_sink.refuse_next = 1
    assert tasks.deliver_notification.apply(args=[row.pk]).get() == delivery.RETRY


def test_a_row_that_keeps_failing_ends_failed(reader, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    row = _accepted(reader)
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError()):
        with pytest.raises(delivery.TransientDeliveryError):
            delivery.deliver(row.pk)
        assert delivery.deliver(row.pk) == delivery.FAILED
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 2 and "ConnectionRefusedError" in row.last_error
    # An administrator sends it again.
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert actions.notification_resend(actor=admin, notification_ids=[row.pk]) == 1
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 0


def test_a_template_error_fails_the_row_at_once(reader):
    row = _accepted(reader)
    Notification.objects.filter(pk=row.pk).update(kind="kind_without_templates")
    assert delivery.deliver(row.pk) == delivery.FAILED
    row.refresh_from_db()
    assert row.status == "failed" and row.last_error.startswith("render:")


def test_e_mail_can_be_switched_off_except_for_legal_notices(reader):
    Preference.objects.create(user=reader, kind="application_accepted", email=False)
    Preference.objects.create(user=reader, kind="application_refused", email=False)  # ignored
    accepted = _accepted(reader)
    refused = notification_create(
        actor=reader,
        kind="application_refused",
        recipient=reader,
        context={**CASE, "reasons": [{"code": "x", "text": "Reason"}]},
        dedupe_key="refused",
    )
    assert delivery.deliver(accepted.pk) == delivery.SENT
    assert delivery.deliver(refused.pk) == delivery.SENT
    assert [message.subject for message in mail.outbox] == [delivery.render(refused).subject]
    accepted.refresh_from_db()
    assert accepted.visible_at is not None and accepted.emailed_at is None


def test_an_invitation_to_an_address_has_no_inbox_and_forgets_its_link_once_sent():
    row = notification_create(
        actor=UserFactory(),
        kind="hr_invitation",
        email="someone@example.kr",
        language="ko",
        context={
            "organization": "Example Co.",
            "inviter": "Wang Fang",
            "accept_url": "/ko/accounts/invitations/secret-token/",
            "expires": "2026-03-16",
        },
        dedupe_key="hr_invitation:1",
    )
    assert row.channel == "email"
    assert delivery.deliver(row.pk) == delivery.SENT
    assert "secret-token" in mail.outbox[0].body
    row.refresh_from_db()
    assert row.visible_at is None
    assert "secret-token" not in str(row.context)


def test_backoff_grows_exponentially_up_to_the_cap(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 15
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 1800
    delays = [delivery.backoff(attempt) for attempt in range(1, 10)]
    assert 13 <= delays[0] <= 17 and 27 <= delays[1] <= 33 and 54 <= delays[2] <= 66
    assert max(delays) <= 1800 * 1.1
