"""Celery entry points of notifications: they take ids and call the delivery code."""

from celery import shared_task

from . import delivery


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(delivery.TransientDeliveryError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def deliver_notification(self, notification_id: int) -> None:
    delivery.deliver(notification_id, final_attempt=self.request.retries >= self.max_retries)
