"""Single window: the residence track's door, its decisions, and the rules between the two tracks.

``track_transition`` mirrors ``application_transition`` for the residence track, declared in
``workflow.RESIDENCE_STEPS``. Locking order, everywhere: the ``Application`` row first, then its
``ResidenceTrack`` row. Every write that may lead to issuance holds the Application lock, so
two officers approving the two tracks at the same instant are serialised on that row and the
second one sees the first one's approval: both permits are issued exactly once.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from talent_portal.accounts.models import Duty
from talent_portal.core.actors import get_system_actor
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound, StaleVersion

from .. import deadlines, notices, residence, rules, workflow
from ..models import (
    Application,
    DocumentKind,
    FamilyMember,
    FeePaymentMethod,
    NoticeKind,
    ReasonCode,
    ReasonKind,
    ResidenceDocumentDecision,
    ResidencePermit,
    ResidenceTrack,
    ResidenceType,
    ReviewStatus,
    State,
    TrackPause,
    Transition,
)
from .door import _parties, _today, notify_case

logger = logging.getLogger(__name__)

TRACK = "residence"


def _lock_case(application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("organization", "applicant")
        .get(pk=application.pk)
    )


def _lock_track(case) -> ResidenceTrack:
    try:
        return ResidenceTrack.objects.select_for_update(of=("self",)).get(application_id=case.pk)
    except ResidenceTrack.DoesNotExist:
        raise NotFound() from None


def refresh_track_deadlines(track) -> None:
    pauses = [(pause.started_on, pause.ended_on) for pause in TrackPause.objects.filter(track=track)]
    dates = deadlines.for_track(track, pauses=pauses)
    if dates.target_date is not None:
        track.target_date = dates.target_date
    if dates.statutory_limit is not None:
        track.statutory_limit = dates.statutory_limit


def track_transition(
    *,
    actor,
    application,
    action: str,
    expected_version: int | None,
    reason_codes=(),
    comment: str = "",
    payload: dict | None = None,
    effects=None,
    notify=None,
) -> ResidenceTrack:
    """Fire one declared step of the residence track (lock, version, capacity, state, guards,
    effects, ``Transition`` row marked ``track="residence"``, notifications, version bump)."""
    try:
        step = workflow.residence_step(action)
    except KeyError:
        raise NotFound(_("Unknown action."), code="unknown_action") from None
    if step.needs_comment and not comment.strip():
        raise InvalidInput(fields={"comment": [_("Please write a comment for this step.")]})
    with transaction.atomic():
        case = _lock_case(application)
        track = _lock_track(case)
        if expected_version is not None and track.version != expected_version:
            raise StaleVersion()
        parties = _parties(case, actor)
        party = workflow.acting_party(step, parties)
        if party is None:
            if not parties:
                raise NotFound()
            raise Forbidden(_("You cannot do this on this case."))
        if track.state not in step.sources:
            raise NotAllowed(
                _("This cannot be done while the residence track is “%(state)s”.")
                % {"state": track.get_state_display()},
                code="invalid_transition",
            )
        context = rules.Context(
            application=case,
            actor=actor,
            parties=parties,
            on=_today(),
            payload={"reason_codes": list(reason_codes), **(payload or {})},
            track=track,
        )
        problems = [problem for guard in step.guards for problem in guard(context)]
        if problems:
            raise NotAllowed(
                " ".join(str(p) for p in problems), code="conditions_not_met", fields={"problems": problems}
            )
        from_state = track.state
        if step.target is not None:
            track.state = step.target
        if effects is not None:
            effects(case, track)
        track.version += 1
        track.save()
        transition = Transition.objects.create(
            application=case,
            track=TRACK,
            actor=actor,
            actor_role=str(party),
            action=action,
            from_state=from_state,
            to_state=track.state,
            reason_codes=list(reason_codes),
            comment=comment,
            internal=not step.public,
        )
        if notify is not None:
            notify(case, track, transition)
        audit_record(
            actor=actor,
            action=f"residence_{action}",
            target=case,
            data={"from": from_state, "to": track.state},
        )
    logger.info("track_transition", extra={"action": action, "application": case.pk, "to": track.state})
    return track


# --- Filing -------------------------------------------------------------------------------------


def single_window_open(
    *,
    actor,
    application: Application,
    residence_type: str = ResidenceType.WORK,
    requested_validity_months: int = 12,
    shanghai_address: str = "",
    accommodation_registration_number: str = "",
    health_certificate_issued_abroad: bool = False,
    family_members=(),
    guardian_consent: bool = False,
) -> ResidenceTrack:
    """The filers choose the single window and give the residence data (refused with the reasons
    when the case is not eligible: it then stays an ordinary case).

    Accompanying children's data needs ``guardian_consent`` (the applicant's, as parent or
    guardian): without it nothing is saved (400 on the field ``guardian_consent``).
    """
    if residence_type not in ResidenceType.values:
        raise InvalidInput(fields={"residence_type": [_("Choose the type of residence permit.")]})
    if not 3 <= int(requested_validity_months) <= residence.MAX_VALIDITY_YEARS * 12:
        raise InvalidInput(fields={"requested_validity_months": [_("Between 3 months and 5 years.")]})
    family_members = list(family_members)
    today = _today()
    problem = residence.guardian_consent_problem(family_members, consent=guardian_consent, on=today)
    if problem:
        raise InvalidInput(fields={"guardian_consent": [problem]})
    children = [member for member in family_members if residence.is_child(member, on=today)]
    with transaction.atomic():
        case = _lock_case(application)
        parties = _parties(case, actor)
        if not parties & workflow.FILERS:
            raise NotFound()
        if not case.is_editable:
            raise NotAllowed(_("The case can no longer be changed."), code="not_editable")
        problems = residence.eligibility_problems(case, on=_today())
        if problems:
            raise NotAllowed(
                " ".join(str(p) for p in problems), code="not_eligible", fields={"problems": problems}
            )
        track, _created = ResidenceTrack.objects.select_for_update().get_or_create(application=case)
        track.residence_type = residence_type
        track.requested_validity_months = int(requested_validity_months)
        track.shanghai_address = shanghai_address.strip()
        track.accommodation_registration_number = accommodation_registration_number.strip()
        track.health_certificate_issued_abroad = bool(health_certificate_issued_abroad)
        track.version += 1
        track.save()
        track.family_members.all().delete()
        consent_at = timezone.now() if children else None
        for member in family_members:
            FamilyMember.objects.create(
                track=track,
                guardian_consent_at=consent_at if residence.is_child(member, on=today) else None,
                **member,
            )
        case.is_single_window = True
        case.version += 1
        case.save(update_fields=["is_single_window", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="single_window_opened",
            target=case,
            data={"family_members": len(family_members), "children": len(children)},
        )
        if children:
            audit_record(
                actor=actor,
                action="guardian_consent_given",
                target=case,
                data={"children": len(children), "at": consent_at.isoformat()},
            )
    return track


def single_window_leave(*, actor, application: Application) -> Application:
    """Before submission, the filers go back to the ordinary route."""
    with transaction.atomic():
        case = _lock_case(application)
        if not _parties(case, actor) & workflow.FILERS:
            raise NotFound()
        if not case.is_editable or case.submitted_at is not None:
            raise NotAllowed(_("The case can no longer be changed."), code="not_editable")
        case.is_single_window = False
        case.version += 1
        case.save(update_fields=["is_single_window", "version", "updated_at"])
        audit_record(actor=actor, action="single_window_left", target=case)
    return case


# --- Between the tracks (called with the Application already locked) ---------------------------


def accept_with_case(case, *, actor) -> None:
    """The one window accepts the file: the residence track starts with the work-permit track."""

    def effects(case, track):
        track.accepted_at = timezone.now()
        refresh_track_deadlines(track)

    track_transition(actor=actor, application=case, action="accept", expected_version=None, effects=effects)


def _end_track(case, *, action: str, reason: str) -> None:
    track = ResidenceTrack.objects.filter(application_id=case.pk).first()
    if track is None or track.state not in workflow.RESIDENCE_STEPS_BY_ACTION[action].sources:
        return

    def effects(case, track):
        track.closed_reason = reason
        track.decided_at = timezone.now()
        TrackPause.objects.filter(track=track, ended_on__isnull=True).update(ended_on=_today())

    track_transition(
        actor=get_system_actor(), application=case, action=action, expected_version=None, effects=effects
    )


def close_after_work_refusal(case) -> None:
    """A refusal of the work permit closes the residence track, with the reason shown."""
    _end_track(
        case,
        action="close",
        reason=_("Closed because the work permit was refused: a residence permit for work needs one."),
    )


def withdraw_with_case(case) -> None:
    """Withdrawing the case ends both tracks."""
    _end_track(case, action="withdraw", reason=_("The application was withdrawn."))


def issue_if_ready(*, application) -> Application:
    """Synchronised issuance: when both tracks are approved, issue both permits together.

    Runs in the caller's transaction. Locks the Application, then the track, and re-checks
    both states, so it issues at most once whoever calls it.
    """
    from .issuance import issue_after_approval

    with transaction.atomic():
        case = _lock_case(application)
        track = ResidenceTrack.objects.select_for_update(of=("self",)).filter(application_id=case.pk).first()
        if not case.is_single_window or track is None:
            if case.state == State.APPROVED:
                return issue_after_approval(actor=get_system_actor(), application=case)
            return case
        if case.state != State.APPROVED or track.state != State.APPROVED:
            return case
        system = get_system_actor()
        case = issue_after_approval(actor=system, application=case, notify_holder=False)
        permit = case.issued_permits.order_by("-id").first()
        start = _today()
        valid_until = residence.residence_valid_until(
            track, start=start, work_permit_valid_until=permit.valid_until
        )
        fee = residence.fee_for(start, valid_until)
        issued = {}

        def effects(case, track):
            track.fee_cny = fee
            issued["permit"] = ResidencePermit.objects.create(
                track=track,
                work_permit=permit,
                holder=case.applicant,
                residence_type=track.residence_type,
                valid_from=start,
                valid_until=valid_until,
                fee_cny=fee,
            )

        def notify(case, track, transition):
            notify_case(
                case,
                actor=system,
                kind="single_window_issued",
                key=f"single_window_issued:{permit.pk}",
                extra={
                    "permit_number": permit.number,
                    "valid_until": permit.valid_until.isoformat(),
                    "residence_valid_until": valid_until.isoformat(),
                    "fee_cny": fee,
                },
            )

        track_transition(
            actor=system,
            application=case,
            action="issue",
            expected_version=None,
            effects=effects,
            notify=notify,
        )
        case.refresh_from_db()
    return case


# --- The exit-entry officers' side --------------------------------------------------------------


def _ensure_exit_entry(actor) -> None:
    if not actor.has_duty(Duty.EXIT_ENTRY_OFFICER):
        raise Forbidden()


def track_claim(*, actor, application: Application) -> ResidenceTrack:
    """An exit-entry officer takes an unassigned residence track."""
    _ensure_exit_entry(actor)
    with transaction.atomic():
        case = _lock_case(application)
        track = _lock_track(case)
        if track.state not in (State.ACCEPTED, State.UNDER_REVIEW, State.AWAITING_DOCUMENTS):
            raise NotAllowed(_("This residence track is not in the queue."), code="not_in_queue")
        if track.assigned_officer_id not in (None, actor.pk):
            raise NotAllowed(_("Another officer has already claimed this case."), code="already_claimed")
        track.assigned_officer = actor
        track.save(update_fields=["assigned_officer", "updated_at"])
        audit_record(actor=actor, action="residence_claimed", target=case)
    return track


def track_start_review(*, actor, application, expected_version: int) -> ResidenceTrack:
    return track_transition(
        actor=actor, application=application, action="start_review", expected_version=expected_version
    )


def track_request_documents(
    *, actor, application, expected_version: int, kinds, message: str
) -> ResidenceTrack:
    """Ask for more documents: only the residence track's clock stops."""
    kinds = list(kinds)
    if not kinds or any(kind not in DocumentKind.values for kind in kinds):
        raise InvalidInput(fields={"kinds": [_("Choose the documents you need.")]})
    today = _today()
    respond_by = today + timedelta(days=deadlines.RESPONSE_DAYS)

    def effects(case, track):
        TrackPause.objects.create(
            track=track, started_on=today, requested_kinds=kinds, message=message.strip()
        )
        track.awaiting_since = timezone.now()
        track.respond_by = respond_by

    def notify(case, track, transition):
        language = case.applicant.preferred_language if case.applicant_id else "zh-hans"
        with translation.override(language):
            labels = [str(dict(DocumentKind.choices)[kind]) for kind in kinds]
        notify_case(
            case,
            actor=actor,
            kind="documents_requested",
            key=f"residence-requested:{track.version}",
            extra={
                "message": message.strip(),
                "requested": labels,
                "respond_by": respond_by.isoformat(),
                "days_left": (respond_by - today).days,
            },
        )

    return track_transition(
        actor=actor,
        application=application,
        action="request_documents",
        expected_version=expected_version,
        comment=message,
        payload={"kinds": kinds},
        effects=effects,
        notify=notify,
    )


