"""Helpers shared by outreach's actions: duties, notifications in the recipient's language, and
the sniffing of uploaded files."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from services.notifications.actions import notification_create
from talent_portal.accounts.models import Duty
from talent_portal.core.errors import Forbidden, InvalidInput
from talent_portal.core.uploads import CheckedFile, UploadRefused, sanitize_upload


def has_any_duty(user, *duties: Duty) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and any(user.has_duty(duty) for duty in duties)


def ensure_duty(user, *duties: Duty) -> None:
    if not has_any_duty(user, *duties):
        raise Forbidden()


def ensure_administrator(user) -> None:
    if not (getattr(user, "is_superuser", False) or has_any_duty(user, Duty.ADMINISTRATOR)):
        raise Forbidden(_("Only portal administrators may do this."))


def path(name: str, **kwargs) -> str:
    """A site path for a notification link (the language prefix is replaced by the recipient's)."""
    with translation.override(None):
        return reverse(name, kwargs=kwargs)


def notify(*, actor, kind: str, recipient, context, dedupe_key: str, link: str = ""):
    """Write one notification row; ``context`` is a callable run in the recipient's language, so
    that translated content (event titles, award names, choice labels) reaches them in it."""
    if not recipient.is_active:
        return None
    with translation.override(recipient.preferred_language):
        values = context()
    return notification_create(
        actor=actor, kind=kind, recipient=recipient, context=values, dedupe_key=dedupe_key, link=link
    )


def checked_upload(upload, *, field: str) -> CheckedFile:
    """An upload checked by content and cleaned (PDF, JPEG or PNG; see
    ``talent_portal.core.uploads``), else ``InvalidInput`` on ``field``."""
    try:
        return sanitize_upload(
            upload, refusal=_("Upload a PDF, JPEG or PNG file; this file is of another kind.")
        )
    except UploadRefused as refusal:
        raise InvalidInput(fields={field: [refusal.message]}) from None
