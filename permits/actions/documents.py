"""Uploading documents: each upload is a new version; nothing is ever deleted."""

from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound

from .. import rules, workflow
from ..models import Application, Document, DocumentVersion, State
from ..uploads import SENSITIVE_KINDS, UploadRefused, check_upload
from .door import _lock, _parties, _today

# --- Documents ----------------------------------------------------------------------------------


def sensitive_consent_required_message() -> str:
    return _(
        "This document contains sensitive personal information. Confirm that you consent to its "
        "processing for this application."
    )


# Documents the employer provides; the applicant provides the others.
EMPLOYER_DOCUMENTS = frozenset(
    {"employment_contract", "incubation_agreement", "job_end_proof", "original_permit", "change_proof"}
)


def document_upload(
    *,
    actor,
    application: Application,
    kind: str,
    uploaded,
    issue_date: date | None = None,
    consent: bool = False,
):
    """Add a version of a checklist document. A replacement never deletes the old version.

    Sensitive documents (``SENSITIVE_KINDS``: health, criminal record) need the uploader's
    explicit ``consent``, recorded on the version and in the audit log.
    """
    with transaction.atomic():
        case = _lock(application, None)
        parties = _parties(case, actor)
        if not parties & {workflow.Party.APPLICANT, workflow.Party.SPONSOR}:
            raise NotFound()
        owner = workflow.Party.SPONSOR if kind in EMPLOYER_DOCUMENTS else workflow.Party.APPLICANT
        if case.is_holder_request:
            owner = workflow.Party.SPONSOR if case.requested_by_id else workflow.Party.APPLICANT
        if owner not in parties:
            raise Forbidden(_("This document is provided by the other party."))
        required = rules.required_documents(case, on=_today())
        if kind not in required:
            raise InvalidInput(
                fields={"kind": [_("This document is not on the checklist of this application.")]}
            )
        track = getattr(case, "residence_track", None) if case.is_single_window else None
        if (
            track is not None
            and track.state == State.AWAITING_DOCUMENTS
            and case.state != State.AWAITING_DOCUMENTS
        ):
            # Single window: the residence track's request (only that track's clock stopped).
            requested = (
                track.pauses.filter(ended_on__isnull=True).values_list("requested_kinds", flat=True).first()
                or []
            )
            if kind not in requested:
                raise NotAllowed(_("Only the requested documents can be uploaded now."), code="not_requested")
        elif case.state == State.AWAITING_DOCUMENTS:
            requested = (
                case.pauses.filter(ended_on__isnull=True).values_list("requested_kinds", flat=True).first()
                or []
            )
            if requested and kind not in requested:
                raise NotAllowed(_("Only the requested documents can be uploaded now."), code="not_requested")
        elif not case.is_editable:
            raise NotAllowed(_("Documents can no longer be changed."), code="not_editable")
        problem = rules.dated_document_problem(kind, issue_date, _today())
        if problem:
            raise InvalidInput(fields={"issue_date": [problem]})
        if kind in SENSITIVE_KINDS and consent is not True:
            raise InvalidInput(fields={"consent": [sensitive_consent_required_message()]})
        try:
            checked = check_upload(kind, uploaded)
        except UploadRefused as refusal:
            raise InvalidInput(fields={"file": [refusal.message]}) from None
        stored = (
            DocumentVersion.objects.filter(document__application=case).aggregate(total=Sum("size"))["total"]
            or 0
        )
        limit = settings.UPLOAD_MAX_APPLICATION_BYTES
        if stored + checked.size > limit:
            raise InvalidInput(
                fields={
                    "file": [
                        _(
                            "The documents of this application may take at most %(size)s MB together; "
                            "this file does not fit any more."
                        )
                        % {"size": f"{limit / (1024 * 1024):g}"}
                    ]
                }
            )
        document, _created = Document.objects.get_or_create(application=case, kind=kind)
        number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = DocumentVersion(
            document=document,
            number=number,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
            issue_date=issue_date if kind in rules.DATED_KINDS else None,
            uploaded_by=actor,
            consent_given_at=timezone.now() if kind in SENSITIVE_KINDS else None,
        )
        version.file.save(f"upload.{checked.extension}", ContentFile(checked.content), save=False)
        # The file is written before the row: if the transaction rolls back, an orphan file
        # may remain (harmless, swept by storage housekeeping); a row never lacks its file.
        version.save()
        case.version += 1
        case.save()
        if version.consent_given_at:
            audit_record(
                actor=actor,
                action="sensitive_data_consent_given",
                target=version,
                data={"kind": kind, "at": version.consent_given_at.isoformat()},
            )
        audit_record(
            actor=actor,
            action="document_uploaded",
            target=version,
            data={"kind": kind, "sha256": checked.sha256},
        )
    return version
