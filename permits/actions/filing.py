"""Filling in a case: the two parts, the declaration, submission, withdrawal, answers, entry."""

from datetime import date

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from services.notifications.actions import notification_create
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound

from .. import classify, deadlines, rules, workflow
from ..models import (
    Application,
    Pause,
    Permit,
    PermitKind,
    SponsorshipStatus,
    State,
)
from ..parts import APPLICANT_FIELDS, EMPLOYER_FIELDS, applicant_part_complete, employer_part_complete
from .door import (
    _case_link,
    _lock,
    _parties,
    _record,
    _today,
    application_transition,
    notify_case,
)
from .issuance import cancellation_take_effect
from .review import refresh_deadlines

# --- Filling in the parts -----------------------------------------------------------------------


def _editable_by(case: Application, actor, party: workflow.Party) -> None:
    parties = _parties(case, actor)
    if not parties:
        raise NotFound()
    if party not in parties:
        raise Forbidden(_("This part of the application is filled in by the other party."))
    if not case.is_editable:
        raise NotAllowed(_("The application can no longer be changed."), code="not_editable")
    if case.sponsorship == SponsorshipStatus.DECLINED and not case.is_holder_request:
        raise NotAllowed(_("The employer declined this application."), code="sponsorship_declined")


def _invalidate_declaration(case: Application) -> None:
    # Any change after the declaration means the employer must declare again.
    case.declared_at = None
    case.declared_by = None
    case.declaration_kind = ""


def application_update_employer_part(
    *, actor, application: Application, expected_version: int, data: dict
) -> Application:
    """The employer's part: post, duties, salary, contract period, place of work."""
    unknown = set(data) - set(EMPLOYER_FIELDS)
    if unknown:
        raise InvalidInput(fields={name: [_("This field cannot be changed here.")] for name in unknown})
    with transaction.atomic():
        case = _lock(application, expected_version)
        _editable_by(case, actor, workflow.Party.SPONSOR)
        for name, value in data.items():
            setattr(case, name, value)
        case.employer_part_completed_at = timezone.now() if employer_part_complete(case) else None
        _invalidate_declaration(case)
        case.version += 1
        case.save()
        audit_record(actor=actor, action="application_employer_part_saved", target=case)
    return case


def application_update_applicant_part(
    *, actor, application: Application, expected_version: int, data: dict, passport_names: dict | None = None
) -> Application:
    """The applicant's part: identity, passport, education, experience, Chinese, family.

    ``passport_names`` are the names a passport reading pre-filled, when the applicant saves the
    identity step after that reading: saving confirms them, and the case keeps them as read
    (marked confirmed) for the pre-check's name comparison.
    """
    holder_fills_end = application.is_holder_request and not application.requested_by_id
    allowed = set(APPLICANT_FIELDS) | ({"job_end_date"} if holder_fills_end else set())
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput(fields={name: [_("This field cannot be changed here.")] for name in unknown})
    with transaction.atomic():
        case = _lock(application, expected_version)
        _editable_by(case, actor, workflow.Party.APPLICANT)
        for name, value in data.items():
            if name == "passport_number":
                case.set_passport_number(value)
            else:
                setattr(case, name, value)
        if passport_names:
            from .passport import confirmed_reading

            case.passport_reading = confirmed_reading(passport_names, at=timezone.now())
        case.applicant_part_completed_at = timezone.now() if applicant_part_complete(case) else None
        _invalidate_declaration(case)
        case.version += 1
        case.save()
        audit_record(
            actor=actor,
            action="application_applicant_part_saved",
            target=case,
            data={"passport_reading_confirmed": True} if passport_names else None,
        )
    return case


def application_declare(*, actor, application: Application, expected_version: int) -> Application:
    """The employer declares the filed information true (or signs the commitment pledge)."""
    with transaction.atomic():
        case = _lock(application, expected_version)
        _editable_by(case, actor, workflow.Party.SPONSOR)
        if case.employer_part_completed_at is None or case.applicant_part_completed_at is None:
            raise NotAllowed(
                _("Both parts must be complete before the declaration."), code="parts_incomplete"
            )
        case.declaration_kind = rules.expected_declaration(case, on=_today())
        case.declared_by = actor
        case.declared_at = timezone.now()
        case.version += 1
        case.save()
        _record(
            case,
            actor=actor,
            party=workflow.Party.SPONSOR,
            action="declared",
            from_state=case.state,
            data={"kind": case.declaration_kind},
        )
        audit_record(
            actor=actor, action="application_declared", target=case, data={"kind": case.declaration_kind}
        )
    return case


