"""Apply the retention periods: abandoned drafts and long-closed cases lose their personal data.

Run nightly by beat (``permits-purge-expired-personal-data`` in ``talent_portal/celery.py``); by
hand with ``--dry-run`` to see what would go. Periods: ``RETENTION_ABANDONED_DRAFT_DAYS`` and
``RETENTION_CLOSED_CASE_DAYS`` (README, "Configuration").
"""

from django.core.management.base import BaseCommand

from permits.actions import personal_data_purge_expired
from talent_portal.core.actors import get_system_actor


class Command(BaseCommand):
    help = (
        "Purge the personal data and files of abandoned drafts and of cases closed past the retention period."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be purged; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        report = personal_data_purge_expired(actor=get_system_actor(), dry_run=dry_run)
        prefix = "Would purge" if dry_run else "Purged"
        self.stdout.write(
            f"{prefix}: {report.abandoned_drafts} abandoned draft(s), {report.closed_cases} closed case(s), "
            f"{report.files_deleted} file(s), {report.family_members_deleted} family member(s)."
        )
