"""``manage.py notifications_sweep``: enqueue overdue pending rows now (what beat does every minute).

Useful without beat (the embedded default delivers in process; a row whose delivery failed
there waits for this command) and after an outage, to resend at once.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from services.notifications.delivery import requeue_due


class Command(BaseCommand):
    help = "Enqueue again the notifications still pending after the grace period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace", type=int, default=None, help="seconds a row must be overdue (default: the setting)"
        )

    def handle(self, *args, **options):
        grace = timedelta(seconds=options["grace"]) if options["grace"] is not None else None
        count = requeue_due(grace=grace)
        self.stdout.write(f"enqueued: {count}")
