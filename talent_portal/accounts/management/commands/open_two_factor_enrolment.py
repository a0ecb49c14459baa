"""``python manage.py open_two_factor_enrolment EMAIL``: let an officer or administrator add an
authenticator at their next sign-in (e.g. the first administrator, made with createsuperuser)."""

from django.core.management.base import BaseCommand, CommandError

from talent_portal.accounts.actions import two_factor_open_enrolment
from talent_portal.accounts.models import User


class Command(BaseCommand):
    help = "Open two-factor enrolment for one person (recorded in the audit log)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account uses {email}.")
        two_factor_open_enrolment(actor=None, user=user)
        user.refresh_from_db()
        self.stdout.write(
            f"Enrolment open for {user.email} until {user.two_factor_enrolment_until:%Y-%m-%d %H:%M %Z}."
        )
