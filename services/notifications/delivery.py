"""Rendering and delivering one notification row, idempotently.

The row is claimed with a row lock and delivered only while it is pending, so a second delivery
of the same task sends nothing. The e-mail is sent inside the locked transaction and the row is
marked sent in that same transaction: if the worker dies after the SMTP server accepted the mail
but before the commit, the row stays pending and the sweeper sends it again — at most one
duplicate per crash, never a lost message (see tests/services/notifications).
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Channel, Notification, Status

logger = logging.getLogger(__name__)


class TransientDeliveryError(Exception):
    """Delivery failed for a reason that may pass (SMTP or connection trouble): retry later."""


def render(notification: Notification) -> tuple[str, str, str]:
    """Subject, text and HTML of a notification, in the recipient's language."""
    context = {
        **notification.context,
        "site_url": settings.SITE_URL,
        "link": notification.link,
        "recipient_name": notification.recipient.full_name if notification.recipient_id else "",
    }
    with translation.override(notification.language):
        if notification.link:
            context["url"] = f"{settings.SITE_URL}/{translation.get_language()}{notification.link}"
        subject = render_to_string(f"emails/{notification.kind}.subject.txt", context)
        text = render_to_string(f"emails/{notification.kind}.txt", context)
        html = render_to_string(f"emails/{notification.kind}.html", context)
    return " ".join(subject.split()), text, html


def _address(notification: Notification) -> str:
    if notification.recipient_id:
        user = notification.recipient
        return user.email if user.is_active else ""
    return notification.email


def deliver(notification_id: int, *, final_attempt: bool = False) -> bool:
    """Deliver one pending row; return True when this call sent it."""
    failure = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, status=Status.PENDING)
            .first()
        )
        if notification is None:
            return False
        notification.attempts += 1
        try:
            subject, text, html = render(notification)
            address = _address(notification)
            if notification.channel != Channel.INBOX and address:
                message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
                message.attach_alternative(html, "text/html")
                message.send()
        except TemplateDoesNotExist as error:
            # A programming error: retrying will not help, an administrator must look.
            notification.status = Status.FAILED
            notification.last_error = f"missing template: {error}"
            logger.error("notification_template_missing", extra={"kind": notification.kind})
        except (smtplib.SMTPException, OSError) as error:
            notification.last_error = f"{type(error).__name__}: {error}"[:1000]
            if final_attempt:
                notification.status = Status.FAILED
            failure = error
        else:
            notification.status = Status.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
        notification.save(update_fields=["status", "attempts", "last_error", "sent_at", "updated_at"])
    if failure is not None and not final_attempt:
        raise TransientDeliveryError(str(failure)) from failure
    return failure is None and notification.status == Status.SENT
