"""Reminders and deadline alerts: what is due on a day, written as notification rows.

Each function selects what is due on ``on`` and writes rows through the notifications app
(DESIGN's walls: permits notifies through it, never by mail itself). Every row's dedupe key
names the reminder — which kind, for which permit or case, at which threshold or deadline, to
whom — so running a function twice on the same day, or every hour, sends nothing twice. A
threshold missed while beat was down is caught up by the next run; an older, stale one is
skipped (a permit 29 days from expiry gets the 30-day reminder, not the 60-day one).

Run by ``permits.tasks`` as the system actor.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import translation

from services.notifications.actions import notification_create
from services.notifications.selectors import existing_dedupe_keys
from talent_portal.accounts.models import Duty, Membership, User
from talent_portal.core.workdays import working_days_between

from . import rules
from .deadlines import RESIDENCE_AFTER_ENTRY_DAYS
from .models import (
    UNDECIDED_STATES,
    Application,
    BusinessType,
    DocumentKind,
    DocumentVersion,
    Permit,
    PermitKind,
    PermitState,
    ReviewStatus,
    State,
)

logger = logging.getLogger(__name__)

# Days before the date at which a reminder goes out (each threshold once).
PERMIT_EXPIRY_DAYS = (90, 60, 30, 7)
NOTICE_LAPSE_DAYS = (30, 7)
ENTRY_DEADLINE_DAYS = (7, 2)
DOCUMENT_LAPSE_DAYS = (14, 3)
# Officers are warned this many working days before the statutory limit.
STATUTORY_NEAR_WORKING_DAYS = 3

# Cases whose clock runs: a target date passed or a statutory limit near means work to do.
CLOCK_RUNNING_STATES = (State.SUBMITTED, State.ACCEPTED, State.UNDER_REVIEW)


def threshold(days_left: int, thresholds) -> int | None:
    """The reminder due with ``days_left`` to go: the smallest threshold reached, or None."""
    if days_left < 0:
        return None
    reached = [days for days in thresholds if days_left <= days]
    return min(reached) if reached else None


@dataclass(frozen=True)
class _Message:
    kind: str
    key: str
    recipient: User
    context: dict
    link: str

    @property
    def dedupe_key(self) -> str:
        return f"{self.kind}:{self.key}:{self.recipient.pk}"


def _write(messages: list[_Message], *, actor) -> int:
    """Write the messages not written before; one short transaction each. Returns how many."""
    messages = list({message.dedupe_key: message for message in messages}.values())
    taken = existing_dedupe_keys(message.dedupe_key for message in messages)
    written = 0
    for message in messages:
        if message.dedupe_key in taken:
            continue
        with transaction.atomic():
            row = notification_create(
                actor=actor,
                kind=message.kind,
                recipient=message.recipient,
                context=message.context,
                dedupe_key=message.dedupe_key,
                link=message.link,
            )
        written += row is not None
    return written


def _path(name: str, **kwargs) -> str:
    # Stored without the language prefix: delivery adds the recipient's.
    with translation.override(None):
        return reverse(name, kwargs=kwargs)


def _staff_by_organization(organization_ids) -> dict[int, list[User]]:
    staff = defaultdict(list)
    memberships = (
        Membership.objects.active()
        .filter(organization_id__in=set(organization_ids), user__is_active=True)
        .select_related("user")
    )
    for membership in memberships:
        staff[membership.organization_id].append(membership.user)
    return staff


def _case_context(application: Application) -> dict:
    return {
        "reference": application.reference,
        "applicant_name": application.applicant_name,
        "organization": application.organization.display_name,
        "state": application.state,
    }


def _holder_and_staff(permit: Permit, staff: dict) -> list[tuple[User, str]]:
    """The holder (link: their applications) and the employer's staff (link: the staff page)."""
    people = []
    if permit.holder.is_active:
        people.append((permit.holder, _path("permits:my_applications")))
    employer_page = _path("permits:employer_staff", organization_id=permit.organization_id)
    people.extend(
        (user, employer_page) for user in staff.get(permit.organization_id, []) if user.pk != permit.holder_id
    )
    return people


# --- Holders and employers ----------------------------------------------------------------------


