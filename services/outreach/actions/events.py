"""Writes on events and registrations: publishing and cancelling events, registering with an
automatic waiting list, cancelling with promotion in order, check-in at the door, and reminders.

Capacity holds under concurrent registrations because every change of who holds a place locks
the event row first (``select_for_update(of=("self",))``) and counts the confirmed places inside
that lock: registrations, cancellations and promotions of one event run one after the other.
"""

import logging
import secrets
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from talent_portal.accounts.models import Duty, Membership
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound

from ..models import (
    ACTIVE_REGISTRATION_STATES,
    Audience,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from .common import ensure_administrator, ensure_duty, notify, path

logger = logging.getLogger(__name__)

CHECK_IN_SALT = "outreach.check-in"
# Reminders go out this many hours before an event starts (each once per registration).
EVENT_REMINDER_HOURS = (72, 24)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


# --- Tokens and codes ---------------------------------------------------------------------------


def check_in_token(registration: Registration) -> str:
    """The signed token the QR code carries (and staff may type): the registration code, signed."""
    return signing.Signer(salt=CHECK_IN_SALT).sign(registration.code)


def _new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


# --- Who may register ---------------------------------------------------------------------------


def _is_employer(user) -> bool:
    return Membership.objects.active().filter(user=user).exists()


def is_invited(user, event: Event) -> bool:
    return event.invitations.filter(email__iexact=user.email).exists()


def ensure_in_audience(user, event: Event) -> None:
    """Raise unless ``user`` belongs to the event's audience (invited-only events are private: 404)."""
    if event.audience == Audience.INVITED and not is_invited(user, event):
        raise NotFound()
    if event.audience == Audience.FOREIGN_EXPERTS and _is_employer(user):
        raise Forbidden(
            _("This event is for foreign experts only; organisation staff cannot register."), code="audience"
        )
    if event.audience == Audience.EMPLOYERS and not _is_employer(user):
        raise Forbidden(_("This event is for employers only."), code="audience")


def registration_refusal(event: Event, *, now) -> str | None:
    """Why nobody may register for ``event`` now, or None."""
    if event.status == EventStatus.CANCELLED:
        return _("This event was cancelled.")
    if event.status != EventStatus.PUBLISHED:
        return _("This event is not open for registration.")
    if now < event.registration_opens_at:
        return _("Registration opens on {date}.").format(date=_moment(event.registration_opens_at))
    if now >= event.registration_closes_at or now >= event.starts_at:
        return _("Registration for this event is closed.")
    return None


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


# --- Notifications ------------------------------------------------------------------------------


def event_context(event: Event) -> dict:
    """What a message says of an event, in the active language (the recipient's)."""
    start = timezone.localtime(event.starts_at)
    return {
        "event": event.title,
        "starts_on": start.date().isoformat(),
        "starts_time": start.strftime("%H:%M"),
        "venue": event.venue or event.online_url,
    }


def _notify_registration(*, actor, registration: Registration, kind: str, key: str, extra=None):
    event = registration.event

    def context():
        values = event_context(event)
        if kind in ("registration_confirmed", "registration_promoted"):
            values["code"] = registration.code
        values.update(extra or {})
        return values

    return notify(
        actor=actor,
        kind=kind,
        recipient=registration.user,
        context=context,
        dedupe_key=f"{kind}:{registration.pk}:{key}",
        link=path("outreach:registration", pk=registration.pk),
    )


def waitlist_position(registration: Registration) -> int:
    """1 for the first person waiting, and so on."""
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
        queued_at__lt=registration.queued_at,
    ).count()
    same_moment = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
        queued_at=registration.queued_at,
        pk__lt=registration.pk,
    ).count()
    return ahead + same_moment + 1


# --- Events (administrators) --------------------------------------------------------------------


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).get(pk=event.pk)


def event_publish(*, actor, event: Event) -> Event:
    """An administrator publishes a draft event: it is listed and open for registration in its window."""
    ensure_administrator(actor)
    problems = {}
    if not (event.title_zh_hans or event.title_en):
        problems["title"] = [_("Give the event a title in Chinese or English.")]
    if not (event.description_zh_hans or event.description_en):
        problems["description"] = [_("Give the event a description in Chinese or English.")]
    if not (event.venue or event.online_url):
        problems["venue"] = [_("Give a venue or an online link.")]
    if problems:
        raise InvalidInput(fields=problems)
    with transaction.atomic():
        event = _lock_event(event)
        if event.status != EventStatus.DRAFT:
            raise NotAllowed(_("Only a draft event can be published."), code="event_not_draft")
        event.status = EventStatus.PUBLISHED
        event.published_at = timezone.now()
        event.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(actor=actor, action="event_published", target=event)
    return event


