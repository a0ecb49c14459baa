"""``python manage.py seed_demo``: demo accounts and data for ``make run``. Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction

from permits import demo as permits_demo
from services.classification import demo as classification_demo
from services.outreach import demo as outreach_demo
from talent_portal.accounts import demo as accounts_demo


class Command(BaseCommand):
    help = "Create demo organisations and one user per duty (running it again changes nothing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            accounts = accounts_demo.seed()
            classification_demo.seed()
            outreach_demo.seed()
            cases = permits_demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000 with:"))
        for email, password, role in accounts:
            self.stdout.write(f"  {email:<38} {password}   {role}")
        if cases:
            self.stdout.write("Demo cases: " + ", ".join(cases))
