"""Periodic tasks of the dashboards: the statistics summary (beat schedule in talent_portal/celery.py)."""

from celery import shared_task

from .summary import refresh_statistics


@shared_task(ignore_result=True)
def refresh_statistics_summary(full: bool = False) -> dict:
    """Recompute the days changed since the last refresh (or every day with ``full``); idempotent."""
    return refresh_statistics(full=full)
