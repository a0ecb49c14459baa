"""Passport pre-fill: read the MRZ of the uploaded passport page (or two typed lines).

A reading is short-lived working state, not a record: it lives in the cache for
``READING_TTL_SECONDS`` under a random id, bound to the applicant and the case, and holds only
what the applicant sees on the identity step. The values reach the application only when the
applicant confirms (or corrects) them by saving the identity step, through the usual action;
that save also keeps the names as read, marked confirmed (``confirmed_reading``), for the
pre-check's name comparison. Nothing is written to the case while the page is only being read.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from talent_portal.core.audit import audit_record
from talent_portal.core.errors import InvalidInput, NotAllowed, NotFound

from .. import deadlines, mrz, workflow
from ..models import Application, DocumentKind, DocumentVersion
from .door import _parties

logger = logging.getLogger(__name__)

READING_TTL_SECONDS = 30 * 60


class ReadingStatus:
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def _key(reading_id: str) -> str:
    return f"permits:passport-reading:{reading_id}"


def _guard(actor, application: Application) -> None:
    if workflow.Party.APPLICANT not in _parties(application, actor):
        raise NotFound()
    if not application.is_editable:
        raise NotAllowed(_("The identity step can no longer be changed."), code="not_editable")


def reading_as_dict(reading: mrz.MrzReading) -> dict:
    """A reading as plain values (dates in ISO form) for the cache and the page."""
    return {
        "fields": {
            name: {
                "value": item.value.isoformat() if hasattr(item.value, "isoformat") else item.value,
                "raw": item.raw,
                "status": item.status,
                "problem": item.problem,
                "prefilled": item.prefilled,
            }
            for name, item in reading.fields.items()
        },
        "failed_check_digits": reading.failed_check_digit_labels,
    }


NAME_FIELDS = ("surname", "given_names")


def names_read(state: dict | None) -> dict:
    """The names a finished reading pre-filled (validated ones only), from its cached state."""
    if not state or state.get("status") != ReadingStatus.DONE:
        return {}
    fields = state.get("result", {}).get("fields", {})
    return {
        name: fields[name]["value"]
        for name in NAME_FIELDS
        if name in fields and fields[name].get("prefilled") and fields[name].get("value")
    }


def confirmed_reading(names: dict, *, at) -> dict:
    """What the case keeps of a reading once the applicant saved the identity step after it: the
    names as read from the MRZ (not as typed), marked confirmed. The pre-check compares them with
    the names typed in the form."""
    return {
        **{name: names[name] for name in NAME_FIELDS if name in names},
        "confirmed": True,
        "confirmed_at": at.isoformat(),
    }


def passport_reading_from_text(*, actor, application: Application, text: str) -> str:
    """Read two typed MRZ lines at once; returns the reading's id."""
    _guard(actor, application)
    try:
        reading = mrz.read_text(text, today=deadlines.today())
    except mrz.MrzNotFound:
        raise InvalidInput(
            fields={"mrz": [_("Paste the two lines of 44 characters printed at the bottom of the page.")]}
        ) from None
    reading_id = secrets.token_urlsafe(16)
    cache.set(
        _key(reading_id),
        {
            "application": application.pk,
            "user": actor.pk,
            "status": ReadingStatus.DONE,
            "progress": 100,
            "result": reading_as_dict(reading),
        },
        READING_TTL_SECONDS,
    )
    audit_record(actor=actor, action="passport_mrz_read", target=application, data={"source": "typed"})
    return reading_id


def passport_reading_start(*, actor, application: Application, version: DocumentVersion) -> str:
    """Start reading an uploaded passport page in the background; returns the reading's id."""
    _guard(actor, application)
    if version.document.application_id != application.pk or version.document.kind != DocumentKind.PASSPORT:
        raise NotFound()
    reading_id = secrets.token_urlsafe(16)
    cache.set(
        _key(reading_id),
        {"application": application.pk, "user": actor.pk, "status": ReadingStatus.RUNNING, "progress": 5},
        READING_TTL_SECONDS,
    )
    audit_record(actor=actor, action="passport_mrz_read", target=application, data={"source": "upload"})

    def enqueue():
        from ..tasks import read_passport

        try:
            read_passport.delay(reading_id, version.pk)
        except Exception:  # a broker outage: the page shows the reading as failed
            logger.exception("passport_reading_enqueue_failed")
            _store(reading_id, status=ReadingStatus.FAILED, progress=100)

    transaction.on_commit(enqueue)
    return reading_id


def _store(reading_id: str, **changes) -> None:
    state = cache.get(_key(reading_id))
    if state is None:
        return
    state.update(changes)
    cache.set(_key(reading_id), state, READING_TTL_SECONDS)


def passport_reading_run(*, reading_id: str, version_id: int) -> None:
    """The task's body: OCR the stored page on this machine and keep the result for the page."""
    from .. import passport_ocr

    version = DocumentVersion.objects.select_related("document").filter(pk=version_id).first()
    if version is None:
        _store(reading_id, status=ReadingStatus.FAILED, progress=100)
        return
    with version.file.open("rb") as stored:
        content = stored.read()
    try:
        reading = passport_ocr.read_image(
            content,
            version.content_type,
            today=deadlines.today(),
            progress=lambda percent: _store(reading_id, progress=percent),
        )
    except mrz.MrzNotFound:
        _store(reading_id, status=ReadingStatus.FAILED, progress=100, error="not_found")
    except passport_ocr.OcrUnavailable:
        logger.error("passport_ocr_unavailable")
        _store(reading_id, status=ReadingStatus.FAILED, progress=100, error="unavailable")
    else:
        _store(reading_id, status=ReadingStatus.DONE, progress=100, result=reading_as_dict(reading))


def passport_reading_get(*, actor, application: Application, reading_id: str) -> dict | None:
    """The reading's state, only for the applicant and the case it was made for."""
    state = cache.get(_key(reading_id))
    if not state or state["application"] != application.pk or state["user"] != actor.pk:
        return None
    return state
