"""Fail when a catalogue is incomplete: ``python manage.py check_translations``.

A catalogue fails when an entry is untranslated or fuzzy, when a translation is identical to
its English source (outside the allow-list below), when the placeholders of a translation
differ from its source, or when a marked string in the code was never extracted into it.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

TARGET_LOCALES = ("zh_Hans", "ja", "ko")

# Entries that rightly read the same in every language: codes, names, formats, symbols.
IDENTICAL_ALLOWED = {
    "API",  # the abbreviation is used as is in all four languages
    "English",  # language names are shown in their own language in the switcher
    "HSK",  # the Chinese proficiency test's name
    "PDF",
    "JPEG",
    "PNG",
    "CSV",
    "XLSX",
    "QR",
}

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}|%[sd]")


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def _entry_problems(entry) -> list[str]:
    problems = []
    if entry.obsolete:
        return problems
    if "fuzzy" in entry.flags:
        problems.append("fuzzy")
    translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
    if not all(t.strip() for t in translations):
        problems.append("untranslated")
        return problems
    if not entry.msgid_plural and entry.msgstr == entry.msgid and entry.msgid not in IDENTICAL_ALLOWED:
        problems.append("identical to the English source")
    sources = [entry.msgid] if not entry.msgid_plural else [entry.msgid_plural]
    expected = set(_placeholders(sources[0]))
    for text in translations:
        found = set(_placeholders(text))
        # A singular form may drop the count (“one item”) but may not invent placeholders.
        if found - expected or (not entry.msgid_plural and found != expected):
            problems.append(f"placeholders differ: {sorted(expected)} vs {sorted(found)}")
            break
    return problems


class Command(BaseCommand):
    help = "Check the zh_Hans, ja and ko catalogues for missing, fuzzy or suspicious entries."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-extract", action="store_true", help="Do not compare with a fresh makemessages."
        )

    def handle(self, *args, skip_extract=False, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0])
        failures = []
        for code in TARGET_LOCALES:
            path = locale_dir / code / "LC_MESSAGES" / "django.po"
            if not path.exists():
                failures.append(f"{path}: missing")
                continue
            failures.extend(
                f"{path}:{entry.linenum}: {problem}: {entry.msgid[:70]!r}"
                for entry in polib.pofile(str(path))
                for problem in _entry_problems(entry)
            )
        if not skip_extract:
            failures.extend(self._unextracted(locale_dir))
        if failures:
            for failure in failures:
                self.stderr.write(failure)
            raise CommandError(f"{len(failures)} translation problem(s).")
        self.stdout.write(self.style.SUCCESS("All catalogues are complete."))

    def _unextracted(self, locale_dir: Path) -> list[str]:
        """Run makemessages on a copy and report strings the committed catalogues lack."""
        before = {
            code: {
                (e.msgctxt, e.msgid)
                for e in polib.pofile(str(locale_dir / code / "LC_MESSAGES" / "django.po"))
                if not e.obsolete
            }
            for code in TARGET_LOCALES
            if (locale_dir / code / "LC_MESSAGES" / "django.po").exists()
        }
        # makemessages rewrites the catalogues it finds, so it runs on a copy of the sources in a
        # scratch folder: the real catalogues are never touched (translators may be saving).
        scratch = Path(tempfile.mkdtemp())
        project = Path(settings.BASE_DIR)
        try:
            shutil.copytree(
                project,
                scratch / "project",
                ignore=shutil.ignore_patterns(
                    ".git",
                    ".venv",
                    "node_modules",
                    "staticfiles",
                    "media",
                    "tests",
                    "bench",
                    "*.sqlite3",
                    "__pycache__",
                    "*.mo",
                ),
            )
            subprocess.run(  # noqa: S603 - a fixed command line: this Python, manage.py, makemessages
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    "--no-obsolete",
                    "-v",
                    "0",
                    *(f"--locale={code}" for code in before),
                    "--ignore=.venv/*",
                    "--ignore=node_modules/*",
                    "--ignore=staticfiles/*",
                ],
                cwd=scratch / "project",
                check=True,
                capture_output=True,
                env={**os.environ, "DATABASE_URL": "sqlite:///:memory:", "CELERY_BROKER_URL": ""},
            )
            problems = []
            for code, known in before.items():
                fresh = polib.pofile(str(scratch / "project" / "locale" / code / "LC_MESSAGES" / "django.po"))
                problems.extend(
                    f"{code}: not extracted yet (run make translations): {entry.msgid[:70]!r}"
                    for entry in fresh
                    if not entry.obsolete and (entry.msgctxt, entry.msgid) not in known
                )
            return problems
        finally:
            shutil.rmtree(scratch)
