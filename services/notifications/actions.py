"""Writing notification rows, reading them and setting preferences.

Callers write rows inside the transaction of the change that causes them; delivery is enqueued
once that transaction commits (see ``delivery`` for what happens next).
"""

import datetime
import decimal
import logging
import re
import time
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from talent_portal.core.audit import audit_record
from talent_portal.core.errors import InvalidInput, NotFound

from . import kinds
from .models import Channel, Notification, Preference, Status

logger = logging.getLogger(__name__)

_LANGUAGES = {code for code, _name in settings.LANGUAGES}
_LANGUAGE_PREFIX = re.compile(r"^/(?:" + "|".join(re.escape(code) for code in _LANGUAGES) + r")(?=/)")


def _plain(value, path="context"):
    """The context as JSON-ready plain values: dates become ISO strings; lazy texts are refused.

    A lazy translation would be frozen in the actor's language, not the recipient's: callers pass
    codes, or texts already rendered under the recipient's language.
    """
    if isinstance(value, Promise):
        raise TypeError(f"{path} is a lazy translation; pass a code or a text in the recipient's language.")
    if isinstance(value, dict):
        return {str(key): _plain(item, f"{path}.{key}") for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item, f"{path}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{path} is a {type(value).__name__}; only plain values may go into a notification.")


def canonical_link(link: str) -> str:
    """A site path without its language prefix (``/ko/applications/…`` → ``/applications/…``)."""
    if not link:
        return ""
    return _LANGUAGE_PREFIX.sub("", link, count=1) or "/"


def notification_create(
    *,
    actor,
    kind: str,
    context: dict,
    dedupe_key: str,
    recipient=None,
    email: str = "",
    language: str = "",
    link: str = "",
    channel: str = "",
) -> Notification | None:
    """Write one outbox row (once per ``dedupe_key``) and enqueue its delivery after commit.

    The recipient is a user (their preferred language wins, at delivery time too) or an
    ``email`` with a ``language`` (no account: e-mail only). ``context`` holds the kind's keys
    as plain values; ``link`` is a site path (a language prefix is dropped; delivery adds the
    reader's). Returns None when a row with the same key exists already: written before.
    """
    try:
        declared = kinds.get(kind)
    except KeyError:
        raise ValueError(f"Unknown notification kind {kind!r}: register it in notifications.kinds.") from None
    if recipient is None and not email:
        raise ValueError("A notification needs a recipient or an e-mail address.")
    missing = [key for key in declared.keys if key not in context]
    if missing:
        raise ValueError(f"Notification {kind!r} lacks context keys {missing}.")
    if len(dedupe_key) > 200:
        raise ValueError("A dedupe key has at most 200 characters.")
    if recipient is not None:
        language = recipient.preferred_language
        channel = channel or Channel.EMAIL_AND_INBOX
    else:
        # Someone without an account has no inbox.
        channel = Channel.EMAIL
    if language not in _LANGUAGES:
        language = settings.LANGUAGE_CODE
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                email=email.strip() if recipient is None else "",
                language=language,
                kind=kind,
                context=_plain(context),
                dedupe_key=dedupe_key,
                link=canonical_link(link),
                channel=channel,
            )
    except IntegrityError:
        if not Notification.objects.filter(dedupe_key=dedupe_key).exists():
            raise
        return None
    transaction.on_commit(lambda: enqueue(notification.pk))
    logger.info("notification_written", extra={"notification_id": notification.pk, "kind": kind})
    return notification


# A failed publish makes this process skip the broker for a few seconds: the rows written
# meanwhile wait for the sweeper instead of making every request wait for a broker timeout.
BROKER_PAUSE_SECONDS = 15.0
_PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
_broker_down_until = 0.0


def enqueue(notification_id: int) -> bool:
    """Hand the row to Celery; a broker outage is logged, never raised (the sweeper resends)."""
    global _broker_down_until  # noqa: PLW0603 - one flag per process, on purpose
    from .tasks import deliver_notification

    if time.monotonic() < _broker_down_until:
        return False
    try:
        # One immediate reconnection attempt revives a pooled connection that a broker restart
        # broke; a broker that is really down fails fast and the row waits for the sweeper.
        deliver_notification.apply_async((notification_id,), retry=True, retry_policy=_PUBLISH_RETRY)
    except Exception as error:  # noqa: BLE001 - any broker failure leaves the row pending for the sweeper
        _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning(
            "notification_enqueue_failed",
            extra={"notification_id": notification_id, "error": type(error).__name__},
        )
        return False
    return True


def broker_pause_reset() -> None:
    """Try the broker again at the next enqueue (the sweeper calls this before resending)."""
    global _broker_down_until  # noqa: PLW0603
    _broker_down_until = 0.0


# --- The inbox ----------------------------------------------------------------------------------


def notification_mark_read(*, actor, notification_id: int) -> Notification:
    """Mark one of the actor's inbox entries read."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, recipient=actor, visible_at__isnull=False)
            .first()
        )
        if notification is None:
            raise NotFound()
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notification_mark_all_read(*, actor) -> int:
    """Mark every unread inbox entry of the actor read; returns how many."""
    return Notification.objects.filter(
        recipient=actor, visible_at__isnull=False, read_at__isnull=True
    ).update(read_at=timezone.now(), updated_at=timezone.now())


def preference_set(*, actor, choices: dict[str, bool]) -> None:
    """Switch e-mail on or off per kind for the actor (legal notices cannot be switched off)."""
    refused = {}
    for code in choices:
        try:
            kind = kinds.get(code)
        except KeyError:
            refused[code] = ["unknown"]
            continue
        if kind.email_only:
            refused[code] = ["unknown"]
        elif kind.legal and not choices[code]:
            refused[code] = ["legal"]
    if refused:
        raise InvalidInput(
            fields={
                code: [
                    _("Legal notices are always sent by e-mail.")
                    if problem == ["legal"]
                    else _("There is no such kind of message.")
                ]
                for code, problem in refused.items()
            }
        )
    with transaction.atomic():
        for code, email in choices.items():
            Preference.objects.update_or_create(user=actor, kind=code, defaults={"email": bool(email)})


def stuck_notifications():
    """Pending rows whose delivery is overdue by more than the backlog alert threshold ("stuck tasks")."""
    from . import conf

    threshold = timezone.now() - datetime.timedelta(seconds=conf.get("NOTIFICATIONS_BACKLOG_ALERT_SECONDS"))
    return Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=threshold)


def notification_cancel(*, actor, notification_ids, reason: str = "") -> int:
    """An administrator gives up on pending rows: they become failed (and may be sent again later)."""
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update()
            .filter(pk__in=list(notification_ids), status=Status.PENDING)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(
            status=Status.FAILED,
            last_error=(reason or "Cancelled by an administrator.")[:1000],
            updated_at=timezone.now(),
        )
        if ids:
            audit_record(actor=actor, action="notifications_cancelled", data={"ids": ids, "reason": reason})
    logger.info("notifications_cancelled", extra={"count": len(ids), "actor": getattr(actor, "pk", None)})
    return len(ids)


def notification_resend(*, actor, notification_ids) -> int:
    """An administrator sends failed rows again: back to pending, attempts reset, enqueued."""
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update()
            .filter(pk__in=list(notification_ids), status=Status.FAILED)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(
            status=Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if ids:
            audit_record(actor=actor, action="notifications_resent", data={"ids": ids})
        for pk in ids:
            transaction.on_commit(lambda pk=pk: enqueue(pk))
    logger.info("notifications_resent", extra={"count": len(ids), "actor": getattr(actor, "pk", None)})
    return len(ids)
