"""Two-factor sign-in: enrolment, verification, backup codes, and an administrator's reset.

Officers and administrators must pass a second factor: a code from an authenticator app (TOTP,
RFC 6238) or one of ten one-time backup codes. A person enrols only while an administrator has
opened enrolment for them (a new officer, or after a reset), so that a stolen password alone
can never enrol an attacker's phone. django-otp keeps the devices and throttles wrong codes.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed

from ..models import Duty, User

BACKUP_CODE_COUNT = 10
TOTP_NAME = "authenticator"
BACKUP_NAME = "backup codes"


def requires_two_factor(user: User) -> bool:
    """Officers and administrators (and anyone who may use the administration site)."""
    return bool(user.is_superuser or user.is_staff or user.is_officer or user.has_duty(Duty.ADMINISTRATOR))


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_open(user: User) -> bool:
    until = user.two_factor_enrolment_until
    return until is not None and until > timezone.now()


def _new_backup_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    # Ten lower-case hexadecimal characters each (40 bits), used up when used.
    codes = [secrets.token_hex(5) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """The (unconfirmed) authenticator the person is about to add; the same one until confirmed."""
    if not enrolment_open(user):
        raise NotAllowed(
            _("Two-factor enrolment is not open for this account. Ask a portal administrator to open it."),
            code="enrolment_closed",
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def two_factor_enrolment_confirm(*, user: User, code: str, request=None) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app proves it was set up; returns the device and new backup codes."""
    if not enrolment_open(user):
        raise NotAllowed(
            _("Two-factor enrolment is not open for this account. Ask a portal administrator to open it."),
            code="enrolment_closed",
        )
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False, name=TOTP_NAME).first()
        )
        if device is None:
            raise NotAllowed(_("Start the enrolment again."), code="enrolment_restart")
        if not device.verify_token(_digits(code)):
            raise InvalidInput(
                fields={"code": [_("This code is not correct. Check the time on your phone.")]}
            )
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_backup_codes(user)
        user.two_factor_enrolment_until = None
        user.save(update_fields=["two_factor_enrolment_until"])
        audit_record(actor=user, action="two_factor_enrolled", target=user, request=request)
    return device, codes


def _digits(code: str) -> str:
    return "".join(code.split())


def two_factor_verify(*, user: User, code: str):
    """The device that accepts this code (authenticator, or a backup code that is then used up)."""
    code = _digits(code).lower()
    if not code:
        return None
    totp = confirmed_totp(user)
    if totp is not None and code.isdigit() and len(code) == 6:
        return totp if totp.verify_token(code) else None
    backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if backup is not None and backup.verify_token(code):
        return backup
    return None


def two_factor_new_backup_codes(*, user: User, code: str, request=None) -> list[str]:
    """Replace the backup codes (the old ones stop working); needs a current authenticator code."""
    totp = confirmed_totp(user)
    if totp is None or not totp.verify_token(_digits(code)):
        raise InvalidInput(fields={"code": [_("This code is not correct. Check the time on your phone.")]})
    with transaction.atomic():
        codes = _new_backup_codes(user)
        audit_record(actor=user, action="two_factor_backup_codes_renewed", target=user, request=request)
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_reset(*, actor: User, user: User, request=None) -> None:
    """An administrator removes a person's second factors and opens enrolment again (lost phone)."""
    if not (actor.is_superuser or actor.has_duty(Duty.ADMINISTRATOR)):
        raise Forbidden()
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _open(user)
        audit_record(actor=actor, action="two_factor_reset", target=user, request=request)


def two_factor_open_enrolment(*, actor: User | None, user: User, request=None) -> None:
    """Let a new officer (or administrator) add an authenticator at their next sign-in."""
    if actor is not None and not (actor.is_superuser or actor.has_duty(Duty.ADMINISTRATOR)):
        raise Forbidden()
    with transaction.atomic():
        _open(user)
        audit_record(actor=actor, action="two_factor_enrolment_opened", target=user, request=request)


def _open(user: User) -> None:
    user.two_factor_enrolment_until = timezone.now() + timedelta(hours=settings.TWO_FACTOR_ENROLMENT_HOURS)
    user.save(update_fields=["two_factor_enrolment_until"])
