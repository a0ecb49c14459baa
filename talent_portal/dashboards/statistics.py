"""The commission's statistics: aggregate queries only, a fixed number of them per page.

Every figure comes from ``GROUP BY`` queries; nothing loads cases into Python. The figures of the
date range are read from the summary table ``DailyFigure`` (counts per Shanghai day, refreshed
periodically by ``summary.refresh_statistics``: a beat task and ``manage.py refresh_statistics``),
a few index range scans instead of scans of the wide applications table; the backlog per officer
and the outreach figures are read live. Working-day durations need the mainland-China calendar,
which SQL does not know: the summary counts cases per (acceptance day, decision day) pair and
Python expands the *distinct pairs* — bounded by the number of days in the range, not by the
number of cases.

Each section is a ``Table`` (title, columns, rows); the page draws it as a chart and an
accessible table, and the CSV and XLSX downloads write the very same rows.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from permits.deadlines import RESIDENCE_STATUTORY_DAYS, STATUTORY_DAYS, counted_deadline
from permits.models import (
    Application,
    BusinessType,
    ReasonCode,
    ResidenceTrack,
    Route,
    TalentClass,
)
from permits.selectors import QUEUE_STATES
from services.outreach.models import ACTIVE_REGISTRATION_STATES, Event, EventStatus, IntentionStatus
from talent_portal.accounts.models import District, Duty, Industry
from talent_portal.core.countries import country_name
from talent_portal.core.workdays import SHANGHAI, shanghai_today, working_days_between

from .models import DailyFigure, Measure
from .summary import last_refresh

# Who may see the statistics (DESIGN: the commission's figures are for its officers).
STATISTICS_DUTIES = (Duty.WORK_PERMIT_OFFICER, Duty.LEAD_OFFICER, Duty.EXIT_ENTRY_OFFICER, Duty.ADMINISTRATOR)
# A longer range is refused: the working-day expansion is bounded by days, keep it bounded.
MAX_RANGE_DAYS = 5 * 366
TOP_REASONS = 10


def may_see_statistics(user) -> bool:
    """Officers (work permits, lead, exit-entry) and administrators."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(user.has_duty(duty) for duty in STATISTICS_DUTIES)


class PersonLabel(str):
    """A row label that begins with a person's name: plain text in the exports; on the page (and
    in its chart) the name is marked ``translate="no"`` — a name, not the page's language."""

    def __new__(cls, name: str, rest: str | None = None):
        if rest is None:  # unpickling: the whole text; the parts come back with the state
            return super().__new__(cls, name)
        label = super().__new__(cls, f"{name} · {rest}")
        label.person, label.rest = name, rest
        return label

    def __html__(self):
        return format_html('<span translate="no">{}</span> · {}', self.person, self.rest)