def event_cancel(*, actor, event: Event, reason: str = "") -> Event:
    """An administrator cancels an event; every registration is cancelled and its holder told."""
    ensure_administrator(actor)
    with transaction.atomic():
        event = _lock_event(event)
        if event.status == EventStatus.CANCELLED:
            raise NotAllowed(_("This event is already cancelled."), code="event_cancelled")
        event.status = EventStatus.CANCELLED
        event.cancelled_at = timezone.now()
        event.save(update_fields=["status", "cancelled_at", "updated_at"])
        registrations = list(
            Registration.objects.select_for_update(of=("self",))
            .select_related("user", "event")
            .filter(event=event, status__in=ACTIVE_REGISTRATION_STATES)
        )
        for registration in registrations:
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = event.cancelled_at
            registration.event = event
            registration.save(update_fields=["status", "cancelled_at", "updated_at"])
            _notify_registration(
                actor=actor,
                registration=registration,
                kind="event_cancelled",
                key="event",
                extra={"reason": reason.strip()},
            )
        audit_record(
            actor=actor, action="event_cancelled", target=event, data={"registrations": len(registrations)}
        )
    return event


def _promote(*, actor, event: Event) -> list[Registration]:
    """Confirm people from the waiting list, in order, while places are free (event row locked)."""
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
    free = event.capacity - confirmed
    if free <= 0:
        return []
    waiting = list(
        Registration.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(event=event, status=RegistrationStatus.WAITLISTED)
        .order_by("queued_at", "pk")[:free]
    )
    now = timezone.now()
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.promoted_at = now
        registration.event = event
        registration.save(update_fields=["status", "confirmed_at", "promoted_at", "updated_at"])
        audit_record(actor=actor, action="registration_promoted", target=registration)
        _notify_registration(
            actor=actor, registration=registration, kind="registration_promoted", key=now.isoformat()
        )
    return waiting


def event_fill_places(*, actor, event: Event) -> list[Registration]:
    """Promote people from the waiting list into free places (after an administrator added places)."""
    ensure_administrator(actor)
    with transaction.atomic():
        event = _lock_event(event)
        if event.status != EventStatus.PUBLISHED:
            return []
        return _promote(actor=actor, event=event)


# --- Registrations ------------------------------------------------------------------------------


def registration_create(*, actor, event: Event) -> Registration:
    """Register ``actor`` for ``event``: a confirmed place while places are free, else the waiting list.

    One registration per person and event: registering again after cancelling re-opens the same
    row at the end of the queue.
    """
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden()
    ensure_in_audience(actor, event)
    now = timezone.now()
    refusal = registration_refusal(event, now=now)
    if refusal:
        raise NotAllowed(refusal, code="registration_closed")
    with transaction.atomic():
        event = _lock_event(event)
        refusal = registration_refusal(event, now=now)
        if refusal:
            raise NotAllowed(refusal, code="registration_closed")
        registration = Registration.objects.filter(event=event, user=actor).first()
        if registration is not None and registration.is_active:
            raise NotAllowed(_("You are already registered for this event."), code="already_registered")
        confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
        status = RegistrationStatus.CONFIRMED if confirmed < event.capacity else RegistrationStatus.WAITLISTED
        if registration is None:
            registration = _create_registration(event=event, user=actor, status=status, now=now)
        else:
            registration.status = status
            registration.queued_at = now
            registration.cancelled_at = None
            registration.promoted_at = None
            registration.confirmed_at = now if status == RegistrationStatus.CONFIRMED else None
            registration.save(
                update_fields=[
                    "status",
                    "queued_at",
                    "cancelled_at",
                    "promoted_at",
                    "confirmed_at",
                    "updated_at",
                ]
            )
        registration.event = event
        registration.user = actor
        audit_record(actor=actor, action="registration_created", target=registration, data={"status": status})
        if status == RegistrationStatus.CONFIRMED:
            _notify_registration(
                actor=actor, registration=registration, kind="registration_confirmed", key=now.isoformat()
            )
        else:
            _notify_registration(
                actor=actor,
                registration=registration,
                kind="registration_waitlisted",
                key=now.isoformat(),
                extra={"position": waitlist_position(registration)},
            )
    logger.info("registration_created", extra={"event_id": event.pk, "status": status})
    return registration


