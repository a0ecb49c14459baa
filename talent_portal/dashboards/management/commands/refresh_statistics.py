"""Refresh the commission's statistics summary by hand (the beat task does it periodically)."""

from django.core.management.base import BaseCommand

from talent_portal.dashboards.summary import refresh_statistics


class Command(BaseCommand):
    help = (
        "Refresh the statistics summary: the days changed since the last refresh, or every day with --full."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full", action="store_true", help="rebuild every day, not only the changed ones"
        )

    def handle(self, *args, full=False, **options):
        done = refresh_statistics(full=full)
        if done["full"]:
            self.stdout.write(f"Statistics summary rebuilt: {done['figures']} figures.")
        else:
            self.stdout.write(
                f"Statistics summary refreshed: {done['days']} days recomputed, {done['figures']} figures."
            )