def track_answer(*, actor, application, expected_version: int, comment: str = "") -> ResidenceTrack:
    """The filers answer the residence track's request: its clock resumes."""

    def effects(case, track):
        TrackPause.objects.filter(track=track, ended_on__isnull=True).update(ended_on=_today())
        track.awaiting_since = None
        track.respond_by = None
        refresh_track_deadlines(track)

    return track_transition(
        actor=actor,
        application=application,
        action="answer",
        expected_version=expected_version,
        comment=comment,
        effects=effects,
    )


def track_approve(*, actor, application, expected_version: int) -> ResidenceTrack:
    """Approve the residence track; if the work-permit track is approved too, both are issued."""

    def effects(case, track):
        track.decided_at = timezone.now()

    with transaction.atomic():
        track = track_transition(
            actor=actor,
            application=application,
            action="approve",
            expected_version=expected_version,
            effects=effects,
        )
        issue_if_ready(application=application)
        track.refresh_from_db()
    return track


def track_propose_refusal(
    *, actor, application, expected_version: int, reason_codes, note: str = ""
) -> ResidenceTrack:
    """A refusal of the residence track takes effect only when a second exit-entry officer confirms it."""
    from .review import _reason_items

    _reason_items(list(reason_codes), ReasonKind.REFUSAL, "en")

    def effects(case, track):
        track.proposal_kind = "refusal"
        track.proposal_by = actor
        track.proposal_at = timezone.now()
        track.proposal_data = {"reason_codes": list(reason_codes), "note": note.strip()}

    return track_transition(
        actor=actor,
        application=application,
        action="propose_refusal",
        expected_version=expected_version,
        reason_codes=reason_codes,
        comment=note,
        effects=effects,
    )


