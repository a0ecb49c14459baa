"""``manage.py backup``: the database and the media folder, with SHA-256 checksums (``make backup``)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from talent_portal.operations.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc or SQLite's backup) and MEDIA_ROOT, with a SHA-256 manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=settings.BACKUP_DIR, help="Folder that receives the backup.")

    def handle(self, *args, **options):
        try:
            folder = backup(output_dir=Path(options["output"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
