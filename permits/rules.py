"""The rules of a case that guards and pages share.

A guard takes a ``Context`` and returns the list of reasons the step may not go ahead (empty
when it may). Submission lists every problem at once, so nobody fixes one defect at a time.
"""

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from talent_portal.accounts.models import CreditStanding

from . import checklist, classify
from .models import (
    DATED_KINDS,
    BusinessType,
    DeclarationKind,
    DocumentKind,
    ReviewStatus,
    Route,
    SponsorshipStatus,
    State,
)

# How long a non-criminal record or health certificate stays usable after its issue date.
DATED_DOCUMENT_VALIDITY = relativedelta(months=6)
# At most this many founders in one entrepreneur team (Shanghai, 7 September 2020).
ENTREPRENEUR_TEAM_LIMIT = 5
ENTREPRENEUR_CLASSES = frozenset({"A", "B"})
DELTA_CLASSES = frozenset({"A", "B"})


@dataclass
class Context:
    application: object
    actor: object
    parties: frozenset
    on: date
    payload: dict = field(default_factory=dict)
    # Single window: the residence track a residence step acts on.
    track: object = None


def lapse_date(issue_date: date) -> date:
    """The day a dated document stops being usable."""
    return issue_date + DATED_DOCUMENT_VALIDITY


def dated_document_problem(kind: str, issue_date: date | None, on: date) -> str | None:
    """Why a non-criminal record or health certificate cannot be used on ``on``, or None."""
    if kind not in DATED_KINDS:
        return None
    if issue_date is None:
        return _("Enter the date of issue printed on the document.")
    if issue_date > on:
        return _("The date of issue cannot be in the future.")
    lapsed = lapse_date(issue_date)
    if lapsed <= on:
        return _(
            "This document was issued more than 6 months ago: it lapsed on %(date)s. Please obtain a newer one."
        ) % {"date": date_format(lapsed, "DATE_FORMAT")}
    return None


def pledge_applies(business_type: str, talent_class: str) -> bool:
    """No-meeting approval: B/C notices, B/C extensions and every cancellation are filed under a pledge."""
    if business_type == BusinessType.CANCELLATION:
        return True
    return business_type in (BusinessType.NEW_NOTICE, BusinessType.EXTENSION) and talent_class in ("B", "C")


def checklist_facts(application, *, on: date) -> checklist.Facts:
    talent_class = classify.talent_class(application, on=on)
    return checklist.Facts(
        business_type=application.business_type,
        route=application.route,
        talent_class=talent_class,
        pledge=pledge_applies(application.business_type, talent_class),
        good_credit=application.organization.credit_standing == CreditStanding.GOOD,
        claims_criteria=bool(application.direct_a_criteria or application.direct_b_criteria),
        changing_employer=application.changing_employer,
        change_kinds=frozenset(application.change_kinds),
        single_window=application.is_single_window,
        health_certificate_abroad=application.is_single_window and _health_certificate_abroad(application),
    )


def _health_certificate_abroad(application) -> bool:
    """What the applicant stated on the residence step (only read for single-window cases)."""
    from .models import ResidenceTrack

    # A fresh read: the track cached on the case may be stale (and must not be cached here).
    return bool(
        ResidenceTrack.objects.filter(application_id=application.pk)
        .values_list("health_certificate_issued_abroad", flat=True)
        .first()
    )


def required_documents(application, *, on: date) -> list[str]:
    return checklist.required_kinds(checklist_facts(application, on=on))


def current_versions(application) -> dict:
    """The latest version of each uploaded document kind."""
    latest = {}
    for document in application.documents.all():
        versions = sorted(document.versions.all(), key=lambda version: version.number, reverse=True)
        if versions:
            latest[document.kind] = versions[0]
    return latest


def document_problems(application, *, on: date) -> list[str]:
    """Every missing, rejected or lapsed document of the checklist."""
    labels = dict(DocumentKind.choices)
    versions = current_versions(application)
    problems = []
    for kind in required_documents(application, on=on):
        version = versions.get(kind)
        name = labels[kind]
        if version is None:
            problems.append(_("%(document)s: not uploaded yet.") % {"document": name})
        elif version.status == ReviewStatus.REJECTED:
            problems.append(_("%(document)s: was rejected; upload a new version.") % {"document": name})
        else:
            problem = dated_document_problem(kind, version.issue_date, on)
            if problem:
                problems.append(f"{name}: {problem}")
    return problems


