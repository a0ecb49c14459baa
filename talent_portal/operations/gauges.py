"""Scrape-time gauges for ``/metrics``: a fixed number of aggregate queries (three), whatever the data."""

from django.db.models import Count, Q

from permits import deadlines
from permits.models import Application, State
from permits.selectors import QUEUE_STATES
from services.notifications.health import backlog


def cases():
    """Cases by state (one grouped query) and cases past their dates (one aggregate)."""
    counts = dict.fromkeys(State.values, 0)
    for row in Application.objects.order_by().values("state").annotate(count=Count("id")):
        counts[row["state"]] = row["count"]
    today = deadlines.today()
    overdue = Application.objects.filter(state__in=QUEUE_STATES).aggregate(
        target=Count("id", filter=Q(target_date__lt=today)),
        statutory=Count("id", filter=Q(statutory_limit__lt=today)),
    )
    return [
        (
            "portal_cases",
            "gauge",
            "Work-permit cases by state.",
            [({"state": state}, count) for state, count in sorted(counts.items())],
        ),
        (
            "portal_cases_overdue",
            "gauge",
            "Cases in the officers' queue past their target date or their statutory limit.",
            [({"deadline": "target"}, overdue["target"]), ({"deadline": "statutory"}, overdue["statutory"])],
        ),
    ]


def notifications():
    """The outbox: pending and failed rows, overdue rows and the age of the oldest pending one."""
    state = backlog()
    age = state.oldest_pending_age.total_seconds() if state.oldest_pending_age else 0
    return [
        (
            "portal_notifications",
            "gauge",
            "Notification rows not yet delivered, by status (pending: the backlog; failed: gave up).",
            [({"status": "pending"}, state.pending), ({"status": "failed"}, state.failed)],
        ),
        (
            "portal_notifications_overdue",
            "gauge",
            "Pending notifications overdue by more than the sweeper's grace period.",
            [({}, state.overdue)],
        ),
        (
            "portal_notifications_oldest_pending_seconds",
            "gauge",
            "Age of the oldest pending notification (0: none).",
            [({}, round(age, 3))],
        ),
    ]
