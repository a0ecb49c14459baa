"""``python manage.py extract_messages``: makemessages for zh_Hans, ja and ko, without guesses.

gettext's msgmerge fills new entries with "fuzzy" guesses copied from similar old ones; a guess
is worse than nothing (it reads as a translation), so they are emptied for a translator to fill.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from .check_translations import TARGET_LOCALES


class Command(BaseCommand):
    help = "Extract marked strings into the catalogues and empty gettext's fuzzy guesses."

    def handle(self, *args, **options):
        call_command(
            "makemessages",
            locale=list(TARGET_LOCALES),
            no_obsolete=True,
            ignore_patterns=["node_modules/*", "staticfiles/*", "tests/*", "bench/*"],
            verbosity=0,
        )
        for code in TARGET_LOCALES:
            path = Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"
            catalogue = polib.pofile(str(path))
            cleared = 0
            for entry in catalogue.fuzzy_entries():
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
                entry.msgstr = ""
                entry.msgstr_plural = {index: "" for index in entry.msgstr_plural}
                cleared += 1
            catalogue.save(str(path))
            untranslated = len(catalogue.untranslated_entries())
            self.stdout.write(f"{code}: {untranslated} to translate ({cleared} guesses emptied)")