def track_confirm_refusal(*, actor, application, expected_version: int) -> ResidenceTrack:
    """A second exit-entry officer confirms the refusal: the case leaves the single window and the
    work-permit track goes on as an ordinary case (issued at once if it was already approved)."""
    from .issuance import issue_after_approval

    def effects(case, track):
        track.decided_at = timezone.now()
        track.proposal_kind = ""
        track.closed_reason = track.proposal_data.get("note", "")
        TrackPause.objects.filter(track=track, ended_on__isnull=True).update(ended_on=_today())
        # The written decision (reasons and the right to reconsideration or a lawsuit), kept with the case.
        notices.notice_create(
            application=case,
            kind=NoticeKind.RESIDENCE_REFUSAL,
            on=_today(),
            data={
                "reason_codes": list(track.proposal_data.get("reason_codes", [])),
                "note": track.proposal_data.get("note", ""),
            },
        )
        case.is_single_window = False
        refresh_case_deadlines(case)
        case.version += 1
        case.save()

    with transaction.atomic():
        pending = ResidenceTrack.objects.filter(application_id=application.pk).first()
        reason_codes = pending.proposal_data.get("reason_codes", []) if pending is not None else []
        track = track_transition(
            actor=actor,
            application=application,
            action="confirm_refusal",
            expected_version=expected_version,
            reason_codes=reason_codes,
            effects=effects,
        )
        case = _lock_case(application)
        if case.state == State.APPROVED:
            issue_after_approval(actor=get_system_actor(), application=case)
    return track


