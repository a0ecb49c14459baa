"""Reads of notifications, scoped to the requesting user."""

import logging

from django.utils import translation

from . import kinds
from .models import Notification, Preference

logger = logging.getLogger(__name__)


def inbox_for(user):
    """The user's visible inbox entries, newest first."""
    return (
        # Only rows meant for the inbox ever become visible.
        Notification.objects.filter(recipient=user, visible_at__isnull=False).select_related("recipient")
    )


def unread_count(user) -> int:
    """How many visible inbox entries the user has not read."""
    return inbox_for(user).filter(read_at__isnull=True).count()


def entry_title(notification: Notification) -> str:
    """An inbox entry's title: its subject, in the active language (the page's)."""
    from .delivery import render_subject

    try:
        return render_subject(notification, translation.get_language())
    except Exception:  # noqa: BLE001 - an entry of a kind since removed still shows up
        logger.warning("notification_title_failed", extra={"notification_id": notification.pk})
        return notification.kind.replace("_", " ")


def entry_url(notification: Notification) -> str:
    """Where an inbox entry leads, in the active language ("" when nowhere)."""
    if not notification.link:
        return ""
    return f"/{translation.get_language()}{notification.link}"


def email_preferences(user) -> list[dict]:
    """Each kind a person can receive, with whether its e-mail is on and whether it may be switched off."""
    switched_off = set(Preference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return [
        {
            "kind": kind.code,
            "label": kind.label,
            "legal": kind.legal,
            "email": kind.legal or kind.code not in switched_off,
        }
        for kind in kinds.all_kinds()
        if not kind.email_only
    ]


def existing_dedupe_keys(keys) -> set[str]:
    """Which of ``keys`` were written already (for periodic tasks that skip what they sent before).

    System-level: used by reminder tasks, never to show anything to a user.
    """
    keys = list(keys)
    found = set()
    for start in range(0, len(keys), 500):
        found.update(
            Notification.objects.filter(dedupe_key__in=keys[start : start + 500]).values_list(
                "dedupe_key", flat=True
            )
        )
    return found
