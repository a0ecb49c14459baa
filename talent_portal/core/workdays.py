"""The mainland-China working-day calendar that case deadlines are counted on (Asia/Shanghai).

A working day is:

* Monday to Friday, unless it is a public holiday or a day off given in exchange (调休);
* a Saturday or Sunday that the State Council made a working day (the make-up day of a swap);
* and, above both rules, whatever an administrator entered as a ``CalendarOverride``.

Where the days come from
    ``holidays.China`` (the maintained ``holidays`` package) gives the days off: the statutory
    holidays, the days off in lieu, and the "day off (substituted from …)" days. The make-up
    working days come from the same object's ``weekend_workdays`` set: the library's public
    attribute ("working days moved to weekends") that its own ``is_working_day`` uses, filled
    from the State Council schedules the library ships, including the make-up days that fall
    in the year before their holiday (a New Year break swapped with a late-December weekend).
    Holiday names are never parsed.

Published or provisional
    A year is *published* when its days follow the State Council's notice, and *provisional*
    when they are an estimate: the statutory holidays, a holiday falling on a weekend moved to
    the next working day, and no make-up days. The rule, first match wins:

    1. an administrator's ``CalendarYear`` row for the year decides (``published`` ticked or
       not, ``source_note`` saying why). They tick it once the notice's days are in the calendar
       (the library's, plus overrides for what it lacks), or untick it when the library's
       schedule is known to be superseded;
    2. otherwise the year is published if and only if the library's China data holds swap
       entries (调休) for it. Every State Council notice since 2001 has swapped at least one
       weekend, so a year without any is a year whose notice the library does not have.

    A provisional year still counts days (cases cannot wait); callers show the flag beside any
    deadline that falls in one (``is_provisional``).

Speed and freshness
    Officer queues compute deadlines for many cases per request, so each year is computed once
    per process and kept in memory, and the administrators' entries (two small tables) are read
    in one go. Saving or deleting an entry forgets this process's calendar at once and, after
    commit, stores a new token under ``VERSION_CACHE_KEY`` in Django's cache. Every process
    compares that token at most once every ``CHECK_INTERVAL_SECONDS`` and forgets its calendar
    when it changed or cannot be read, so other processes follow within a minute. In the steady
    state a lookup touches neither the database nor the cache.

Dates are Shanghai calendar dates. Turn a moment into one with ``shanghai_date``; the counting
functions refuse a ``datetime``, whose calendar date depends on the time zone it is read in.
"""

import logging
import time
import uuid
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CalendarOverride, CalendarYear

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
VERSION_CACHE_KEY = "core:workdays:version"
CHECK_INTERVAL_SECONDS = 60

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5

# Indirection so that tests can move the clock; time-machine does not move time.monotonic.
_clock = time.monotonic


class YearStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    PROVISIONAL = "provisional", _("provisional")


@dataclass(frozen=True)
class _AdminEntries:
    overrides: MappingProxyType  # date -> CalendarOverride.Kind value
    published: MappingProxyType  # year -> bool


@dataclass(frozen=True)
class _Year:
    status: YearStatus
    working_days: tuple[date, ...]  # sorted, so that counting is a bisection
    working_set: frozenset[date]


class _Freshness:
    """When this process last compared the shared version token, and what it saw."""

    checked_at: float | None = None
    token: str | None = None


_freshness = _Freshness()


# --- Public functions -------------------------------------------------------------------------


def is_working_day(day: date) -> bool:
    """Whether government offices in Shanghai are open on ``day``."""
    _require_date(day)
    _ensure_fresh()
    return day in _year(day.year).working_set


def add_working_days(start: date, days: int) -> date:
    """The date of the ``days``-th working day after ``start``; ``start`` itself never counts.

    ``days == 0`` returns ``start`` unchanged; a negative ``days`` raises ``ValueError``.
    """
    _require_date(start)
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    if days == 0:
        return start
    _ensure_fresh()
    year = start.year
    working_days = _year(year).working_days
    position = bisect_right(working_days, start)
    remaining = days
    while remaining > len(working_days) - position:
        remaining -= len(working_days) - position
        year += 1
        working_days = _year(year).working_days
        position = 0
    return working_days[position + remaining - 1]


def working_days_between(start: date, end: date) -> int:
    """The number of working days after ``start`` up to and including ``end`` (0 if end <= start).

    The inverse of ``add_working_days``: ``working_days_between(s, add_working_days(s, n)) == n``.
    """
    _require_date(start)
    _require_date(end)
    if end <= start:
        return 0
    _ensure_fresh()
    total = 0
    for year in range(start.year, end.year + 1):
        working_days = _year(year).working_days
        low = bisect_right(working_days, start) if year == start.year else 0
        high = bisect_right(working_days, end) if year == end.year else len(working_days)
        total += high - low
    return total


def year_status(year: int) -> YearStatus:
    """``"published"`` when ``year`` follows the State Council's schedule, else ``"provisional"``."""
    _ensure_fresh()
    return _year(year).status


def is_provisional(day: date) -> bool:
    """Whether ``day`` lies in a year whose schedule is only estimated."""
    _require_date(day)
    return year_status(day.year) == YearStatus.PROVISIONAL


