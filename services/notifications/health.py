"""The notification backlog, for ``/healthz`` and ``manage.py notifications_status``."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from . import conf
from .models import Notification, Status


@dataclass(frozen=True)
class Backlog:
    pending: int
    sent: int
    failed: int
    oldest_pending_age: timedelta | None
    # Pending rows whose next attempt is overdue by more than the sweeper's grace period.
    overdue: int


def backlog(*, with_sent: bool = False) -> Backlog:
    """Counts by status and the age of the oldest pending row (two or three indexed queries)."""
    now = timezone.now()
    pending = Notification.objects.filter(status=Status.PENDING).aggregate(
        count=Count("id"),
        oldest=Min("created_at"),
        overdue=Count("id", filter=Q(next_attempt_at__lte=now - conf.sweep_grace())),
    )
    failed = Notification.objects.filter(status=Status.FAILED).count()
    sent = Notification.objects.filter(status=Status.SENT).count() if with_sent else -1
    return Backlog(
        pending=pending["count"],
        sent=sent,
        failed=failed,
        oldest_pending_age=(now - pending["oldest"]) if pending["oldest"] else None,
        overdue=pending["overdue"],
    )


def backlog_check() -> dict:
    """'up' while the oldest pending row is younger than the alert threshold, else 'backlog'.

    A growing backlog means no worker is delivering (broker down, workers stopped): the web keeps
    serving and the outbox keeps the messages, so it degrades the health answer, never fails it.
    """
    state = backlog()
    age = state.oldest_pending_age.total_seconds() if state.oldest_pending_age else 0
    return {
        "status": "backlog" if age > conf.get("NOTIFICATIONS_BACKLOG_ALERT_SECONDS") else "up",
        "pending": state.pending,
        "oldest_pending_seconds": int(age),
        "overdue": state.overdue,
        "failed": state.failed,
    }
