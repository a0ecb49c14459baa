"""The review after acceptance: requests for documents, deadlines, four eyes, approval and refusal."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from services.classification.selectors import benefits_of
from talent_portal.accounts.models import Duty
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed

from .. import deadlines, notices
from ..models import (
    Application,
    DocumentKind,
    NoticeKind,
    Pause,
    PermitHolder,
    ReasonCode,
    ReasonKind,
    State,
)
from ..validity import GRANTING_TYPES
from . import residence
from .door import _today, application_transition, ensure_may_fire, notify_case
from .issuance import issue_after_approval


def _ensure_officer(actor) -> None:
    if not (actor.has_duty(Duty.WORK_PERMIT_OFFICER) or actor.has_duty(Duty.LEAD_OFFICER)):
        raise Forbidden()


def _reason_items(codes, kind: str, language: str) -> list[dict]:
    """Reason codes with their texts in the recipient's language (plain values for the outbox)."""
    known = {
        reason.code: reason for reason in ReasonCode.objects.filter(code__in=codes, kind=kind, active=True)
    }
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise InvalidInput(
            fields={"reason_codes": [_("Unknown reason code: %(code)s") % {"code": ", ".join(unknown)}]}
        )
    with translation.override(language):
        return [{"code": code, "text": known[code].text} for code in codes]


def _recipient_language(case) -> str:
    return case.applicant.preferred_language if case.applicant_id else "zh-hans"


def green_channel(case) -> bool:
    """Class A and recognised Shanghai high-end categories are reviewed in 5 working days."""
    record = case.assessment
    talent_class = (record.confirmed_category or record.computed_category) if record else ""
    if talent_class == "A":
        return True
    if case.applicant_id:
        return benefits_of(case.applicant, on=_today()).green_channel
    return False


def refresh_deadlines(case) -> None:
    """Store the case's current target date and statutory limit (the queue sorts on them)."""
    pauses = [(pause.started_on, pause.ended_on) for pause in Pause.objects.filter(application=case)]
    dates = deadlines.for_case(case, green_channel=green_channel(case), pauses=pauses)
    if dates.target_date is not None:
        case.target_date = dates.target_date
    if dates.statutory_limit is not None or case.accepted_at is None:
        case.statutory_limit = dates.statutory_limit


# --- Review -------------------------------------------------------------------------------------


def application_start_review(*, actor, application: Application, expected_version: int) -> Application:
    return application_transition(
        actor=actor, application=application, action="start_review", expected_version=expected_version
    )


def application_request_documents(
    *, actor, application: Application, expected_version: int, kinds, message: str
) -> Application:
    """Ask for more documents: the clock stops; the applicant has RESPONSE_DAYS to answer."""
    kinds = list(kinds)
    unknown = [kind for kind in kinds if kind not in DocumentKind.values]
    if not kinds or unknown:
        raise InvalidInput(fields={"kinds": [_("Choose the documents you need.")]})
    today = _today()
    respond_by = today + timedelta(days=deadlines.RESPONSE_DAYS)

    def effects(case):
        Pause.objects.create(
            application=case, started_on=today, requested_kinds=kinds, message=message.strip()
        )
        case.awaiting_since = timezone.now()
        case.respond_by = respond_by

    def labels(language):
        with translation.override(language):
            return [str(dict(DocumentKind.choices)[kind]) for kind in kinds]

    def notify(case, transition):
        notify_case(
            case,
            actor=actor,
            kind="documents_requested",
            key=f"requested:{case.version}",
            extra=lambda language: {
                "message": message.strip(),
                "requested": labels(language),
                "respond_by": respond_by.isoformat(),
                "days_left": (respond_by - today).days,
            },
        )

    return application_transition(
        actor=actor,
        application=application,
        action="request_documents",
        expected_version=expected_version,
        comment=message,
        payload={"kinds": kinds},
        effects=effects,
        notify=notify,
    )


def application_extend_limit(
    *, actor, application: Application, expected_version: int, reason: str
) -> Application:
    """Extend the statutory limit once by 10 working days, with a reason told to the applicant."""

    def effects(case):
        case.limit_extended_at = timezone.now()
        case.limit_extension_reason = reason.strip()
        refresh_deadlines(case)
        notices.notice_create(
            application=case,
            kind=NoticeKind.EXTENSION,
            on=_today(),
            data={
                "days": deadlines.STATUTORY_EXTENSION_DAYS,
                "statutory_limit": case.statutory_limit,
                "reason": reason.strip(),
            },
        )

    def notify(case, transition):
        notify_case(
            case,
            actor=actor,
            kind="limit_extended",
            key="extended",
            extra={"statutory_limit": case.statutory_limit.isoformat(), "reason": reason.strip()},
        )

    return application_transition(
        actor=actor,
        application=application,
        action="extend_limit",
        expected_version=expected_version,
        comment=reason,
        effects=effects,
        notify=notify,
    )


def _check_validity(case, valid_until: date) -> None:
    from ..validity import latest_valid_until

    start = _today()
    extra_years = benefits_of(case.applicant, on=start).max_validity_years or 0 if case.applicant_id else 0
    latest = latest_valid_until(case, start=start, extra_years=extra_years)
    if latest is None:
        raise NotAllowed(_("Confirm the class of the case before deciding."), code="class_unknown")
    if valid_until <= start:
        raise InvalidInput(fields={"valid_until": [_("The permit must be valid after today.")]})
    if valid_until > latest:
        raise InvalidInput(
            fields={
                "valid_until": [
                    _("At most until %(date)s for this case.") % {"date": date_format(latest, "DATE_FORMAT")}
                ]
            }
        )


