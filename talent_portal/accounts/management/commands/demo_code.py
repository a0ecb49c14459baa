"""``python manage.py demo_code``: the current second-factor code of the demo officers (demo only)."""

from binascii import unhexlify

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from talent_portal.accounts.demo import DEMO_TOTP_KEY, DEMO_TOTP_KEY_BASE32


class Command(BaseCommand):
    help = "Print the current authenticator code of the demo officers and administrator (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo authenticator exists only in the embedded demo (DJANGO_DEBUG=1).")
        code = TOTP(unhexlify(DEMO_TOTP_KEY)).token()
        self.stdout.write(f"{code:06d}")
        self.stderr.write(
            f"Valid for about 30 seconds. Or add the key {DEMO_TOTP_KEY_BASE32} to any authenticator app."
        )
