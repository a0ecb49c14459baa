"""Celery entry points of outreach: the periodic event reminders (schedule in talent_portal/celery.py).

They act as the system actor; each run is idempotent (dedupe keys), so beat may run it every hour.
"""

from celery import shared_task

from talent_portal.core.actors import get_system_actor

from . import actions


@shared_task(ignore_result=True)
def send_event_reminders() -> int:
    """Write the event reminders due now (each once per registration and threshold)."""
    return actions.event_remind(actor=get_system_actor())