def special_days(year: int) -> dict[date, bool]:
    """The days of ``year`` that depart from "Monday to Friday": date -> is a working day.

    Weekday holidays and weekend working days, in date order, for an administrator to compare
    with the State Council's notice.
    """
    _ensure_fresh()
    working_set = _year(year).working_set
    special = {}
    day = date(year, 1, 1)
    while day.year == year:
        is_working = day in working_set
        if is_working != (day.weekday() < _SATURDAY):
            special[day] = is_working
        day += _ONE_DAY
    return special


def library_has_schedule(year: int) -> bool:
    """Whether the ``holidays`` package ships the State Council's swap schedule for ``year``."""
    return _library_year(year)[2]


def shanghai_date(moment: datetime) -> date:
    """The calendar date in Shanghai at an aware ``moment``; a naive one raises ``ValueError``."""
    if timezone.is_naive(moment):
        raise ValueError("shanghai_date needs an aware datetime: a naive one has no place on the calendar")
    return moment.astimezone(SHANGHAI).date()


def shanghai_today() -> date:
    """Today's date in Shanghai, wherever the server's clock is set."""
    return shanghai_date(timezone.now())


def calendar_changed(*, using: str | None = None) -> None:
    """Forget this process's calendar now and, after commit, tell the other processes.

    Called by the models' ``post_save``/``post_delete`` receivers.
    """
    _forget()
    transaction.on_commit(_publish_change, using=using)


def clear_cache() -> None:
    """Forget the calendar and re-read the shared version on the next call (tests, the shell)."""
    _forget()
    _freshness.checked_at = None


# --- Computing a year -------------------------------------------------------------------------


def _require_date(value) -> None:
    # datetime is a subclass of date: without this check a UTC moment would silently be counted
    # from its UTC date, a day early for every case submitted before 08:00 in Shanghai.
    if isinstance(value, datetime):
        raise TypeError("expected a date; convert a datetime with shanghai_date() first")
    if not isinstance(value, date):
        raise TypeError(f"expected a date, got {type(value).__name__}")


def _library_year(year: int) -> tuple[frozenset[date], frozenset[date], bool]:
    """The library's days off and make-up working days in ``year``, and whether it has the schedule."""
    china = holidays.China(years=year)
    days_off = frozenset(day for day in china if day.year == year)
    # The make-up days of swaps listed under a neighbouring year are loaded when the object is
    # created, whatever ``years`` asks for; keep those of this year only.
    make_up_days = frozenset(day for day in china.weekend_workdays if day.year == year)
    # A special holiday is (month, day, name); a swap is (month, day, from_month, from_day[, from_year]).
    entries = china.special_public_holidays.get(year, ())
    if entries and not isinstance(entries[0], tuple):
        entries = (entries,)
    has_schedule = any(len(entry) >= 4 for entry in entries)
    return days_off, make_up_days, has_schedule


@lru_cache(maxsize=1)
def _admin_entries() -> _AdminEntries:
    return _AdminEntries(
        overrides=MappingProxyType(dict(CalendarOverride.objects.values_list("date", "kind"))),
        published=MappingProxyType(dict(CalendarYear.objects.values_list("year", "published"))),
    )


@lru_cache(maxsize=64)
def _year(year: int) -> _Year:
    days_off, make_up_days, has_schedule = _library_year(year)
    entries = _admin_entries()
    working_days = []
    day = date(year, 1, 1)
    while day.year == year:
        kind = entries.overrides.get(day)
        if kind is not None:
            is_working = kind == CalendarOverride.Kind.WORKING_DAY
        else:
            is_working = day in make_up_days or (day.weekday() < _SATURDAY and day not in days_off)
        if is_working:
            working_days.append(day)
        day += _ONE_DAY
    published = entries.published.get(year, has_schedule)
    return _Year(
        status=YearStatus.PUBLISHED if published else YearStatus.PROVISIONAL,
        working_days=tuple(working_days),
        working_set=frozenset(working_days),
    )


# --- Keeping processes in step ----------------------------------------------------------------


def _forget() -> None:
    _year.cache_clear()
    _admin_entries.cache_clear()


def _ensure_fresh() -> None:
    now = _clock()
    if _freshness.checked_at is not None and now - _freshness.checked_at < CHECK_INTERVAL_SECONDS:
        return
    _freshness.checked_at = now
    try:
        token = cache.get(VERSION_CACHE_KEY)
    except Exception:
        # The cache is only a messenger (DESIGN: losing Redis loses nothing). Unable to hear
        # about changes, recompute from the database once a minute rather than serve a stale year.
        logger.warning("workdays_version_unreadable", exc_info=True)
        _forget()
        return
    if token != _freshness.token:
        _forget()
        _freshness.token = token


def _publish_change() -> None:
    token = uuid.uuid4().hex
    # Again after commit: anything computed during the transaction may have seen rows that were
    # then changed again before the commit.
    _forget()
    try:
        cache.set(VERSION_CACHE_KEY, token, timeout=None)
    except Exception:
        # Other processes notice anyway: while the cache is down they recompute every minute,
        # and when it comes back empty the token they saw is gone.
        logger.warning("workdays_version_unpublished", exc_info=True)
        return
    _freshness.token = token
