"""The Celery app and its beat schedule.

Without ``CELERY_BROKER_URL`` (the embedded default) tasks run eagerly in the web process,
after the transaction that enqueued them commits.

Processes (README, "Processes and scaling out"): ``celery -A talent_portal worker`` on any
number of machines, ``celery -A talent_portal beat`` exactly once.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_portal.settings")

app = Celery("talent_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Operations: the request id travels in task headers into the worker's logs; task durations go
# to /metrics (talent_portal/core/task_tracing.py, talent_portal/core/metrics.py).
import talent_portal.core.task_tracing  # noqa: E402, F401 - connects the Celery signals
from talent_portal.core.metrics import connect_task_signals  # noqa: E402

connect_task_signals()

# On a broker connection loss, let a running delivery finish rather than kill it mid-SMTP: its
# acknowledgement is lost, the message comes back, and the second run finds the row sent.
app.conf.worker_cancel_long_running_tasks_on_connection_loss = False

# Reminders run every hour of the office day (Asia/Shanghai, CELERY_TIMEZONE): each is idempotent
# (dedupe keys), so the hourly runs send each reminder once and catch up after beat was down.
_OFFICE_HOURS = {"hour": "8-20"}
# A periodic task still queued when its next run is due is dropped rather than run late twice.
_HOURLY = {"expires": 50 * 60}

app.conf.beat_schedule = {
    # The outbox sweeper: rows still pending after the grace period are enqueued again, so a
    # broker outage (or a worker killed with its message unacknowledged) delays but loses nothing.
    "notifications-sweep": {
        "task": "services.notifications.tasks.sweep_notifications",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Shortly after midnight in Shanghai: yesterday was the last valid day.
    "permits-expire": {
        "task": "permits.tasks.expire_permits",
        "schedule": crontab(minute=5, hour=0),
    },
    "permits-expiry-reminders": {
        "task": "permits.tasks.send_permit_expiry_reminders",
        "schedule": crontab(minute=5, **_OFFICE_HOURS),
        "options": _HOURLY,
    },
    "permits-notice-lapse-reminders": {
        "task": "permits.tasks.send_notice_lapse_reminders",
        "schedule": crontab(minute=10, **_OFFICE_HOURS),
        "options": _HOURLY,
    },
    "permits-entry-deadline-reminders": {
        "task": "permits.tasks.send_entry_deadline_reminders",
        "schedule": crontab(minute=15, **_OFFICE_HOURS),
        "options": _HOURLY,
    },
    "permits-document-lapse-reminders": {
        "task": "permits.tasks.send_document_lapse_reminders",
        "schedule": crontab(minute=20, **_OFFICE_HOURS),
        "options": _HOURLY,
    },
    "permits-deadline-alerts": {
        "task": "permits.tasks.send_deadline_alerts",
        "schedule": crontab(minute=25, **_OFFICE_HOURS),
        "options": _HOURLY,
    },
    # Retention of personal data (PIPL): abandoned drafts and long-closed cases, nightly at 02:30
    # in Shanghai; idempotent (``manage.py purge_expired_personal_data`` does the same by hand).
    "permits-purge-expired-personal-data": {
        "task": "permits.tasks.purge_expired_personal_data",
        "schedule": crontab(minute=30, hour=2),
        "options": {"expires": 60 * 60},
    },
    # Event reminders 72 and 24 hours before the start (services/outreach/actions/events.py).
    "outreach-event-reminders": {
        "task": "services.outreach.tasks.send_event_reminders",
        "schedule": crontab(minute=30, **_OFFICE_HOURS),
        "options": _HOURLY,
    },
    # The commission's statistics summary (talent_portal/dashboards/summary.py): the days changed
    # since the previous run every 5 minutes, and a full rebuild nightly (deleted cases, moved days).
    "dashboards-refresh-statistics": {
        "task": "talent_portal.dashboards.tasks.refresh_statistics_summary",
        "schedule": 300.0,
        "options": {"expires": 280},
    },
    "dashboards-rebuild-statistics": {
        "task": "talent_portal.dashboards.tasks.refresh_statistics_summary",
        "schedule": crontab(minute=50, hour=2),
        "kwargs": {"full": True},
        "options": {"expires": 60 * 60},
    },
}
