"""Reads for the employer dashboard and the applicant's home, each scoped to the requesting user.

Counts are aggregate queries; lists are bounded; every page makes the same number of queries
whatever the number of staff or cases.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _

from permits import deadlines
from permits.models import (
    FINAL_STATES,
    OPEN_STATES,
    Application,
    BusinessType,
    Permit,
    PermitKind,
    PermitState,
    State,
    TalentClass,
)
from services.outreach import selectors as outreach_selectors
from services.outreach.models import ACTIVE_REGISTRATION_STATES
from talent_portal.accounts import selectors as account_selectors
from talent_portal.core.workdays import SHANGHAI

# The applicant is told to apply for an extension this many days before the permit ends.
EXTENSION_ADVICE_DAYS = 30
EXPIRY_HORIZON_DAYS = 365
EXTENSION_WINDOWS = (30, 60, 90, 180)
DEFAULT_EXTENSION_WINDOW = 90
OPEN_CASES_SHOWN = 200


def _open_extension_of(permit_field: str = "pk"):
    """Whether an extension case starting from the permit is still under way."""
    return Exists(
        Application.objects.filter(
            source_permit=OuterRef(permit_field), business_type=BusinessType.EXTENSION
        ).exclude(state__in=FINAL_STATES)
    )


def waiting_for(application) -> str:
    """What an open case waits for, in words an employer understands."""
    if application.state == State.DRAFT:
        if application.applicant_id is None:
            return _("the employee to accept the invitation")
        return _("both parts to be completed and the case submitted")
    if application.state == State.AWAITING_DOCUMENTS and application.respond_by:
        return _("documents from the applicant, by {date}").format(date=application.respond_by.isoformat())
    return {
        State.SUBMITTED: _("the commission's pre-check"),
        State.RETURNED: _("corrections by the applicant and the employer"),
        State.ACCEPTED: _("an officer to start the review"),
        State.UNDER_REVIEW: _("the officer's decision"),
        State.AWAITING_DOCUMENTS: _("documents from the applicant"),
        State.APPROVED: _("the issuance of the permit"),
    }.get(application.state, "")


# --- Employer -----------------------------------------------------------------------------------


@dataclass
class EmployerOverview:
    organization: object
    headcount_columns: list  # permit states (label)
    headcount_rows: list  # [class label, count per state…, total]
    expiry_months: list  # [["2026-04", n], …] for the next 12 months
    expiring: list  # permits expiring within the window, with ``open_extension``
    window: int
    open_cases: list


def employer_overview(
    user, organization_id, *, window: int = DEFAULT_EXTENSION_WINDOW
) -> EmployerOverview | None:
    """One organisation's numbers, for its active members only (None for anyone else)."""
    organization = account_selectors.organization_for_member(user, organization_id)
    if organization is None:
        return None
    today = deadlines.today()
    permits = Permit.objects.filter(organization=organization).order_by()

    # Headcount: distinct people per class and permit status (a number is one person for life).
    counts = {}
    for row in permits.values("talent_class", "state").annotate(people=Count("number", distinct=True)):
        counts[(row["talent_class"], row["state"])] = row["people"]
    states = list(PermitState)
    headcount_rows = []
    for talent_class in TalentClass:
        figures = [counts.get((talent_class.value, state.value), 0) for state in states]
        if any(figures):
            headcount_rows.append([talent_class.label, *figures, sum(figures)])

    # The next 12 months of expiries of valid permits, per month.
    horizon = today + timedelta(days=EXPIRY_HORIZON_DAYS)
    by_month: dict[str, int] = {}
    expiring_rows = permits.filter(state=PermitState.VALID, valid_until__gte=today, valid_until__lte=horizon)
    for row in expiring_rows.values("valid_until").annotate(count=Count("id")):
        key = row["valid_until"].strftime("%Y-%m")
        by_month[key] = by_month.get(key, 0) + row["count"]
    months = []
    cursor = today.replace(day=1)
    while cursor <= horizon:
        key = cursor.strftime("%Y-%m")
        months.append([key, by_month.get(key, 0)])
        cursor = (cursor + timedelta(days=32)).replace(day=1)

    expiring = list(
        expiring_rows.filter(valid_until__lte=today + timedelta(days=window))
        .select_related("holder")
        .annotate(open_extension=_open_extension_of())
        .order_by("valid_until", "id")
    )
    for permit in expiring:
        permit.days_left = (permit.valid_until - today).days

    open_cases = list(
        Application.objects.filter(organization=organization, state__in=OPEN_STATES | {State.DRAFT})
        .select_related("applicant")
        .order_by("target_date", "created_at", "id")[:OPEN_CASES_SHOWN]
    )
    for case in open_cases:
        case.waiting_for = waiting_for(case)
    return EmployerOverview(
        organization=organization,
        headcount_columns=[state.label for state in states],
        headcount_rows=headcount_rows,
        expiry_months=months,
        expiring=expiring,
        window=window,
        open_cases=open_cases,
    )


def extension_candidates(user, organization, *, within_days: int, today: date):
    """Valid cards of the organisation ending within ``within_days`` with no extension under way."""
    if account_selectors.organization_for_member(user, organization.pk) is None:
        return Permit.objects.none()
    return (
        Permit.objects.filter(
            organization=organization,
            kind=PermitKind.CARD,
            state=PermitState.VALID,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=within_days),
        )
        .annotate(open_extension=_open_extension_of())
        .filter(open_extension=False)
        .select_related("holder", "organization", "application")
        .order_by("valid_until", "id")
    )


# --- Applicant ----------------------------------------------------------------------------------


@dataclass
class ApplicantHome:
    permits: list
    open_cases: list
    registrations: list


def applicant_home(user) -> ApplicantHome:
    """The person's permits with days left and the next step, open cases, registered events."""
    today = deadlines.today()
    permits = list(
        Permit.objects.filter(holder=user)
        .select_related("organization")
        .annotate(open_extension=_open_extension_of())
        .order_by("-valid_until", "-id")[:20]
    )
    for permit in permits:
        permit.days_left = (permit.valid_until - today).days
        permit.extend_by = permit.valid_until - timedelta(days=EXTENSION_ADVICE_DAYS)
        permit.is_current = (
            permit.state == PermitState.VALID and permit.valid_from <= today <= permit.valid_until
        )
        permit.documents_available = permit.is_current and permit.kind == PermitKind.CARD
    open_cases = list(
        Application.objects.filter(applicant=user, state__in=OPEN_STATES | {State.DRAFT})
        .select_related("organization", "residence_track")
        .order_by("-created_at")[:20]
    )
    for case in open_cases:
        case.expected = deadlines.expected_date(case)
    registrations = list(
        outreach_selectors.registrations_of(user)
        .filter(status__in=ACTIVE_REGISTRATION_STATES, event__ends_at__gte=_start_of(today))
        .order_by("event__starts_at", "pk")[:20]
    )
    return ApplicantHome(permits=permits, open_cases=open_cases, registrations=registrations)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def holder_permit(user, number: str) -> Permit | None:
    """A permit the signed-in person holds (the newest under that number), or None."""
    return (
        Permit.objects.filter(holder=user, number=number)
        .select_related("organization", "application")
        .order_by("-valid_from", "-id")
        .first()
    )