# --- Submission and after -----------------------------------------------------------------------


def _submission_effects(actor):
    def effects(case: Application) -> None:
        from services.classification.actions import assessment_record

        now = timezone.now()
        case.submitted_at = now
        case.submitted_language = (
            case.applicant.preferred_language if case.applicant_id else translation.get_language()
        )
        profile = classify.profile_for(case, on=_today())
        if profile is not None:
            case.assessment = assessment_record(
                actor=actor, profile=profile, on=_today(), claimed_category=case.claimed_class or None
            )
        dates = deadlines.for_case(case, green_channel=False, pauses=[])
        case.target_date = dates.target_date
        case.statutory_limit = None
        cancellation_take_effect(case)

    return effects


def application_submit(*, actor, application: Application, expected_version: int) -> Application:
    """Submit (or resubmit after a return). Idempotent: a repeat of the same submission returns it."""
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if (
            current.state == State.SUBMITTED
            and current.version == expected_version + 1
            and current.transitions.filter(action__in=("submit", "resubmit"), actor=actor).exists()
        ):
            return current
        action = "resubmit" if current.state == State.RETURNED else "submit"

        def notify(case, transition):
            notify_case(case, actor=actor, kind="application_submitted", key=f"v{case.version}")

        return application_transition(
            actor=actor,
            application=current,
            action=action,
            expected_version=expected_version,
            effects=_submission_effects(actor),
            notify=notify,
        )


def application_withdraw(
    *, actor, application: Application, expected_version: int, comment: str = ""
) -> Application:
    """Withdraw a case that is not yet decided."""

    def effects(case):
        case.decided_at = timezone.now()
        Pause.objects.filter(application=case, ended_on__isnull=True).update(ended_on=_today())
        if case.is_single_window:
            from .residence import withdraw_with_case

            withdraw_with_case(case)

    def notify(case, transition):
        notify_case(case, actor=actor, kind="application_withdrawn", key="withdrawn")

    return application_transition(
        actor=actor,
        application=application,
        action="withdraw",
        expected_version=expected_version,
        comment=comment,
        effects=effects,
        notify=notify,
    )


def application_answer(
    *, actor, application: Application, expected_version: int, comment: str = ""
) -> Application:
    """The applicant (or employer) answers a request for documents: the clock resumes."""

    def effects(case):
        Pause.objects.filter(application=case, ended_on__isnull=True).update(ended_on=_today())
        case.awaiting_since = None
        case.respond_by = None
        refresh_deadlines(case)

    def notify(case, transition):
        if case.assigned_officer_id:
            notification_create(
                actor=actor,
                kind="documents_answered",
                context={"reference": case.reference},
                recipient=case.assigned_officer,
                dedupe_key=f"documents_answered:{case.pk}:{case.version}",
                link=_case_link(case),
            )

    return application_transition(
        actor=actor,
        application=application,
        action="answer",
        expected_version=expected_version,
        comment=comment,
        effects=effects,
        notify=notify,
    )


def permit_record_entry(*, actor, permit: Permit, entry_date: date) -> Permit:
    """After a pre-entry notice: the holder records the date of entry; card and residence deadlines follow."""
    if permit.holder_id != actor.pk:
        raise NotFound()
    if permit.kind != PermitKind.NOTICE:
        raise NotAllowed(_("The date of entry is recorded on a work-permit notice."), code="not_a_notice")
    if entry_date > _today():
        raise InvalidInput(fields={"entry_date": [_("The date of entry cannot be in the future.")]})
    if entry_date < permit.valid_from:
        raise InvalidInput(
            fields={"entry_date": [_("The date of entry cannot be before the notice was issued.")]}
        )
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=permit.application_id)
        application.entry_date = entry_date
        application.save(update_fields=["entry_date", "updated_at"])
        audit_record(
            actor=actor, action="entry_recorded", target=permit, data={"entry_date": entry_date.isoformat()}
        )
    return permit