def part_problems(application, *, on: date) -> list[str]:
    problems = []
    if application.applicant_id is None:
        problems.append(_("The employee has not yet accepted the invitation to complete their part."))
    if application.applicant_part_completed_at is None:
        problems.append(_("The applicant's part is not complete."))
    if application.employer_part_completed_at is None:
        problems.append(_("The employer's part is not complete."))
    if application.is_holder_request:
        # The holder asks the commission directly: no sponsorship, no employer's declaration.
        return problems
    if application.sponsorship != SponsorshipStatus.CONFIRMED:
        problems.append(_("The employer has not confirmed the sponsorship."))
    if application.declared_at is None:
        problems.append(_("The employer has not yet made the declaration."))
    elif application.declaration_kind != expected_declaration(application, on=on):
        problems.append(_("The employer's declaration must be made again: the kind required has changed."))
    refusal = application.organization.sponsorship_refusal()
    if refusal:
        problems.append(str(refusal))
    if (
        application.contract_end
        and application.contract_end <= on
        and application.business_type != BusinessType.CANCELLATION
    ):
        problems.append(_("The employment contract has already ended."))
    if application.passport_expiry and application.passport_expiry <= on:
        problems.append(_("The passport has expired."))
    return problems


def route_problems(application, *, on: date) -> list[str]:
    problems = []
    if application.route == Route.ENTREPRENEUR:
        if not application.organization.may_sponsor_entrepreneurs:
            problems.append(_("Only a registered incubator or park may sponsor entrepreneurs."))
        if application.team_id is None:
            problems.append(_("An entrepreneur application belongs to a founders' team."))
        elif active_team_size(application.team_id) > ENTREPRENEUR_TEAM_LIMIT:
            problems.append(
                _("A founders' team has at most %(limit)d members.") % {"limit": ENTREPRENEUR_TEAM_LIMIT}
            )
        talent_class = classify.talent_class(application, on=on)
        if talent_class and talent_class not in ENTREPRENEUR_CLASSES:
            problems.append(_("Entrepreneur permits are for class A or class B talent only."))
    if application.route == Route.DELTA_RECOGNITION:
        if application.organization.zone != "yrd_demo_zone":
            problems.append(
                _(
                    "Recognition applies only to employers in the Qingpu part of the Yangtze River Delta demonstration zone."
                )
            )
        if not (application.delta_origin and application.delta_permit_number):
            problems.append(_("Give the permit issued in Wujiang or Jiashan."))
        if application.delta_permit_class not in DELTA_CLASSES:
            problems.append(_("Only class A and class B permits are recognised."))
        if application.delta_permit_valid_until and application.delta_permit_valid_until < on:
            problems.append(_("The permit issued in Wujiang or Jiashan has expired."))
    return problems


def active_team_size(team_id) -> int:
    from .models import Application

    return (
        Application.objects.filter(team_id=team_id)
        .exclude(state__in=(State.WITHDRAWN, State.REFUSED, State.CLOSED))
        .count()
    )


def expected_declaration(application, *, on: date) -> str:
    talent_class = classify.talent_class(application, on=on)
    if pledge_applies(application.business_type, talent_class):
        return DeclarationKind.PLEDGE
    return DeclarationKind.DECLARATION


def submission_problems(application, *, on: date) -> list[str]:
    """Every reason the case cannot be submitted now, all at once."""
    return (
        part_problems(application, on=on)
        + route_problems(application, on=on)
        + document_problems(application, on=on)
    )


# --- Guards of the workflow ---------------------------------------------------------------------


def ready_to_submit(context: Context) -> list[str]:
    from .precheck import blocking_messages  # the pre-check's comparisons (passport, name, salary)

    return (
        submission_problems(context.application, on=context.on)
        + blocking_messages(context)
        + single_window_problems(context.application, on=context.on)
    )


def single_window_problems(application, *, on: date) -> list[str]:
    """A single-window case must be eligible and carry the residence track's data."""
    if not application.is_single_window:
        return []
    from . import residence

    problems = residence.eligibility_problems(application, on=on)
    track = getattr(application, "residence_track", None)
    if track is None:
        return [*problems, _("The residence permit's part is missing.")]
    if not track.shanghai_address.strip():
        problems.append(_("Give the address in Shanghai."))
    if not track.accommodation_registration_number.strip():
        problems.append(_("Give the accommodation registration number."))
    return problems


