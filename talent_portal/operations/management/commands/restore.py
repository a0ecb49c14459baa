"""``manage.py restore FOLDER``: checks the checksums, then loads the database and the media (``make restore``)."""

from pathlib import Path

import environ
from django.core.management.base import BaseCommand, CommandError

from talent_portal.operations.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `manage.py backup` into an empty database and media folder "
        "(checksums are checked first; nothing is touched when one does not match)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup folder (talent-portal-<time>).")
        parser.add_argument("--database-url", help="Restore into this database instead of DATABASE_URL's.")
        parser.add_argument("--media-root", help="Unpack the media here instead of MEDIA_ROOT.")
        parser.add_argument(
            "--force", action="store_true", help="Restore over a database or media that is not empty."
        )

    def handle(self, *args, **options):
        database = environ.Env.db_url_config(options["database_url"]) if options["database_url"] else None
        try:
            result = restore(
                folder=Path(options["folder"]),
                database=database,
                media_root=Path(options["media_root"]) if options["media_root"] else None,
                force=options["force"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {result['database']} and {result['media_files']} media files into {result['media_root']}."
        )
