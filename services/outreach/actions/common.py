"""Helpers shared by outreach's actions: duties, notifications in the recipient's language, and
the sniffing of uploaded files."""

import filetype
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from services.notifications.actions import notification_create
from talent_portal.accounts.models import Duty
from talent_portal.core.errors import Forbidden, InvalidInput

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_TYPES = {"application/pdf", "image/jpeg", "image/png"}


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


def upload_content_type(upload, *, field: str) -> str:
    """The sniffed type of an upload (PDF, JPEG or PNG, at most 10 MB), else ``InvalidInput``."""
    if upload.size > UPLOAD_MAX_BYTES:
        raise InvalidInput(
            fields={field: [_("A file may be at most {size} MB.").format(size=UPLOAD_MAX_BYTES // 2**20)]}
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in UPLOAD_TYPES:
        raise InvalidInput(
            fields={field: [_("Upload a PDF, JPEG or PNG file; this file is of another kind.")]}
        )
    return kind.mime
