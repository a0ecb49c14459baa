"""Rendering and delivering one notification row, idempotently; resending what is overdue.

Claiming
    ``deliver`` locks the row (``SELECT … FOR UPDATE SKIP LOCKED``) and works only on a row that
    is still pending, so a second delivery of the same task, or a copy enqueued by the sweeper
    while the first is running, sends nothing. The e-mail is sent while the lock is held and the
    row is marked sent in the same transaction.

Crashes
    A worker that dies before the SMTP server accepted the mail leaves the row pending (its
    transaction is rolled back, the lock released) and the sweeper sends it again. A worker that
    dies after the SMTP server accepted the mail but before the commit also leaves it pending:
    the mail goes out a second time. That window is a few milliseconds per message, it can only
    repeat *this* row (the dedupe key allows one row per event and recipient), and both copies
    carry the same ``Message-ID``, which lets mail systems and clients fold them into one.

Failures
    SMTP and connection errors are transient: the attempt is counted, the error kept, the next
    attempt scheduled with exponential back-off (the task retries at that time, the sweeper a
    grace period later if the retry was lost). After ``NOTIFICATIONS_MAX_ATTEMPTS`` the row is
    failed. A template that is missing or does not render, an unknown kind or an address the
    server refuses for good fail the row at once: retrying cannot help, an administrator must.
"""

import hashlib
import logging
import random
import re
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import conf, kinds
from .actions import broker_pause_reset, enqueue
from .models import Channel, Notification, Preference, Status

logger = logging.getLogger(__name__)

SENT, FAILED, RETRY, SKIPPED = "sent", "failed", "retry", "skipped"


class TransientDeliveryError(Exception):
    """Delivery failed for a reason that may pass (SMTP or connection trouble): retry later."""

    def __init__(self, message: str, *, countdown: float):
        super().__init__(message)
        self.countdown = countdown


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _language(notification: Notification) -> str:
    # The recipient's preference when the message goes out, not when it was written.
    if notification.recipient_id and notification.recipient.preferred_language:
        return notification.recipient.preferred_language
    return notification.language or settings.LANGUAGE_CODE


def render_context(notification: Notification, language: str) -> dict:
    """The template context: the row's plain values plus full URLs in ``language``."""
    kind = kinds.get(notification.kind)
    context = {
        **notification.context,
        "kind": notification.kind,
        "legal": kind.legal,
        "site_url": settings.SITE_URL,
        "link": notification.link,
        "recipient_name": notification.recipient.full_name if notification.recipient_id else "",
    }
    if notification.link:
        context["url"] = f"{settings.SITE_URL}/{language}{notification.link}"
    accept_url = notification.context.get("accept_url")
    if accept_url:
        context["accept_link"] = f"{settings.SITE_URL}{accept_url}"
    if notification.recipient_id and not kind.legal and not kind.email_only:
        with translation.override(language):
            context["preferences_url"] = settings.SITE_URL + reverse("notifications:preferences")
    return context


_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")