def permit_expiry_reminders(*, actor, on: date) -> int:
    """Valid work-permit cards expiring in 90, 60, 30 or 7 days: tell the holder and the employer."""
    permits = list(
        Permit.objects.filter(
            kind=PermitKind.CARD,
            state=PermitState.VALID,
            valid_until__gte=on,
            valid_until__lte=on + timedelta(days=max(PERMIT_EXPIRY_DAYS)),
        ).select_related("holder")
    )
    staff = _staff_by_organization(permit.organization_id for permit in permits)
    messages = []
    for permit in permits:
        days_left = (permit.valid_until - on).days
        days = threshold(days_left, PERMIT_EXPIRY_DAYS)
        if days is None:
            continue
        context = {
            "permit_number": permit.number,
            "holder_name": permit.holder_name,
            "valid_until": permit.valid_until.isoformat(),
            "days": days,
            "days_left": days_left,
        }
        messages.extend(
            _Message("permit_expiring", f"{permit.pk}:{days}", user, context, link)
            for user, link in _holder_and_staff(permit, staff)
        )
    return _write(messages, actor=actor)


def notice_lapse_reminders(*, actor, on: date) -> int:
    """Valid pre-entry notices not used yet (no entry recorded) that lapse soon."""
    permits = list(
        Permit.objects.filter(
            kind=PermitKind.NOTICE,
            state=PermitState.VALID,
            valid_until__gte=on - timedelta(days=1),
            valid_until__lt=on + timedelta(days=max(NOTICE_LAPSE_DAYS)),
        )
        .exclude(application__entry_date__isnull=False)
        .select_related("holder")
    )
    staff = _staff_by_organization(permit.organization_id for permit in permits)
    messages = []
    for permit in permits:
        # Valid until that day inclusive: the notice lapses the day after.
        lapses_on = permit.valid_until + timedelta(days=1)
        days = threshold((lapses_on - on).days, NOTICE_LAPSE_DAYS)
        if days is None:
            continue
        context = {
            "permit_number": permit.number,
            "holder_name": permit.holder_name,
            "lapses_on": lapses_on.isoformat(),
            "days": days,
        }
        messages.extend(
            _Message("notice_lapsing", f"{permit.pk}:{days}", user, context, link)
            for user, link in _holder_and_staff(permit, staff)
        )
    return _write(messages, actor=actor)


def _card_applied_for(application: Application) -> bool:
    return (
        Application.objects.filter(
            source_permit__application=application, business_type=BusinessType.NEW_CARD
        )
        .exclude(state__in=(State.DRAFT, State.WITHDRAWN))
        .exists()
    )


def entry_deadline_reminders(*, actor, on: date) -> int:
    """After entry on a notice: the card (15 days) and residence (30 days) deadlines draw near."""
    applications = list(
        Application.objects.filter(
            entry_date__isnull=False,
            entry_date__gte=on - timedelta(days=RESIDENCE_AFTER_ENTRY_DAYS),
            entry_date__lte=on,
        ).select_related("applicant", "organization")
    )
    staff = _staff_by_organization(application.organization_id for application in applications)
    messages = []
    for application in applications:
        link = _path("permits:application", public_id=application.public_id)
        people = [application.applicant] if application.applicant and application.applicant.is_active else []
        people += [
            user for user in staff.get(application.organization_id, []) if user.pk != application.applicant_id
        ]
        for which, deadline in (
            ("card", application.card_deadline),
            ("residence", application.residence_deadline),
        ):
            days_left = (deadline - on).days
            days = threshold(days_left, ENTRY_DEADLINE_DAYS)
            if days is None or (which == "card" and _card_applied_for(application)):
                continue
            context = {
                **_case_context(application),
                "which": which,
                "deadline": deadline.isoformat(),
                "days_left": days_left,
            }
            messages.extend(
                _Message("entry_deadline", f"{application.pk}:{which}:{days}", user, context, link)
                for user in people
            )
    return _write(messages, actor=actor)


def document_lapse_reminders(*, actor, on: date) -> int:
    """Dated documents (non-criminal record, health certificate) of undecided cases lapsing soon."""
    # lapse = issue + 6 months; select a little wider and compute each lapse date exactly.
    earliest_issue = on - rules.DATED_DOCUMENT_VALIDITY - timedelta(days=1)
    latest_issue = on + timedelta(days=max(DOCUMENT_LAPSE_DAYS) + 1) - rules.DATED_DOCUMENT_VALIDITY
    versions = (
        DocumentVersion.objects.filter(
            document__kind__in=rules.DATED_KINDS,
            document__application__state__in=UNDECIDED_STATES,
            document__application__applicant__isnull=False,
            issue_date__gte=earliest_issue,
            issue_date__lte=latest_issue,
        )
        .exclude(status=ReviewStatus.REJECTED)
        .annotate(latest_number=Max("document__versions__number"))
        .select_related("document__application__applicant", "document__application__organization")
    )
    messages = []
    for version in versions:
        if version.number != version.latest_number:
            continue  # replaced by a newer upload
        lapses_on = rules.lapse_date(version.issue_date)
        days = threshold((lapses_on - on).days, DOCUMENT_LAPSE_DAYS)
        application = version.document.application
        applicant = application.applicant
        if days is None or not applicant.is_active:
            continue
        with translation.override(applicant.preferred_language):
            label = str(DocumentKind(version.document.kind).label)
        context = {**_case_context(application), "document": label, "lapses_on": lapses_on.isoformat()}
        link = _path("permits:application", public_id=application.public_id)
        messages.append(_Message("document_expiring", f"{version.pk}:{days}", applicant, context, link))
    return _write(messages, actor=actor)


