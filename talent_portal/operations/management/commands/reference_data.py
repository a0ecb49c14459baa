"""``manage.py reference_data export FILE`` / ``import FILE``: the reference data as a JSON file.

The same file as the administrators' page (/<lang>/operations/reference-data/); audited, as the
system actor unless ``--actor EMAIL`` names an administrator.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from talent_portal.core.actors import get_system_actor
from talent_portal.core.errors import DomainError
from talent_portal.operations import reference_data


class Command(BaseCommand):
    help = "Export or import reference data (catalogue, points tables, calendar overrides, events) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("direction", choices=["export", "import"])
        parser.add_argument(
            "file", help="The JSON file to write or read ('-' for standard output on export)."
        )
        parser.add_argument("--set", action="append", dest="sets", choices=list(reference_data.SETS))
        parser.add_argument("--actor", help="E-mail address of the administrator recorded in the audit log.")

    def handle(self, *args, **options):
        actor = get_system_actor()
        if options["actor"]:
            actor = get_user_model().objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No account {options['actor']}.")
        try:
            if options["direction"] == "export":
                document = reference_data.reference_data_export(actor=actor, sets=options["sets"])
                text = json.dumps(document, ensure_ascii=False, indent=1)
                if options["file"] == "-":
                    self.stdout.write(text)
                else:
                    Path(options["file"]).write_text(text, encoding="utf-8")
                    counts = {name: len(rows) for name, rows in document["sets"].items()}
                    self.stdout.write(f"Exported {counts} to {options['file']}.")
            else:
                try:
                    document = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
                except (OSError, ValueError) as error:
                    raise CommandError(f"Cannot read {options['file']}: {error}") from error
                counts = reference_data.reference_data_import(actor=actor, document=document)
                self.stdout.write(f"Imported {counts}.")
        except DomainError as error:
            details = "; ".join(
                f"{where}: {' '.join(map(str, msgs))}" for where, msgs in error.fields.items()
            )
            raise CommandError(f"{error.message} {details}") from error