def refresh_case_deadlines(case) -> None:
    """The work-permit track's target after it leaves the single window (its ordinary days)."""
    from .review import refresh_deadlines

    if case.accepted_at is not None and case.state in (
        State.ACCEPTED,
        State.UNDER_REVIEW,
        State.AWAITING_DOCUMENTS,
    ):
        refresh_deadlines(case)


def track_send_back_proposal(*, actor, application, expected_version: int, comment: str) -> ResidenceTrack:
    def effects(case, track):
        track.proposal_kind = ""
        track.proposal_by = None
        track.proposal_at = None
        track.proposal_data = {}

    return track_transition(
        actor=actor,
        application=application,
        action="send_back_proposal",
        expected_version=expected_version,
        comment=comment,
        effects=effects,
    )


def track_document_review(
    *, actor, application, version, status: str, reason_code: str = "", note: str = ""
) -> ResidenceDocumentDecision:
    """An exit-entry officer's own decision on a shared document (the work-permit side's stays as it is)."""
    _ensure_exit_entry(actor)
    if status not in (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED):
        raise InvalidInput(fields={"status": [_("Choose accepted or rejected.")]})
    if (
        status == ReviewStatus.REJECTED
        and not ReasonCode.objects.filter(code=reason_code, kind=ReasonKind.DEFECT, active=True).exists()
    ):
        raise InvalidInput(fields={"reason_code": [_("Choose the defect.")]})
    with transaction.atomic():
        case = _lock_case(application)
        track = _lock_track(case)
        if version.document.application_id != case.pk:
            raise NotFound()
        if track.state not in (State.ACCEPTED, State.UNDER_REVIEW, State.AWAITING_DOCUMENTS):
            raise NotAllowed(_("Documents are reviewed during the review."), code="not_reviewable")
        decision, _created = ResidenceDocumentDecision.objects.update_or_create(
            track=track,
            version=version,
            defaults={
                "status": status,
                "reason_code": reason_code if status == ReviewStatus.REJECTED else "",
                "note": note.strip(),
                "decided_by": actor,
            },
        )
        audit_record(actor=actor, action="residence_document_reviewed", target=case, data={"status": status})
    return decision


