"""The public verification of a permit: from the QR code's signed token, or number + date of birth."""

from django.core.signing import BadSignature, Signer

from .models import Permit
from .notices import VERIFY_SALT


def permit_from_token(token: str) -> Permit | None:
    """The permit a QR token names, or None for a forged or tampered token."""
    try:
        number = Signer(salt=VERIFY_SALT).unsign(token)
    except BadSignature:
        return None
    return _latest(Permit.objects.filter(number=number))


def permit_from_number(number: str, date_of_birth) -> Permit | None:
    return _latest(Permit.objects.filter(number=number.strip(), date_of_birth=date_of_birth))


def _latest(permits) -> Permit | None:
    # A number is kept for life: show the newest permit issued under it.
    return permits.select_related("organization").order_by("-valid_from", "-id").first()


def public_view(permit: Permit) -> dict:
    """What the public may see: holder, masked passport, category, employer, live status — nothing else."""
    return {
        "number": permit.number,
        "holder_name": permit.holder_name,
        "passport": "•••••" + permit.passport_last_digits,
        "kind": permit.get_kind_display(),
        "talent_class": permit.get_talent_class_display(),
        "category_name": permit.category_name,
        "employer": permit.organization.display_name,
        "state": permit.state,
        "state_label": permit.get_state_display(),
        "valid_until": permit.valid_until,
        "residence": _residence_view(permit),
    }


def _residence_view(permit: Permit) -> dict | None:
    """Single window: the residence permit issued with this work permit, if any (same public fields)."""
    residence = permit.residence_permits.order_by("-valid_from", "-id").first()
    if residence is None:
        return None
    return {
        "kind": residence.get_residence_type_display(),
        "state": residence.state,
        "state_label": residence.get_state_display(),
        "valid_until": residence.valid_until,
    }
