"""Reads of cases and permits, always scoped to the requesting user."""

from datetime import timedelta

from django.db.models import Prefetch, Q, QuerySet

from talent_portal.accounts.models import Duty, Membership

from . import deadlines, parts, rules, workflow
from .models import Application, Document, DocumentVersion, Permit, PermitState, State, Transition


def _officer(user) -> bool:
    return user.has_duty(Duty.WORK_PERMIT_OFFICER) or user.has_duty(Duty.LEAD_OFFICER)


def _member_organization_ids(user):
    return Membership.objects.active().filter(user=user).values("organization_id")


def applications_visible_to(user) -> QuerySet[Application]:
    """Cases the user may see: their own, their organisations' and, for officers, every filed case."""
    if not user.is_authenticated:
        return Application.objects.none()
    condition = Q(applicant=user) | Q(organization_id__in=_member_organization_ids(user))
    if _officer(user):
        condition |= ~Q(state=State.DRAFT)
    return Application.objects.filter(condition).select_related("organization", "applicant", "source_permit")


def application_detail(user, public_id) -> Application | None:
    """One case with what its page needs, or None when the user may not see it."""
    documents = Document.objects.prefetch_related(
        Prefetch(
            "versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
        )
    )
    return (
        applications_visible_to(user)
        .prefetch_related(Prefetch("documents", queryset=documents), "pauses")
        .filter(public_id=public_id)
        .first()
    )


def my_applications(user) -> QuerySet[Application]:
    """The applicant's own cases, newest first."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(applicant=user).select_related("organization").order_by("-created_at")


def permits_of(user) -> QuerySet[Permit]:
    """The permits a person holds."""
    if not user.is_authenticated:
        return Permit.objects.none()
    return (
        Permit.objects.filter(holder=user)
        .select_related("organization", "application")
        .order_by("-valid_from")
    )


def permits_visible_to(user) -> QuerySet[Permit]:
    if not user.is_authenticated:
        return Permit.objects.none()
    condition = Q(holder=user) | Q(organization_id__in=_member_organization_ids(user))
    if _officer(user):
        return Permit.objects.all().select_related("organization", "holder")
    return Permit.objects.filter(condition).select_related("organization", "holder")


def timeline(user, application) -> list[Transition]:
    """The history shown to this user: officers also see internal steps."""
    transitions = application.transitions.select_related("actor").order_by("at", "id")
    if not _officer(user):
        transitions = transitions.filter(internal=False)
    return list(transitions)


def allowed_steps(user, application) -> list:
    """The declared steps this user could fire now (their guards are checked on submission)."""
    is_member = (
        Membership.objects.active().filter(user=user, organization_id=application.organization_id).exists()
    )
    parties = workflow.parties_of(application, user, is_sponsor_member=is_member)
    return [
        step
        for step in workflow.STEPS
        if application.state in step.sources
        and workflow.acting_party(step, parties) is not None
        and workflow.Party.SYSTEM not in parties
    ]


def parties_of(user, application) -> frozenset:
    is_member = (
        Membership.objects.active().filter(user=user, organization_id=application.organization_id).exists()
    )
    return workflow.parties_of(application, user, is_sponsor_member=is_member)


def what_is_needed(user, application) -> dict:
    """What the case waits for, from whom and by when — for the case page."""
    today = deadlines.today()
    info = {
        "employer_missing": parts.employer_missing(application),
        "applicant_missing": parts.applicant_missing(application),
        "submission_problems": [],
        "respond_by": application.respond_by,
        "target_date": application.target_date,
        "statutory_limit": application.statutory_limit,
    }
    if application.state in (State.DRAFT, State.RETURNED):
        info["submission_problems"] = rules.submission_problems(application, on=today)
    return info


def checklist_rows(application) -> list[dict]:
    """Each required document with its current version and its earlier ones."""
    from .checklist import hint_for
    from .models import DocumentKind

    today = deadlines.today()
    labels = dict(DocumentKind.choices)
    by_kind = {document.kind: document for document in application.documents.all()}
    rows = []
    for kind in rules.required_documents(application, on=today):
        document = by_kind.get(kind)
        versions = list(document.versions.all()) if document else []
        current = versions[0] if versions else None
        rows.append(
            {
                "kind": kind,
                "label": labels[kind],
                "hint": hint_for(kind),
                "current": current,
                "earlier": versions[1:],
                "dated": kind in rules.DATED_KINDS,
                "lapse_date": rules.lapse_date(current.issue_date)
                if current and current.issue_date
                else None,
            }
        )
    return rows


def document_version_for(user, public_id, version_id) -> DocumentVersion | None:
    """A document version the user may download, or None."""
    application = applications_visible_to(user).filter(public_id=public_id).first()
    if application is None:
        return None
    return DocumentVersion.objects.filter(pk=version_id, document__application=application).first()


def sponsored_staff(user, organization, *, state=None, expiring_within_days=None) -> dict:
    """An employer's view: its cases and its valid permits, with filters."""
    if not Membership.objects.active().filter(user=user, organization=organization).exists():
        return {"applications": Application.objects.none(), "permits": Permit.objects.none()}
    applications = Application.objects.filter(organization=organization).select_related("applicant")
    if state:
        applications = applications.filter(state=state)
    permits = (
        Permit.objects.filter(organization=organization).select_related("holder").order_by("valid_until")
    )
    if expiring_within_days:
        limit = deadlines.today() + timedelta(days=expiring_within_days)
        permits = permits.filter(state=PermitState.VALID, valid_until__lte=limit)
    return {"applications": applications.order_by("-created_at"), "permits": permits}


def public_status(reference: str, date_of_birth) -> Application | None:
    """The case matching a reference and the applicant's date of birth (nothing personal is shown)."""
    reference = reference.strip().upper()
    return (
        Application.objects.filter(reference=reference, date_of_birth=date_of_birth)
        .exclude(state=State.DRAFT)
        .first()
    )