# --- Fee and passport hand-over -----------------------------------------------------------------


def _lock_for_filer_or_officer(application, actor):
    case = _lock_case(application)
    track = _lock_track(case)
    parties = _parties(case, actor)
    if not parties & (workflow.FILERS | workflow.EXIT_ENTRY):
        raise NotFound()
    return case, track, parties


def fee_record_payment(*, actor, application, amount_cny: int, method: str) -> ResidenceTrack:
    """Record the residence permit's fee as paid (the amount must be the computed band)."""
    if method not in FeePaymentMethod.values:
        raise InvalidInput(fields={"method": [_("Choose how the fee was paid.")]})
    with transaction.atomic():
        case, track, _parties_ = _lock_for_filer_or_officer(application, actor)
        if track.state != State.ISSUED or track.fee_cny is None:
            raise NotAllowed(_("The fee is due once the residence permit is issued."), code="fee_not_due")
        if track.fee_paid_at is not None:
            raise NotAllowed(_("The fee has already been paid."), code="fee_already_paid")
        if int(amount_cny) != track.fee_cny:
            raise InvalidInput(fields={"amount_cny": [_("The fee is CNY %(fee)d.") % {"fee": track.fee_cny}]})
        track.fee_paid_cny = int(amount_cny)
        track.fee_paid_at = timezone.now()
        track.fee_payment_method = method
        track.version += 1
        track.save()
        audit_record(actor=actor, action="residence_fee_paid", target=case, data={"amount": int(amount_cny)})
    return track


def appointment_book(*, actor, application, centre: str, on, slot: str) -> ResidenceTrack:
    """Book (or reschedule, until the day before) the passport hand-over for the residence sticker."""
    if slot not in residence.APPOINTMENT_SLOTS:
        raise InvalidInput(fields={"slot": [_("Choose one of the time slots.")]})
    if not centre.strip():
        raise InvalidInput(fields={"centre": [_("Choose the exit-entry centre.")]})
    today = _today()
    if on <= today:
        raise InvalidInput(fields={"date": [_("Choose a day after today.")]})
    with transaction.atomic():
        case, track, _parties_ = _lock_for_filer_or_officer(application, actor)
        if track.state not in (State.APPROVED, State.ISSUED):
            raise NotAllowed(
                _("The hand-over is booked once the residence track is approved."), code="not_approved"
            )
        if track.passport_returned_at is not None:
            raise NotAllowed(_("The passport has already been returned."), code="passport_returned")
        if track.appointment_date is not None:
            last_day = track.appointment_date - timedelta(days=residence.RESCHEDULE_UNTIL_DAYS_BEFORE)
            if today > last_day:
                raise NotAllowed(
                    _("The appointment can be changed until %(date)s.")
                    % {"date": date_format(last_day, "DATE_FORMAT")},
                    code="too_late_to_reschedule",
                )
            track.appointment_reschedules += 1
        track.appointment_centre = centre.strip()
        track.appointment_date = on
        track.appointment_slot = slot
        track.version += 1
        track.save()
        audit_record(
            actor=actor, action="residence_appointment_booked", target=case, data={"date": on.isoformat()}
        )
    return track


def passport_returned(*, actor, application) -> ResidenceTrack:
    """An exit-entry officer records that the passport (with its sticker) went back to the holder."""
    _ensure_exit_entry(actor)
    with transaction.atomic():
        case = _lock_case(application)
        track = _lock_track(case)
        if track.state != State.ISSUED or track.appointment_date is None:
            raise NotAllowed(_("No passport was handed over for this case."), code="no_hand_over")
        if track.passport_returned_at is not None:
            raise NotAllowed(_("The passport has already been returned."), code="passport_returned")
        track.passport_returned_at = timezone.now()
        track.version += 1
        track.save()
        audit_record(actor=actor, action="residence_passport_returned", target=case)
    return track
