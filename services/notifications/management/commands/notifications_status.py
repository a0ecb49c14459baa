"""``manage.py notifications_status``: the outbox at a glance, for operators."""

import json

from django.core.management.base import BaseCommand
from django.db.models import Count

from services.notifications.health import backlog
from services.notifications.models import Notification, Status


def _age(delta) -> str:
    if delta is None:
        return "-"
    seconds = int(delta.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}h {minutes:02d}m {seconds:02d}s" if hours else f"{minutes}m {seconds:02d}s"


class Command(BaseCommand):
    help = "Print pending, sent and failed notification counts and the age of the oldest pending one."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        state = backlog(with_sent=True)
        failed_by_kind = dict(
            Notification.objects.filter(status=Status.FAILED)
            .values_list("kind")
            .annotate(count=Count("id"))
            .order_by("-count")[:10]
        )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "pending": state.pending,
                        "sent": state.sent,
                        "failed": state.failed,
                        "overdue": state.overdue,
                        "oldest_pending_seconds": (
                            int(state.oldest_pending_age.total_seconds())
                            if state.oldest_pending_age
                            else None
                        ),
                        "failed_by_kind": failed_by_kind,
                    }
                )
            )
            return
        self.stdout.write(f"pending: {state.pending}")
        self.stdout.write(f"sent:    {state.sent}")
        self.stdout.write(f"failed:  {state.failed}")
        self.stdout.write(f"oldest pending: {_age(state.oldest_pending_age)}")
        self.stdout.write(f"overdue (waiting for the sweeper): {state.overdue}")
        for kind, count in failed_by_kind.items():
            self.stdout.write(f"  failed {kind}: {count}")