def every_document_accepted(context: Context) -> list[str]:
    """Pre-check passes when every required document's current version is accepted.

    Class A cases (green channel) may be accepted with documents still missing.
    """
    application = context.application
    versions = current_versions(application)
    labels = dict(DocumentKind.choices)
    green_channel = classify.talent_class(application, on=context.on) == "A"
    problems = []
    for kind in required_documents(application, on=context.on):
        version = versions.get(kind)
        if version is None:
            if not green_channel:
                problems.append(_("%(document)s: missing.") % {"document": labels[kind]})
        elif version.status != ReviewStatus.ACCEPTED:
            problems.append(_("%(document)s: not accepted yet.") % {"document": labels[kind]})
    return problems


def has_defects(context: Context) -> list[str]:
    if context.payload.get("reason_codes"):
        return []
    rejected = [
        v for v in current_versions(context.application).values() if v.status == ReviewStatus.REJECTED
    ]
    if rejected:
        return []
    return [_("List at least one defect before returning the file.")]


def assigned_to_actor(context: Context) -> list[str]:
    application = context.application
    if "lead_officer" in context.parties or "system" in context.parties:
        return []
    if application.assigned_officer_id != context.actor.pk:
        return [_("Claim the case before working on it.")]
    return []


def requested_documents_uploaded(context: Context) -> list[str]:
    application = context.application
    requested_at = application.awaiting_since
    if requested_at is None:
        return []
    for version in current_versions(application).values():
        if version.uploaded_at >= requested_at:
            return []
    return [_("Upload the requested documents first.")]


def second_officer_needed(context: Context) -> list[str]:
    if needs_four_eyes_for_approval(context.application, on=context.on):
        return []
    return [_("This approval does not need a lead officer's confirmation.")]


def no_second_officer_needed(context: Context) -> list[str]:
    if needs_four_eyes_for_approval(context.application, on=context.on):
        return [
            _("A class-A approval on the points route takes effect only when a lead officer confirms it.")
        ]
    return []


def needs_four_eyes_for_approval(application, *, on: date) -> bool:
    snapshot = application.assessment.snapshot if application.assessment_id else {}
    return snapshot.get("category") == "A" and snapshot.get("decided_by") == "points"


def no_pending_proposal(context: Context) -> list[str]:
    if context.application.proposal_kind:
        return [_("A decision is already waiting for the lead officer.")]
    return []


def pending_proposal_by_someone_else(context: Context) -> list[str]:
    application = context.application
    if not application.proposal_kind:
        return [_("No decision is waiting for confirmation.")]
    if application.proposal_by_id == context.actor.pk:
        return [_("A decision must be confirmed by another officer.")]
    return []


def refusal_grounds_available(context: Context) -> list[str]:
    if context.payload.get("reason_codes"):
        return []
    return [_("Give at least one reason for the refusal.")]


def not_extended_yet(context: Context) -> list[str]:
    if context.application.limit_extended_at is not None:
        return [_("The statutory limit can be extended only once.")]
    return []


# --- Guards of the residence track (single window) ----------------------------------------------


def track_assigned_to_actor(context: Context) -> list[str]:
    if "system" in context.parties:
        return []
    if context.track.assigned_officer_id != context.actor.pk:
        return [_("Claim the residence track before working on it.")]
    return []


def track_no_pending_proposal(context: Context) -> list[str]:
    if context.track.proposal_kind:
        return [_("A decision is already waiting for a second exit-entry officer.")]
    return []


def track_pending_proposal_by_someone_else(context: Context) -> list[str]:
    track = context.track
    if not track.proposal_kind:
        return [_("No decision is waiting for confirmation.")]
    if track.proposal_by_id == context.actor.pk:
        return [_("A decision must be confirmed by another officer.")]
    return []


def track_requested_documents_uploaded(context: Context) -> list[str]:
    requested_at = context.track.awaiting_since
    if requested_at is None:
        return []
    for version in current_versions(context.application).values():
        if version.uploaded_at >= requested_at:
            return []
    return [_("Upload the requested documents first.")]


def track_no_rejected_document(context: Context) -> list[str]:
    """The residence track approves only when none of the current shared documents is rejected by it."""
    current = {version.pk for version in current_versions(context.application).values()}
    rejected = context.track.document_decisions.filter(status=ReviewStatus.REJECTED, version_id__in=current)
    if rejected.exists():
        return [_("A document was rejected for the residence permit: ask for a new version first.")]
    return []