@dataclass
class Table:
    """One section: the first column labels the row, the others are numbers."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    # How the page draws it: "columns" (a time series, one series per number column),
    # "bars" (one horizontal bar per row, from ``chart_column``) or "" (a table only).
    chart: str = "bars"
    chart_column: int = 1
    note: str = ""


@dataclass
class Statistics:
    date_from: date
    date_to: date
    tables: list[Table] = field(default_factory=list)
    # When the summary behind the figures was last refreshed (None: never).
    refreshed_at: datetime | None = None

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def statistics_for(user, *, date_from: date, date_to: date) -> Statistics | None:
    """Every section for the range (both days included), or None for someone not allowed."""
    if not may_see_statistics(user):
        return None
    start = datetime.combine(date_from, time.min, tzinfo=SHANGHAI)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    summary = DailyFigure.objects.filter(day__gte=date_from, day__lte=date_to).order_by()
    result = Statistics(date_from=date_from, date_to=date_to, refreshed_at=last_refresh())
    # One query each: received (and single window) per day; decisions per (acceptance, decision) day.
    received_days = _received_per_day(summary)
    work_pairs = _decision_pairs(summary, Measure.WORK_DECISIONS)
    daily = {
        "received": {day: counts[0] for day, counts in received_days.items()},
        "decided": _decided_per_day(work_pairs),
        "issued": _per_day(summary, Measure.ISSUED),
    }
    total = sum(counts[0] for counts in received_days.values())
    single = sum(counts[1] for counts in received_days.values())
    result.tables += [
        _volume_table("per_week", _("Applications per week"), _("Week from"), daily, _week_of),
        _volume_table("per_month", _("Applications per month"), _("Month"), daily, _month_of),
    ]
    result.tables += _breakdowns(summary)
    result.tables.append(_single_window_share(total, single))
    result.tables.append(_durations(summary, work_pairs))
    result.tables += _returns(summary, total)
    result.tables.append(_backlog())
    result.tables += _outreach(start, end)
    return result


# --- Volumes ---------------------------------------------------------------------------------


def _per_day(summary, measure: str) -> dict[date, int]:
    return dict(summary.filter(measure=measure, key="").values_list("day", "count"))


def _received_per_day(summary) -> dict[date, tuple[int, int]]:
    days: dict[date, list[int]] = {}
    rows = summary.filter(measure__in=(Measure.RECEIVED, Measure.SINGLE_WINDOW), key="")
    for measure, day, count in rows.values_list("measure", "day", "count"):
        days.setdefault(day, [0, 0])[0 if measure == Measure.RECEIVED else 1] += count
    return {day: (counts[0], counts[1]) for day, counts in days.items()}


def _decided_per_day(pairs: list[dict]) -> dict[date, int]:
    days: dict[date, int] = {}
    for row in pairs:
        days[row["decided_on"]] = days.get(row["decided_on"], 0) + row["count"]
    return days


def _week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_of(day: date) -> date:
    return day.replace(day=1)


def _volume_table(key, title, period_label, daily, period_of) -> Table:
    periods: dict[date, list[int]] = {}
    for position, measure in enumerate(("received", "decided", "issued")):
        for day, count in daily[measure].items():
            periods.setdefault(period_of(day), [0, 0, 0])[position] += count
    rows = []
    for period in sorted(periods):
        label = period.strftime("%Y-%m") if period_of is _month_of else period.isoformat()
        rows.append([label, *periods[period]])
    return Table(
        key=key,
        title=title,
        columns=[period_label, _("Received"), _("Decided"), _("Issued")],
        rows=rows,
        chart="columns",
    )


# --- Breakdowns of the applications received --------------------------------------------------


def _breakdowns(summary) -> list[Table]:
    """Received applications by business type, class, route, nationality, district, industry: 6 queries."""
    dimensions = (
        (
            "business_type",
            _("By business type"),
            pgettext("statistics", "Business type"),
            Measure.BY_BUSINESS_TYPE,
            dict(BusinessType.choices).get,
        ),
        (
            "talent_class",
            _("By talent class"),
            pgettext("statistics", "Class"),
            Measure.BY_TALENT_CLASS,
            dict(TalentClass.choices).get,
        ),
        (
            "route",
            _("By route"),
            pgettext("statistics", "Route"),
            Measure.BY_ROUTE,
            dict(Route.choices).get,
        ),
        (
            "nationality",
            _("By nationality"),
            pgettext("statistics", "Nationality"),
            Measure.BY_NATIONALITY,
            country_name,
        ),
        (
            "district",
            _("By district"),
            pgettext("statistics", "District"),
            Measure.BY_DISTRICT,
            dict(District.choices).get,
        ),
        (
            "industry",
            _("By industry"),
            pgettext("statistics", "Industry"),
            Measure.BY_INDUSTRY,
            dict(Industry.choices).get,
        ),
    )
    tables = []
    for key, title, column, measure, label_of in dimensions:
        rows = summary.filter(measure=measure).values("key").annotate(count=Sum("count"))
        counted = sorted(((row["key"], row["count"]) for row in rows), key=lambda item: (-item[1], item[0]))
        tables.append(
            Table(
                key=f"by_{key}",
                title=title,
                columns=[column, _("Applications received")],
                rows=[[str(label_of(value) or value or _("Not stated")), count] for value, count in counted],
            )
        )
    return tables


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _single_window_share(total: int, single: int) -> Table:
    return Table(
        key="single_window",
        title=_("Single window"),
        columns=[pgettext("statistics", "Route"), _("Applications received"), _("Share (%)")],
        rows=[
            [_("Single window (work and residence permit together)"), single, _share(single, total)],
            [_("Work permit only"), total - single, _share(total - single, total)],
        ],
    )


# --- Working days from acceptance to decision, and the statutory deadlines ---------------------


def percentile(counts: list[tuple[int, int]], fraction: float) -> float | None:
    """The ``fraction`` percentile of values given as (value, how many) pairs, interpolated
    linearly between the two nearest ranks (the median of an even count is the mean of the two
    middle values)."""
    ordered = sorted((value, count) for value, count in counts if count)
    total = sum(count for _value, count in ordered)
    if not total:
        return None
    position = (total - 1) * fraction
    low_rank, high_rank = math.floor(position), math.ceil(position)

    def at(rank):
        seen = 0
        for value, count in ordered:
            seen += count
            if rank < seen:
                return value
        return ordered[-1][0]

    low, high = at(low_rank), at(high_rank)
    return round(low + (high - low) * (position - low_rank), 1)


def _decision_pairs(summary, measure: str) -> list[dict]:
    """Decisions counted per (acceptance day, decision day): one query, bounded by days."""
    rows = summary.filter(measure=measure).values_list("key", "day", "count", "on_time", "without_limit")
    return [
        {
            "accepted_on": date.fromisoformat(accepted_on),
            "decided_on": decided_on,
            "count": count,
            "on_time": on_time,
            "without_limit": without_limit,
        }
        for accepted_on, decided_on, count, on_time, without_limit in rows
    ]


def _track_durations(rows: list[dict], statutory_days: int) -> dict:
    """Median, 90th percentile and on-time rate; the calendar runs once per distinct day."""
    durations: dict[int, int] = {}
    decided, on_time = 0, 0
    # Working days after ``anchor`` up to each day seen: the calendar runs once per distinct day,
    # and the days between two of them is the difference (both after the anchor).
    days = {row["accepted_on"] for row in rows} | {row["decided_on"] for row in rows}
    anchor = min(days, default=None)
    counted = {day: working_days_between(anchor, day) for day in days}
    for row in rows:
        accepted_on, decided_on = row["accepted_on"], row["decided_on"]
        working_days = counted[decided_on] - counted[accepted_on] if decided_on > accepted_on else 0
        durations[working_days] = durations.get(working_days, 0) + row["count"]
        decided += row["count"]
        on_time += row["on_time"]
        if row["without_limit"] and row["decided_on"] <= counted_deadline(row["accepted_on"], statutory_days):
            # No stored limit (an old record): the limit without pauses or extension.
            on_time += row["without_limit"]
    return {
        "decided": decided,
        "median": percentile(list(durations.items()), 0.5),
        "p90": percentile(list(durations.items()), 0.9),
        "on_time": on_time,
        "on_time_rate": _share(on_time, decided),
    }


def _durations(summary, work_pairs: list[dict]) -> Table:
    """Per track, decisions made in the range (the residence track: 1 more query)."""
    tracks = (
        (_("Work permit"), _track_durations(work_pairs, STATUTORY_DAYS)),
        (
            _("Residence permit (single window)"),
            _track_durations(_decision_pairs(summary, Measure.RESIDENCE_DECISIONS), RESIDENCE_STATUTORY_DAYS),
        ),
    )
    return Table(
        key="durations",
        title=_("Working days from acceptance to decision"),
        columns=[
            _("Track"),
            _("Decisions"),
            _("Median (working days)"),
            _("90th percentile (working days)"),
            _("Decided within the statutory limit"),
            _("On-time rate (%)"),
        ],
        rows=[
            [
                label,
                data["decided"],
                _blank(data["median"]),
                _blank(data["p90"]),
                data["on_time"],
                data["on_time_rate"],
            ]
            for label, data in tracks
        ],
        chart_column=5,
        note=_(
            "Working days on the mainland-China calendar (public holidays and make-up working days). "
            "On time: decided no later than the statutory limit, which counts pauses and an extension."
        ),
    )


def _blank(value):
    return "" if value is None else value


# --- Returns of files --------------------------------------------------------------------------


def _returns(figures, cases: int) -> list[Table]:
    """How often files of the ``cases`` received come back, and for which defects: 3 queries."""
    totals = figures.filter(measure__in=(Measure.RETURNS, Measure.RETURNED_CASES)).aggregate(
        returns=Sum("count", filter=Q(measure=Measure.RETURNS), default=0),
        returned_cases=Sum("count", filter=Q(measure=Measure.RETURNED_CASES), default=0),
    )
    total_returns, returned_cases = totals["returns"], totals["returned_cases"]
    summary = Table(
        key="returns",
        title=_("Returns for correction"),
        columns=[_("Measure"), _("Value")],
        rows=[
            [_("Applications received"), cases],
            [_("Returns"), total_returns],
            [_("Applications returned at least once"), returned_cases],
            [_("Returns per application"), round(total_returns / cases, 2) if cases else 0.0],
            [_("Share returned at least once (%)"), _share(returned_cases, cases)],
        ],
        chart="",
    )
    # Returns citing each defect code (the summary counts them per day of receipt).
    by_code = dict(
        figures.filter(measure=Measure.RETURN_REASON)
        .values("key")
        .annotate(count=Sum("count"))
        .values_list("key", "count")
    )
    top = sorted(by_code.items(), key=lambda item: (-item[1], item[0]))[:TOP_REASONS]
    texts = {
        reason.code: reason.text for reason in ReasonCode.objects.filter(code__in=[code for code, _n in top])
    }
    reasons = Table(
        key="return_reasons",
        title=_("Top reasons for returns"),
        columns=[_("Defect"), _("Returns citing it"), _("Share of returns (%)")],
        rows=[[texts.get(code) or code, count, _share(count, total_returns)] for code, count in top],
    )
    return [summary, reasons]


# --- Backlog ----------------------------------------------------------------------------------


def _backlog() -> Table:
    """Open cases per officer and track, today (not limited to the range): 2 queries.

    Counted per officer first (an index-only scan of ``application_backlog``), the officer's name
    looked up once per group afterwards, not joined to every open case.
    """
    today = shanghai_today()
    rows = []
    for track_label, model in ((_("Work permit"), Application), (_("Residence permit"), ResidenceTrack)):
        officers = model._meta.get_field("assigned_officer").related_model.objects
        grouped = (
            model.objects.filter(state__in=QUEUE_STATES)
            .values("assigned_officer_id")
            .annotate(
                open=Count("id"),
                overdue=Count("id", filter=Q(target_date__lt=today)),
                in_breach=Count("id", filter=Q(statutory_limit__lt=today)),
            )
            .annotate(
                officer_name=Subquery(
                    officers.filter(pk=OuterRef("assigned_officer_id")).order_by().values("full_name")[:1]
                )
            )
            .order_by("officer_name", "assigned_officer_id")
        )
        for row in grouped:
            if row["assigned_officer_id"]:
                label = PersonLabel(row["officer_name"], str(track_label))
            else:
                label = f"{_('Not assigned')} · {track_label}"
            rows.append([label, row["open"], row["overdue"], row["in_breach"]])
    return Table(
        key="backlog",
        title=_("Backlog and overdue cases per officer"),
        columns=[
            _("Officer and track"),
            _("Open cases"),
            _("Past the target date"),
            _("Past the statutory limit"),
        ],
        rows=rows,
        note=_("As of today, whatever the date range."),
    )


# --- Outreach ---------------------------------------------------------------------------------


def _outreach(start: datetime, end: datetime) -> list[Table]:
    """Per event starting in the range, and per year: 1 query."""
    events = (
        Event.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status=EventStatus.DRAFT)
        .annotate(
            registered=Count(
                "registrations", filter=Q(registrations__status__in=ACTIVE_REGISTRATION_STATES), distinct=True
            ),
            attended=Count(
                "registrations", filter=Q(registrations__checked_in_at__isnull=False), distinct=True
            ),
            intentions=Count("hiring_intentions", distinct=True),
            confirmed=Count(
                "hiring_intentions",
                filter=Q(hiring_intentions__status=IntentionStatus.CONFIRMED),
                distinct=True,
            ),
        )
        .order_by("starts_at", "pk")
    )
    per_event, per_year = [], {}
    for event in events:
        figures = [event.registered, event.attended, event.intentions, event.confirmed]
        day = event.starts_at.astimezone(SHANGHAI).date()
        per_event.append([f"{day.isoformat()} {event.title}", *figures])
        year = per_year.setdefault(day.year, [0, 0, 0, 0])
        for position, value in enumerate(figures):
            year[position] += value
    columns = [_("Registrations"), _("Attended"), _("Hiring intentions"), _("Hiring intentions confirmed")]
    return [
        Table(
            key="outreach_events",
            title=_("Outreach per event"),
            columns=[_("Event"), *columns],
            rows=per_event,
        ),
        Table(
            key="outreach_years",
            title=_("Outreach per year"),
            columns=[pgettext("statistics", "Year"), *columns],
            rows=[[str(year), *figures] for year, figures in sorted(per_year.items())],
            chart="columns",
        ),
    ]


# --- The date range ---------------------------------------------------------------------------


def quarter_bounds(day: date, *, previous: bool = False) -> tuple[date, date]:
    """The calendar quarter containing ``day`` (or the one before it)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    if previous:
        start = date(start.year - 1, 10, 1) if first_month == 1 else date(start.year, first_month - 3, 1)
    end_month = start.month + 2
    following = date(start.year + 1, 1, 1) if end_month == 12 else date(start.year, end_month + 1, 1)
    return start, following - timedelta(days=1)


PRESETS = (
    ("last_quarter", gettext_lazy("Last quarter")),
    ("this_quarter", gettext_lazy("This quarter")),
    ("this_year", gettext_lazy("This year")),
    ("last_12_months", gettext_lazy("Last 12 months")),
)


def preset_range(name: str, *, today: date) -> tuple[date, date]:
    if name == "this_quarter":
        return quarter_bounds(today)[0], today
    if name == "this_year":
        return date(today.year, 1, 1), today
    if name == "last_12_months":
        return today - timedelta(days=364), today
    return quarter_bounds(today, previous=True)


__all__ = ["Statistics", "Table", "may_see_statistics", "percentile", "statistics_for"]
