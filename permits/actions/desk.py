"""The officer's desk: claiming and reassigning cases, internal notes, the class review."""

from django.db import transaction
from django.utils.translation import gettext as _

from services.classification.actions import assessment_confirm, assessment_override
from talent_portal.accounts.models import Duty, User
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed

from ..models import (
    Application,
    InternalNote,
    State,
)
from .door import _lock
from .review import _ensure_officer, refresh_deadlines

# --- Assignment ---------------------------------------------------------------------------------


def application_claim(*, actor, application: Application) -> Application:
    """An officer takes an unassigned case."""
    _ensure_officer(actor)
    with transaction.atomic():
        case = _lock(application, None)
        if case.state in (State.DRAFT, State.WITHDRAWN, State.CLOSED, State.ISSUED, State.REFUSED):
            raise NotAllowed(_("This case is not in the officers' queue."), code="not_in_queue")
        if case.assigned_officer_id not in (None, actor.pk):
            raise NotAllowed(_("Another officer has already claimed this case."), code="already_claimed")
        case.assigned_officer = actor
        case.save(update_fields=["assigned_officer", "updated_at"])
        audit_record(actor=actor, action="application_claimed", target=case)
    return case


def application_release(*, actor, application: Application) -> Application:
    """The assigned officer (or a lead officer) puts the case back in the queue."""
    _ensure_officer(actor)
    with transaction.atomic():
        case = _lock(application, None)
        if case.assigned_officer_id != actor.pk and not actor.has_duty(Duty.LEAD_OFFICER):
            raise Forbidden(_("Only the assigned officer or a lead officer can release the case."))
        case.assigned_officer = None
        case.save(update_fields=["assigned_officer", "updated_at"])
        audit_record(actor=actor, action="application_released", target=case)
    return case


def application_reassign(*, actor, application: Application, officer: User) -> Application:
    """A lead officer gives the case to another work-permit officer."""
    if not actor.has_duty(Duty.LEAD_OFFICER):
        raise Forbidden(_("Only a lead officer can reassign cases."))
    if not (officer.has_duty(Duty.WORK_PERMIT_OFFICER) or officer.has_duty(Duty.LEAD_OFFICER)):
        raise InvalidInput(fields={"officer": [_("Choose a work-permit officer.")]})
    with transaction.atomic():
        case = _lock(application, None)
        previous = case.assigned_officer_id
        case.assigned_officer = officer
        case.save(update_fields=["assigned_officer", "updated_at"])
        audit_record(
            actor=actor,
            action="application_reassigned",
            target=case,
            data={"from": previous, "to": officer.pk},
        )
    return case


def internal_note_add(*, actor, application: Application, text: str) -> InternalNote:
    """A note for officers only."""
    _ensure_officer(actor)
    if not text.strip():
        raise InvalidInput(fields={"text": [_("Write the note.")]})
    with transaction.atomic():
        note = InternalNote.objects.create(application=application, author=actor, text=text.strip())
        audit_record(actor=actor, action="internal_note_added", target=application)
    return note


# --- The class ----------------------------------------------------------------------------------


def application_confirm_class(*, actor, application: Application) -> Application:
    """The officer confirms the computed class of the case."""
    _ensure_officer(actor)
    if application.assessment is None:
        raise NotAllowed(_("This case has no class assessment."), code="no_assessment")
    assessment_confirm(actor=actor, record=application.assessment)
    return application


def application_override_class(*, actor, application: Application, category: str, reason: str) -> Application:
    """The officer sets another class, with a reason; the deadlines follow the new class."""
    _ensure_officer(actor)
    if application.assessment is None:
        raise NotAllowed(_("This case has no class assessment."), code="no_assessment")
    with transaction.atomic():
        assessment_override(actor=actor, record=application.assessment, category=category, reason=reason)
        case = _lock(application, None)
        case.assessment.refresh_from_db()
        refresh_deadlines(case)
        case.save(update_fields=["target_date", "statutory_limit", "updated_at"])
    return case
