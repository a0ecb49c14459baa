"""Celery entry points of notifications: they take ids and call the delivery code."""

import logging

from celery import shared_task

from . import delivery

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    # Attempts are counted on the row (the sweeper's copies included), not by Celery.
    max_retries=None,
)
def deliver_notification(self, notification_id: int) -> str:
    """Deliver one outbox row; retry with back-off on SMTP or connection errors."""
    try:
        return delivery.deliver(notification_id)
    except delivery.TransientDeliveryError as error:
        if self.request.is_eager:
            # In process (no broker): do not hold the request; the sweeper resends.
            return delivery.RETRY
        raise self.retry(exc=error, countdown=error.countdown) from error


@shared_task(ignore_result=True)
def sweep_notifications() -> int:
    """Enqueue again every row still pending a grace period after it was due (beat, every minute)."""
    return delivery.requeue_due()
