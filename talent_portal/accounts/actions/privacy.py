"""Personal data under the PIPL: consent to the privacy notice, the person's export of their
data, and requests to correct it."""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_portal.core import personal_data
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import InvalidInput, NotAllowed

from ..models import (
    CLOSED_CORRECTION_STATUSES,
    ConsentPurpose,
    CorrectionRequest,
    CorrectionStatus,
    CorrectionSubject,
    PrivacyConsent,
    User,
)
from ..privacy import PRIVACY_NOTICE_VERSION


def privacy_consent_record(
    *, actor, user: User, notice_version: str = PRIVACY_NOTICE_VERSION, purpose=ConsentPurpose.SIGN_UP
) -> PrivacyConsent:
    """Record that ``user`` agreed to ``notice_version`` of the privacy notice (audited)."""
    if notice_version != PRIVACY_NOTICE_VERSION:
        # A form rendered before the notice changed: the person has not seen this version.
        raise InvalidInput(
            fields={"privacy_consent": [_("The privacy notice has changed. Read it again and agree to it.")]}
        )
    with transaction.atomic():
        consent = PrivacyConsent.objects.create(user=user, purpose=purpose, notice_version=notice_version)
        audit_record(
            actor=actor if actor is not None and actor.pk else user,
            action="privacy_consent_given",
            target=user,
            data={
                "notice_version": notice_version,
                "purpose": str(purpose),
                "at": consent.consented_at.isoformat(),
            },
        )
    return consent


# --- Access: "Download my data" -----------------------------------------------------------------

EXPORT_JSON_NAME = "personal-data.json"


def _json_bytes(data: dict) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def personal_data_export(*, actor: User, with_files: bool = True, request=None) -> tuple[str, bytes, str]:
    """Everything the portal holds about ``actor``, as JSON or as a ZIP of the JSON and the files
    they uploaded. Returns ``(file name, content, content type)``; audited as an export."""
    if not actor.is_authenticated:
        raise NotAllowed()
    data = personal_data.collect(actor)
    stamp = timezone.localdate().isoformat()
    files = personal_data.stored_files(actor) if with_files else []
    if with_files:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(EXPORT_JSON_NAME, _json_bytes(data))
            for stored in files:
                try:
                    with stored.file.open("rb") as handle:
                        archive.writestr(stored.path, handle.read())
                except (FileNotFoundError, ValueError):
                    # Deleted under the retention rules: the metadata in the JSON says so.
                    continue
        name, content, content_type = f"personal-data-{stamp}.zip", buffer.getvalue(), "application/zip"
    else:
        name, content, content_type = f"personal-data-{stamp}.json", _json_bytes(data), "application/json"
    audit_record(
        actor=actor,
        action="export",
        target=actor,
        data={
            "what": "personal_data",
            "format": "zip" if with_files else "json",
            "sections": sorted(data["sections"]),
            "files": len(files),
        },
        request=request,
    )
    return name, content, content_type


# --- Correction ---------------------------------------------------------------------------------


def correction_request_create(
    *, actor: User, subject: str, reference: str = "", what_is_wrong: str, what_it_should_be: str
) -> CorrectionRequest:
    """A person asks for a correction of their personal data; administrators handle it."""
    problems = {}
    if subject not in CorrectionSubject.values:
        problems["subject"] = [_("Choose what the correction is about.")]
    if not what_is_wrong.strip():
        problems["what_is_wrong"] = [_("Say what is wrong.")]
    if not what_it_should_be.strip():
        problems["what_it_should_be"] = [_("Say what it should be.")]
    if problems:
        raise InvalidInput(fields=problems)
    with transaction.atomic():
        correction = CorrectionRequest.objects.create(
            user=actor,
            subject=subject,
            reference=reference.strip(),
            what_is_wrong=what_is_wrong.strip(),
            what_it_should_be=what_it_should_be.strip(),
        )
        # The request's text stays in its row: the audit log records that it was made.
        audit_record(
            actor=actor,
            action="correction_requested",
            target=correction,
            data={"subject": subject, "reference": correction.reference},
        )
    return correction


def correction_request_answer(
    *, actor: User, correction: CorrectionRequest, status: str, answer: str = ""
) -> CorrectionRequest:
    """An administrator moves a correction request on and answers the person (audited)."""
    if status not in CorrectionStatus.values:
        raise InvalidInput(fields={"status": [_("Choose a status.")]})
    if status in CLOSED_CORRECTION_STATUSES and not answer.strip():
        raise InvalidInput(fields={"answer": [_("Tell the person what was done, or why not.")]})
    with transaction.atomic():
        locked = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
        previous = locked.status
        locked.status = status
        locked.answer = answer.strip()
        locked.handled_by = actor
        locked.handled_at = timezone.now()
        locked.save()
        audit_record(
            actor=actor,
            action="correction_request_answered",
            target=locked,
            data={"from": previous, "to": status},
        )
    return locked
