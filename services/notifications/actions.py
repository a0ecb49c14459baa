"""Writing notification rows. Callers do this inside the transaction of the change."""

import logging

from django.db import IntegrityError, transaction

from .models import Channel, Notification

logger = logging.getLogger(__name__)


def notification_create(
    *,
    actor,
    kind: str,
    context: dict,
    dedupe_key: str,
    recipient=None,
    email: str = "",
    language: str = "",
    link: str = "",
    channel: str = Channel.EMAIL_AND_INBOX,
) -> Notification | None:
    """Write one outbox row (once per ``dedupe_key``) and enqueue its delivery after commit.

    Returns None when a row with the same key exists already: the message was written before.
    """
    if recipient is None and not email:
        raise ValueError("A notification needs a recipient or an e-mail address.")
    language = language or (recipient.preferred_language if recipient is not None else "en")
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                email=email if recipient is None else "",
                language=language,
                kind=kind,
                context=context,
                dedupe_key=dedupe_key[:200],
                link=link,
                channel=channel,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def _enqueue(notification_id: int) -> None:
    """Hand the row to Celery; a broker outage is logged, never raised (the sweeper resends)."""
    from .tasks import deliver_notification

    try:
        deliver_notification.delay(notification_id)
    except Exception:  # noqa: BLE001 - any broker failure leaves the row pending for the sweeper
        logger.warning("notification_enqueue_failed", extra={"notification_id": notification_id})