def render(notification: Notification, language: str | None = None) -> Rendered:
    """Subject, text and HTML of a notification, in the recipient's language (or ``language``)."""
    language = language or _language(notification)
    with translation.override(language):
        context = render_context(notification, language)
        subject = " ".join(render_to_string(f"emails/{notification.kind}.subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"emails/{notification.kind}.txt", context)
        html = render_to_string(f"emails/{notification.kind}.html", context)
    text = _BLANK_LINES.sub("\n\n", text).strip() + "\n"
    return Rendered(subject=subject, text=text, html=html)


def render_subject(notification: Notification, language: str) -> str:
    """Only the subject, in ``language`` (the inbox shows it as the entry's title)."""
    with translation.override(language):
        context = render_context(notification, language)
        return " ".join(render_to_string(f"emails/{notification.kind}.subject.txt", context).split())


def message_id(notification: Notification) -> str:
    """The same Message-ID for every copy of one row, so that a crash's duplicate can be folded."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    digest = hashlib.sha256(notification.dedupe_key.encode()).hexdigest()[:16]
    return f"<notification.{notification.pk}.{digest}@{domain}>"


def _email_address(notification: Notification, kind: kinds.Kind) -> str:
    """Where the e-mail goes, or "" when none is due (inbox only, switched off, inactive account)."""
    if notification.channel == Channel.INBOX:
        return ""
    if not notification.recipient_id:
        return notification.email
    user = notification.recipient
    if not user.is_active or not user.email:
        return ""
    if not kind.legal and Preference.objects.filter(user=user, kind=kind.code, email=False).exists():
        return ""
    return user.email


def backoff(attempt: int) -> float:
    """Seconds before the next attempt after the ``attempt``-th failed one (with ±10 % jitter)."""
    base = conf.get("NOTIFICATIONS_RETRY_BASE_SECONDS")
    delay = min(base * 2 ** max(attempt - 1, 0), conf.get("NOTIFICATIONS_RETRY_MAX_SECONDS"))
    return delay * random.uniform(0.9, 1.1)  # noqa: S311 - jitter, not a secret


def _permanent(error: Exception) -> bool:
    """An SMTP refusal that retrying cannot fix: every recipient refused with a 5xx code."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return False


def _send(notification: Notification, rendered: Rendered, address: str) -> None:
    message = EmailMultiAlternatives(
        rendered.subject,
        rendered.text,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers={
            "Message-ID": message_id(notification),
            "Auto-Submitted": "auto-generated",
            "X-Portal-Notification": f"{notification.pk} {notification.kind}",
        },
    )
    message.attach_alternative(rendered.html, "text/html")
    message.send()


def deliver(notification_id: int) -> str:
    """Deliver one pending row: render, e-mail, show in the inbox, mark sent. Returns the outcome.

    Raises ``TransientDeliveryError`` (with the back-off) when the e-mail should be tried again.
    """
    retry_in = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, status=Status.PENDING)
            .first()
        )
        if notification is None:
            # Sent or failed already, or another worker holds it right now.
            return SKIPPED
        now = timezone.now()
        notification.attempts += 1
        outcome = SENT
        try:
            kind = kinds.get(notification.kind)
            rendered = render(notification)
        except Exception as error:  # noqa: BLE001 - a rendering error is a programming error
            outcome = FAILED
            notification.last_error = f"render: {type(error).__name__}: {error}"[:2000]
            logger.error(
                "notification_render_failed",
                extra={"notification_id": notification.pk, "kind": notification.kind},
            )
        else:
            address = _email_address(notification, kind)
            if address:
                try:
                    _send(notification, rendered, address)
                except (smtplib.SMTPException, OSError) as error:
                    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
                    if _permanent(error) or notification.attempts >= conf.get("NOTIFICATIONS_MAX_ATTEMPTS"):
                        outcome = FAILED
                    else:
                        outcome = RETRY
                        retry_in = backoff(notification.attempts)
                        notification.next_attempt_at = now + timedelta(seconds=retry_in)
                else:
                    notification.emailed_at = now
            if notification.recipient_id and notification.channel != Channel.EMAIL:
                # The inbox entry does not wait for a working mail server.
                notification.visible_at = notification.visible_at or now
        if outcome == SENT:
            notification.status = Status.SENT
            notification.sent_at = now
            notification.last_error = ""
            for key in kind.secret_keys:
                notification.context[key] = ""
        elif outcome == FAILED:
            notification.status = Status.FAILED
        notification.save()
    logger.info(
        "notification_delivery",
        extra={"notification_id": notification_id, "outcome": outcome, "attempts": notification.attempts},
    )
    if outcome == RETRY:
        raise TransientDeliveryError(notification.last_error, countdown=retry_in)
    return outcome


def requeue_due(*, grace: timedelta | None = None, limit: int | None = None) -> int:
    """Enqueue again the rows still pending ``grace`` after they were due; returns how many.

    The broker may have lost them (an outage, a restart without persistence, a worker killed
    with its message unacknowledged): the outbox, not the broker, is the truth.
    """
    grace = conf.sweep_grace() if grace is None else grace
    limit = limit or conf.get("NOTIFICATIONS_SWEEP_BATCH")
    now = timezone.now()
    due = list(
        Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now - grace)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return 0
    broker_pause_reset()
    enqueued = []
    for pk in due:
        if not enqueue(pk):
            break
        enqueued.append(pk)
    # Each row is resent at most once per grace period, however long the queue is.
    Notification.objects.filter(pk__in=enqueued, status=Status.PENDING).update(next_attempt_at=now)
    logger.info("notifications_requeued", extra={"due": len(due), "enqueued": len(enqueued)})
    return len(enqueued)
