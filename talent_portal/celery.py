"""The Celery app and its beat schedule.

Without ``CELERY_BROKER_URL`` (the embedded default) tasks run eagerly in the web process,
after the transaction that enqueued them commits.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_portal.settings")

app = Celery("talent_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks are added here by the apps that own them (see each app's tasks.py).
app.conf.beat_schedule = {}
