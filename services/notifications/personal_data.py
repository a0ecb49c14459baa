"""What ``notifications`` holds about a person, for "Download my data" (``core.personal_data``)."""

from talent_portal.core.personal_data import field_values, section

from . import kinds
from .models import Notification, Preference


def _context(notification) -> dict:
    try:
        secret = set(kinds.get(notification.kind).secret_keys)
    except KeyError:
        secret = set()
    return {key: value for key, value in (notification.context or {}).items() if key not in secret}


@section("notifications", order=40)
def notifications(user) -> list[dict]:
    rows = Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    return [
        field_values(row, exclude=("context", "last_error", "dedupe_key")) | {"context": _context(row)}
        for row in rows
    ]


@section("notification_preferences", order=41)
def notification_preferences(user) -> list[dict]:
    return [field_values(row) for row in Preference.objects.filter(user=user)]
