"""Pre-check: document decisions, then acceptance or one consolidated return of the file."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from talent_portal.core.audit import audit_record
from talent_portal.core.errors import InvalidInput, NotAllowed

from .. import notices
from ..models import (
    Application,
    DocumentKind,
    DocumentVersion,
    NoticeKind,
    ReasonCode,
    ReasonKind,
    ReviewStatus,
    State,
)
from . import residence
from .door import _today, application_transition, notify_case
from .review import _ensure_officer, _reason_items, _recipient_language, refresh_deadlines

# --- Pre-check ----------------------------------------------------------------------------------


def document_review(
    *, actor, version: DocumentVersion, status: str, reason_code: str = "", note: str = ""
) -> DocumentVersion:
    """Tick one document version accepted or rejected (a rejection needs a defect code)."""
    _ensure_officer(actor)
    if status not in (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED):
        raise InvalidInput(fields={"status": [_("Choose accepted or rejected.")]})
    if status == ReviewStatus.REJECTED:
        if not ReasonCode.objects.filter(code=reason_code, kind=ReasonKind.DEFECT, active=True).exists():
            raise InvalidInput(fields={"reason_code": [_("Choose the defect.")]})
    else:
        reason_code = ""
    with transaction.atomic():
        version = (
            DocumentVersion.objects.select_for_update(of=("self",))
            .select_related("document__application")
            .get(pk=version.pk)
        )
        case = version.document.application
        if case.state not in (State.SUBMITTED, State.UNDER_REVIEW, State.AWAITING_DOCUMENTS):
            raise NotAllowed(
                _("Documents are reviewed at pre-check or during the review."), code="not_reviewable"
            )
        version.status = status
        version.reason_code = reason_code
        version.review_note = note.strip()
        version.reviewed_by = actor
        version.reviewed_at = timezone.now()
        version.save()
        audit_record(
            actor=actor,
            action="document_reviewed",
            target=version,
            data={"status": status, "reason": reason_code},
        )
    return version


def _rejected_documents(case, language: str) -> list[str]:
    labels = dict(DocumentKind.choices)
    lines = []
    with translation.override(language):
        for version in DocumentVersion.objects.filter(
            document__application=case, status=ReviewStatus.REJECTED
        ).select_related("document"):
            newer = version.document.versions.filter(number__gt=version.number).exists()
            if not newer:
                reason = ReasonCode.objects.filter(code=version.reason_code).first()
                text = f"{labels[version.document.kind]}: {reason.text if reason else version.reason_code}"
                if version.review_note:
                    text += f" ({version.review_note})"
                lines.append(text)
    return lines


def application_accept(*, actor, application: Application, expected_version: int) -> Application:
    """Pre-check passed: the case is accepted and the review clock starts."""

    def effects(case):
        case.accepted_at = timezone.now()
        refresh_deadlines(case)
        if case.is_single_window:
            residence.accept_with_case(case, actor=actor)
        notices.notice_create(
            application=case,
            kind=NoticeKind.ACCEPTANCE,
            on=_today(),
            data={"target_date": case.target_date, "statutory_limit": case.statutory_limit},
        )

    def notify(case, transition):
        notify_case(
            case,
            actor=actor,
            kind="application_accepted",
            key="accepted",
            extra={
                "target_date": case.target_date.isoformat(),
                "statutory_limit": case.statutory_limit.isoformat(),
            },
        )

    return application_transition(
        actor=actor,
        application=application,
        action="accept",
        expected_version=expected_version,
        effects=effects,
        notify=notify,
    )


def application_return(
    *, actor, application: Application, expected_version: int, reason_codes=(), note: str = ""
) -> Application:
    """Return the file with ONE consolidated list of every defect (一次性告知)."""
    # Checked before anything changes: an unknown code is refused with a clear message.
    _reason_items(list(reason_codes), ReasonKind.DEFECT, _recipient_language(application))
    documents = _rejected_documents(application, _recipient_language(application))

    def effects(case):
        case.target_date = None
        declared_kind = case.declaration_kind
        case.declared_at = None
        case.declared_by = None
        case.declaration_kind = ""
        notices.notice_create(
            application=case,
            kind=NoticeKind.RETURN,
            on=_today(),
            data={
                "reason_codes": list(reason_codes),
                "documents": documents,
                "note": note,
                "declaration": declared_kind,
            },
        )

    def notify(case, transition):
        notify_case(
            case,
            actor=actor,
            kind="application_returned",
            key=f"returned:{case.version}",
            # Each recipient reads the defects in their own language.
            extra=lambda language: {
                "defects": _reason_items(list(reason_codes), ReasonKind.DEFECT, language)
                + [{"code": "", "text": text} for text in _rejected_documents(case, language)],
                "note": note,
            },
        )

    return application_transition(
        actor=actor,
        application=application,
        action="return",
        expected_version=expected_version,
        reason_codes=reason_codes,
        comment=note,
        effects=effects,
        notify=notify,
    )
