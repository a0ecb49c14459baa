"""Deadlines of a case in working days on the mainland-China calendar (Asia/Shanghai).

Two dates per case (DESIGN, "The case workflow"): the *target date* (pre-check 5 working days
from submission; review 5 for class A and recognised Shanghai high-end categories, 10 for
others, from acceptance), past which it is overdue, and the *statutory limit* (20 working days
from acceptance, extendable once by 10), past which it is in breach. While the case waits for
the applicant the clock stops: the request's day is the last counted day, and counting resumes
the working day after the answer.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from talent_portal.core.workdays import add_working_days, shanghai_date, shanghai_today, working_days_between

# Working days (sources: State Council order 2017 on work permits; Administrative Licensing Law art. 42).
PRECHECK_DAYS = 5
REVIEW_DAYS_GREEN_CHANNEL = 5
REVIEW_DAYS = 10
STATUTORY_DAYS = 20
STATUTORY_EXTENSION_DAYS = 10
# Calendar days, after a pre-entry notice: the card within 15 days of entry, residence within 30.
CARD_AFTER_ENTRY_DAYS = 15
RESIDENCE_AFTER_ENTRY_DAYS = 30
# How long an applicant has to answer a request for documents (calendar days; setting
# PERMITS_RESPONSE_DAYS, from the environment).
RESPONSE_DAYS = getattr(settings, "PERMITS_RESPONSE_DAYS", 30)
# Single window (Shanghai): 7 working days for each track from acceptance; the residence
# track's statutory limit is 15 working days (see ``permits.residence``).
SINGLE_WINDOW_TARGET_DAYS = 7
RESIDENCE_STATUTORY_DAYS = 15

__all__ = [
    "add_working_days",
    "counted_deadline",
    "working_days_between",
]


def counted_deadline(start: date, days: int, pauses=()) -> date | None:
    """The ``days``-th counted working day after ``start``, skipping paused spans.

    ``pauses`` are ``(started_on, ended_on)`` pairs; ``ended_on`` None means the clock is still
    stopped, and then the deadline is unknown (None) unless it falls before the pause.
    """
    remaining = days
    cursor = start
    for started_on, ended_on in sorted(pauses, key=lambda pause: pause[0]):
        if started_on < cursor:
            started_on = cursor
        available = working_days_between(cursor, started_on)
        if available >= remaining:
            return add_working_days(cursor, remaining)
        remaining -= available
        if ended_on is None:
            return None
        cursor = max(cursor, ended_on)
    return add_working_days(cursor, remaining)


@dataclass(frozen=True)
class Deadlines:
    target_date: date | None
    statutory_limit: date | None
    clock_stopped: bool


def review_days(*, green_channel: bool) -> int:
    return REVIEW_DAYS_GREEN_CHANNEL if green_channel else REVIEW_DAYS


def for_case(application, *, green_channel: bool, pauses=None) -> Deadlines:
    """The case's target date and statutory limit as they stand now."""
    if pauses is None:
        pauses = [(p.started_on, p.ended_on) for p in application.pauses.all()]
    clock_stopped = any(ended is None for _started, ended in pauses)
    if application.accepted_at is not None:
        accepted_on = shanghai_date(application.accepted_at)
        limit_days = STATUTORY_DAYS + (STATUTORY_EXTENSION_DAYS if application.limit_extended_at else 0)
        days = review_days(green_channel=green_channel)
        if getattr(application, "is_single_window", False):
            days = min(days, SINGLE_WINDOW_TARGET_DAYS)
        return Deadlines(
            target_date=counted_deadline(accepted_on, days, pauses),
            statutory_limit=counted_deadline(accepted_on, limit_days, pauses),
            clock_stopped=clock_stopped,
        )
    if application.submitted_at is not None:
        submitted_on = shanghai_date(application.submitted_at)
        return Deadlines(
            target_date=add_working_days(submitted_on, PRECHECK_DAYS),
            statutory_limit=None,
            clock_stopped=False,
        )
    return Deadlines(target_date=None, statutory_limit=None, clock_stopped=False)


def for_track(track, pauses=None) -> Deadlines:
    """The residence track's target date (7) and statutory limit (15), with its own pauses."""
    if pauses is None:
        pauses = [(p.started_on, p.ended_on) for p in track.pauses.all()]
    if track.accepted_at is None:
        return Deadlines(target_date=None, statutory_limit=None, clock_stopped=False)
    accepted_on = shanghai_date(track.accepted_at)
    return Deadlines(
        target_date=counted_deadline(accepted_on, SINGLE_WINDOW_TARGET_DAYS, pauses),
        statutory_limit=counted_deadline(accepted_on, RESIDENCE_STATUTORY_DAYS, pauses),
        clock_stopped=any(ended is None for _started, ended in pauses),
    )


def expected_date(application) -> date | None:
    """When the whole case is expected: a single-window case waits for the later of its tracks."""
    dates = [application.target_date]
    track = getattr(application, "residence_track", None) if application.is_single_window else None
    if track is not None and track.state not in ("refused", "closed", "withdrawn"):
        dates.append(track.target_date)
    if any(value is None for value in dates):
        return None
    return max(dates)


def today() -> date:
    return shanghai_today()