def application_approve(
    *,
    actor,
    application: Application,
    expected_version: int,
    valid_until: date | None = None,
    returning_holder: PermitHolder | None = None,
) -> Application:
    """Approve and issue at once; a class-A approval on the points route is proposed to a lead officer instead.

    New permits and extensions are granted until ``valid_until``; changes, re-issues and
    cancellations keep the permit's dates.
    """
    from .. import rules

    ensure_may_fire(actor=actor, application=application, action="approve")
    if application.business_type in GRANTING_TYPES:
        if valid_until is None:
            raise InvalidInput(fields={"valid_until": [_("Give the date until which the permit is valid.")]})
        _check_validity(application, valid_until)
    else:
        valid_until = None
    data = {
        "valid_until": valid_until.isoformat() if valid_until else None,
        "holder_id": returning_holder.pk if returning_holder else None,
    }
    if rules.needs_four_eyes_for_approval(application, on=_today()):

        def propose(case):
            case.proposal_kind = "approval"
            case.proposal_by = actor
            case.proposal_at = timezone.now()
            case.proposal_data = data

        return application_transition(
            actor=actor,
            application=application,
            action="propose_approval",
            expected_version=expected_version,
            effects=propose,
        )

    with transaction.atomic():
        case = application_transition(
            actor=actor,
            application=application,
            action="approve",
            expected_version=expected_version,
            effects=lambda case: _approval_effects(case, data),
            notify=lambda case, transition: notify_case(
                case,
                actor=actor,
                kind="application_approved",
                key="approved",
                extra={"valid_until": data["valid_until"] or ""},
            ),
        )
        return _issue(actor=actor, application=case)


def _issue(*, actor, application: Application) -> Application:
    """An approved case is issued at once; a single-window case waits for both tracks."""
    if application.is_single_window:
        return residence.issue_if_ready(application=application)
    return issue_after_approval(actor=actor, application=application)


def _approval_effects(case, data):
    case.decided_at = timezone.now()
    case.proposal_data = data
    case.proposal_kind = ""


def application_propose_refusal(
    *, actor, application: Application, expected_version: int, reason_codes, note: str = ""
) -> Application:
    """A refusal takes effect only when a lead officer confirms it."""
    ensure_may_fire(actor=actor, application=application, action="propose_refusal")
    _reason_items(list(reason_codes), ReasonKind.REFUSAL, "en")
    if application.state == State.AWAITING_DOCUMENTS and (
        application.respond_by is None or application.respond_by >= _today()
    ):
        raise NotAllowed(
            _("The applicant still has time to answer the request for documents."),
            code="response_time_running",
        )

    def effects(case):
        case.proposal_kind = "refusal"
        case.proposal_by = actor
        case.proposal_at = timezone.now()
        case.proposal_data = {"reason_codes": list(reason_codes), "note": note.strip()}

    return application_transition(
        actor=actor,
        application=application,
        action="propose_refusal",
        expected_version=expected_version,
        reason_codes=reason_codes,
        comment=note,
        effects=effects,
    )


def application_confirm_proposal(*, actor, application: Application, expected_version: int) -> Application:
    """A lead officer (not the proposer) confirms the proposed approval or refusal."""
    kind = application.proposal_kind
    data = dict(application.proposal_data)
    if kind == "approval":

        def effects(case):
            case.state = State.APPROVED
            _approval_effects(case, data)

        with transaction.atomic():
            case = application_transition(
                actor=actor,
                application=application,
                action="confirm_proposal",
                expected_version=expected_version,
                effects=effects,
                notify=lambda case, transition: notify_case(
                    case,
                    actor=actor,
                    kind="application_approved",
                    key="approved",
                    extra={"valid_until": data["valid_until"] or ""},
                ),
            )
            return _issue(actor=actor, application=case)

    reason_codes = data.get("reason_codes", [])
    note = data.get("note", "")
    if kind == "refusal":
        _reason_items(reason_codes, ReasonKind.REFUSAL, _recipient_language(application))

    def refusal_effects(case):
        case.state = State.REFUSED
        case.decided_at = timezone.now()
        case.proposal_kind = ""
        Pause.objects.filter(application=case, ended_on__isnull=True).update(ended_on=_today())
        if case.is_single_window:
            residence.close_after_work_refusal(case)
        notices.notice_create(
            application=case,
            kind=NoticeKind.REFUSAL,
            on=_today(),
            data={"reason_codes": reason_codes, "note": note},
        )

    return application_transition(
        actor=actor,
        application=application,
        action="confirm_proposal",
        expected_version=expected_version,
        reason_codes=reason_codes,
        comment=note,
        effects=refusal_effects,
        notify=lambda case, transition: notify_case(
            case,
            actor=actor,
            kind="application_refused",
            key="refused",
            extra=lambda language: {
                "reasons": _reason_items(reason_codes, ReasonKind.REFUSAL, language)
                if kind == "refusal"
                else [],
                "note": note,
            },
        ),
    )


def application_send_back_proposal(
    *, actor, application: Application, expected_version: int, comment: str
) -> Application:
    """A lead officer does not confirm: the case goes back to the officer."""

    def effects(case):
        case.proposal_kind = ""
        case.proposal_by = None
        case.proposal_at = None
        case.proposal_data = {}

    return application_transition(
        actor=actor,
        application=application,
        action="send_back_proposal",
        expected_version=expected_version,
        comment=comment,
        effects=effects,
    )
