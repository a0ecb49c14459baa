"""Celery entry points of permits: periodic tasks run by beat (schedule in talent_portal/celery.py).

They act as the system actor on today's Shanghai date and call ``permits.reminders``; each is
idempotent (dedupe keys), so beat may run them every hour.
"""

from celery import shared_task

from talent_portal.core.actors import get_system_actor

from . import deadlines, reminders


@shared_task(ignore_result=True)
def send_permit_expiry_reminders() -> int:
    return reminders.permit_expiry_reminders(actor=get_system_actor(), on=deadlines.today())


@shared_task(ignore_result=True)
def send_notice_lapse_reminders() -> int:
    return reminders.notice_lapse_reminders(actor=get_system_actor(), on=deadlines.today())


@shared_task(ignore_result=True)
def send_entry_deadline_reminders() -> int:
    return reminders.entry_deadline_reminders(actor=get_system_actor(), on=deadlines.today())


@shared_task(ignore_result=True)
def send_document_lapse_reminders() -> int:
    return reminders.document_lapse_reminders(actor=get_system_actor(), on=deadlines.today())


@shared_task(ignore_result=True)
def send_deadline_alerts() -> int:
    return reminders.deadline_alerts(actor=get_system_actor(), on=deadlines.today())


@shared_task(ignore_result=True)
def expire_permits() -> int:
    """Valid permits past their last day become expired; unused notices lapse (system actor)."""
    from .actions import permits_expire_due

    return permits_expire_due(actor=get_system_actor(), on=deadlines.today())


@shared_task(ignore_result=True)
def purge_expired_personal_data() -> dict:
    """Apply the retention periods (``permits.actions.retention``) as the system actor."""
    from .actions import personal_data_purge_expired

    report = personal_data_purge_expired(actor=get_system_actor())
    return {key: value for key, value in report.as_dict().items() if key != "application_ids"}


@shared_task(ignore_result=True)
def read_passport(reading_id: str, version_id: int) -> None:
    """Read the MRZ of an uploaded passport page on this machine (Tesseract), for pre-fill."""
    from .actions.passport import passport_reading_run

    passport_reading_run(reading_id=reading_id, version_id=version_id)
