"""The knobs of delivery, with their defaults (a project setting of the same name overrides one)."""

from datetime import timedelta

from django.conf import settings

DEFAULTS = {
    # Attempts before a row ends as failed (listed for administrators, who may send it again).
    "NOTIFICATIONS_MAX_ATTEMPTS": 10,
    # Back-off between attempts: base × 2^(attempt − 1) seconds, at most the cap. Keep the cap well
    # under the Redis visibility timeout (one hour), so a retry is never redelivered early.
    "NOTIFICATIONS_RETRY_BASE_SECONDS": 15,
    "NOTIFICATIONS_RETRY_MAX_SECONDS": 1800,
    # The sweeper resends rows still pending this long after they were due.
    "NOTIFICATIONS_SWEEP_GRACE_SECONDS": 120,
    "NOTIFICATIONS_SWEEP_BATCH": 1000,
    # The health check reports a backlog when the oldest pending row is older than this.
    "NOTIFICATIONS_BACKLOG_ALERT_SECONDS": 600,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def sweep_grace() -> timedelta:
    return timedelta(seconds=get("NOTIFICATIONS_SWEEP_GRACE_SECONDS"))