def _create_registration(*, event: Event, user, status: str, now) -> Registration:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Registration.objects.create(
                    event=event,
                    user=user,
                    status=status,
                    queued_at=now,
                    code=_new_code(),
                    confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
                )
        except IntegrityError:
            if Registration.objects.filter(event=event, user=user).exists():
                raise NotAllowed(
                    _("You are already registered for this event."), code="already_registered"
                ) from None
    raise RuntimeError("Could not draw a unique registration code.")


def registration_cancel(*, actor, registration: Registration) -> Registration:
    """The person cancels their registration (until the event's cut-off); the first person on the
    waiting list takes the freed place."""
    if registration.user_id != actor.pk:
        raise NotFound()
    now = timezone.now()
    if not registration.is_active:
        raise NotAllowed(_("This registration is already cancelled."), code="registration_cancelled")
    if registration.checked_in_at:
        raise NotAllowed(_("You have already checked in at this event."), code="already_checked_in")
    if now >= registration.event.cancellation_deadline:
        raise NotAllowed(
            _("Registrations for this event could be cancelled until {date}.").format(
                date=_moment(registration.event.cancellation_deadline)
            ),
            code="cancellation_closed",
        )
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        if not registration.is_active or registration.checked_in_at:
            raise NotAllowed(_("This registration is already cancelled."), code="registration_cancelled")
        held_place = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        registration.event = event
        registration.user = actor
        audit_record(actor=actor, action="registration_cancelled", target=registration)
        _notify_registration(
            actor=actor, registration=registration, kind="registration_cancelled", key=now.isoformat()
        )
        if held_place and event.status == EventStatus.PUBLISHED:
            _promote(actor=actor, event=event)
    return registration


def registration_check_in(*, actor, token: str, event: Event | None = None) -> Registration:
    """Service-station staff (or an administrator) check a person in from their QR token, once.

    A second scan is refused with the time of the first.
    """
    ensure_duty(actor, Duty.SERVICE_STATION_STAFF, Duty.ADMINISTRATOR)
    try:
        code = signing.Signer(salt=CHECK_IN_SALT).unsign(token.strip())
    except signing.BadSignature:
        raise NotFound(_("This check-in code is not valid."), code="check_in_invalid") from None
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "user")
            .filter(code=code)
            .first()
        )
        if registration is None:
            raise NotFound(_("This check-in code is not valid."), code="check_in_invalid")
        if event is not None and registration.event_id != event.pk:
            raise NotAllowed(
                _("This registration is for another event: {event}.").format(event=registration.event.title),
                code="check_in_other_event",
            )
        if registration.checked_in_at:
            raise NotAllowed(
                _("{name} already checked in at {time}.").format(
                    name=registration.user.full_name, time=_moment(registration.checked_in_at)
                ),
                code="already_checked_in",
            )
        if registration.status != RegistrationStatus.CONFIRMED:
            raise NotAllowed(
                _("{name} has no confirmed place: {status}.").format(
                    name=registration.user.full_name, status=registration.get_status_display()
                ),
                code="registration_not_confirmed",
            )
        registration.checked_in_at = timezone.now()
        registration.checked_in_by = actor
        registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
        audit_record(actor=actor, action="registration_checked_in", target=registration)
    return registration


# --- Reminders (periodic) -----------------------------------------------------------------------


def reminder_threshold(hours_left: float) -> int | None:
    """The reminder due with ``hours_left`` to go: the smallest threshold reached, or None."""
    if hours_left <= 0:
        return None
    reached = [hours for hours in EVENT_REMINDER_HOURS if hours_left <= hours]
    return min(reached) if reached else None


def event_remind(*, actor, now=None) -> int:
    """Write the reminders due now for confirmed registrations; each once (dedupe keys). Returns how
    many were written. A threshold already past when the place was confirmed is skipped."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=max(EVENT_REMINDER_HOURS))
    registrations = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            event__status=EventStatus.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=horizon,
            user__is_active=True,
        )
        .select_related("event", "user")
        .order_by("event__starts_at", "pk")
    )
    written = 0
    for registration in registrations:
        event = registration.event
        threshold = reminder_threshold((event.starts_at - now).total_seconds() / 3600)
        if threshold is None:
            continue
        confirmed_at = registration.confirmed_at or registration.created_at
        if confirmed_at > event.starts_at - timedelta(hours=threshold):
            continue
        with transaction.atomic():
            row = _notify_registration(
                actor=actor,
                registration=registration,
                kind="event_reminder",
                key=f"{threshold}:{event.starts_at.isoformat()}",
            )
        written += row is not None
    logger.info("event_reminders_written", extra={"count": written})
    return written