# --- Officers -----------------------------------------------------------------------------------


def deadline_alerts(*, actor, on: date) -> int:
    """Target date passed, statutory limit near or breached: tell the officer and the lead officers."""
    leads = list(User.objects.filter(groups__name=Duty.LEAD_OFFICER, is_active=True).distinct())
    horizon = on + timedelta(days=STATUTORY_NEAR_WORKING_DAYS * 3 + 10)  # calendar days, generous
    cases = Application.objects.filter(
        Q(state__in=CLOCK_RUNNING_STATES, target_date__lt=on)
        | Q(state__in=(State.ACCEPTED, State.UNDER_REVIEW), statutory_limit__lte=horizon)
    ).select_related("assigned_officer", "organization")
    messages = []
    for case in cases:
        officers = list(leads)
        if (
            case.assigned_officer
            and case.assigned_officer.is_active
            and case.assigned_officer not in officers
        ):
            officers.insert(0, case.assigned_officer)
        link = _path("permits:review", public_id=case.public_id)
        context = _case_context(case)
        alerts = []
        if case.target_date and case.target_date < on:
            alerts.append(
                (
                    "target_passed",
                    f"{case.pk}:{case.target_date}",
                    {"target_date": case.target_date.isoformat()},
                )
            )
        if case.statutory_limit and case.state in (State.ACCEPTED, State.UNDER_REVIEW):
            limit = case.statutory_limit.isoformat()
            if case.statutory_limit < on:
                alerts.append(("statutory_breached", f"{case.pk}:{limit}", {"statutory_limit": limit}))
            else:
                left = working_days_between(on, case.statutory_limit)
                if left <= STATUTORY_NEAR_WORKING_DAYS:
                    alerts.append(
                        (
                            "statutory_near",
                            f"{case.pk}:{limit}",
                            {"statutory_limit": limit, "working_days_left": left},
                        )
                    )
        for kind, key, extra in alerts:
            messages.extend(_Message(kind, key, user, {**context, **extra}, link) for user in officers)
    return _write(messages, actor=actor) + residence_deadline_alerts(actor=actor, on=on)


def residence_deadline_alerts(*, actor, on: date) -> int:
    """Single window: the residence track's target passed, statutory limit near or breached — to
    the assigned exit-entry officer (one ``residence_deadline`` row per alert, deadline and officer)."""
    from .models import ResidenceTrack

    horizon = on + timedelta(days=STATUTORY_NEAR_WORKING_DAYS * 3 + 10)  # calendar days, generous
    tracks = (
        ResidenceTrack.objects.filter(
            state__in=(State.ACCEPTED, State.UNDER_REVIEW),
            assigned_officer__isnull=False,
            assigned_officer__is_active=True,
        )
        .filter(Q(target_date__lt=on) | Q(statutory_limit__lte=horizon))
        .select_related("assigned_officer", "application__organization")
    )
    messages = []
    for track in tracks:
        case = track.application
        link = _path("permits:residence_track", public_id=case.public_id)
        context = {**_case_context(case), "state": track.state}
        alerts = []
        if track.target_date and track.target_date < on:
            alerts.append(("target_passed", track.target_date, 0))
        if track.statutory_limit:
            if track.statutory_limit < on:
                alerts.append(("statutory_breached", track.statutory_limit, 0))
            else:
                left = working_days_between(on, track.statutory_limit)
                if left <= STATUTORY_NEAR_WORKING_DAYS:
                    alerts.append(("statutory_near", track.statutory_limit, left))
        for alert, deadline, left in alerts:
            messages.append(
                _Message(
                    "residence_deadline",
                    f"{track.pk}:{alert}:{deadline.isoformat()}",
                    track.assigned_officer,
                    {**context, "which": alert, "deadline": deadline.isoformat(), "working_days_left": left},
                    link,
                )
            )
    return _write(messages, actor=actor)
