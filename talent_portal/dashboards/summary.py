"""Refreshing the statistics summary (``DailyFigure``): the writes behind the commission's figures.

A refresh recomputes whole Shanghai days, never adds to a count: running it twice gives the same
rows (idempotent). The first refresh, and ``full=True`` (nightly, and ``manage.py
refresh_statistics --full``), rebuild every day; an incremental refresh recomputes only the days
touched by rows changed since the previous one:

- days of receipt of applications changed (``updated_at``), of those whose assessment or
  organisation changed (class, district, industry), and of those with new returns;
- days of decision of applications and residence tracks changed;
- days of new issuance entries in the history (ids after the last one seen, or recorded since).

"Changed since" starts a margin before the previous refresh began, so that a transaction still
open then is seen by the next refresh. A case whose day itself moves (its submission or decision
time rewritten) or that is deleted (retention purge) leaves its old day stale until the nightly
full rebuild.
"""

import logging
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import CharField, Count, F, Max, Q, Value
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone

from permits.models import Application, ResidenceTrack, State, Transition
from talent_portal.core.workdays import SHANGHAI

from .models import DailyFigure, Measure, StatisticsRefresh

logger = logging.getLogger(__name__)

DECIDED_STATES = (State.APPROVED, State.ISSUED, State.REFUSED)
CHANGE_MARGIN = timedelta(minutes=10)
_BATCH = 2000

TALENT_CLASS = Coalesce(
    NullIf("assessment__confirmed_category", Value("")),
    NullIf("assessment__computed_category", Value("")),
    NullIf("claimed_class", Value("")),
    Value(""),
    output_field=CharField(),
)
DISTRICT = Coalesce(NullIf("work_district", Value("")), "organization__district", output_field=CharField())

# The breakdowns of the applications received: measure and the value grouped by.
BREAKDOWNS = (
    (Measure.BY_BUSINESS_TYPE, F("business_type")),
    (Measure.BY_TALENT_CLASS, TALENT_CLASS),
    (Measure.BY_ROUTE, F("route")),
    (Measure.BY_NATIONALITY, F("nationality")),
    (Measure.BY_DISTRICT, DISTRICT),
    (Measure.BY_INDUSTRY, F("organization__industry")),
)
RECEIVED_MEASURES = (
    Measure.RECEIVED,
    Measure.SINGLE_WINDOW,
    *(measure for measure, _expression in BREAKDOWNS),
    Measure.RETURNS,
    Measure.RETURNED_CASES,
    Measure.RETURN_REASON,
)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _on_days(queryset, moment: str, days):
    """``queryset`` limited to rows whose ``moment`` falls on one of ``days`` in Shanghai (None: all)."""
    queryset = queryset.filter(**{f"{moment}__isnull": False})
    if days is None:
        return queryset
    if not days:
        return queryset.none()
    return (
        queryset.filter(
            **{f"{moment}__gte": _moment(min(days)), f"{moment}__lt": _moment(max(days) + timedelta(days=1))}
        )
        .annotate(_on_day=TruncDate(moment, tzinfo=SHANGHAI))
        .filter(_on_day__in=sorted(days))
    )


def _day(moment: str):
    return TruncDate(moment, tzinfo=SHANGHAI)


def _received_figures(days) -> list[DailyFigure]:
    received = _on_days(Application.objects.order_by(), "submitted_at", days)
    figures = []
    for row in (
        received.annotate(day=_day("submitted_at"))
        .values("day")
        .annotate(count=Count("id"), single_window=Count("id", filter=Q(is_single_window=True)))
    ):
        figures.append(DailyFigure(measure=Measure.RECEIVED, day=row["day"], count=row["count"]))
        if row["single_window"]:
            figures.append(
                DailyFigure(measure=Measure.SINGLE_WINDOW, day=row["day"], count=row["single_window"])
            )
    for measure, expression in BREAKDOWNS:
        rows = (
            received.annotate(day=_day("submitted_at"), value=expression)
            .values("day", "value")
            .annotate(count=Count("id"))
        )
        counts: dict[tuple[date, str], int] = {}
        for row in rows:  # a missing value and an empty one are both "not stated"
            slot = (row["day"], row["value"] or "")
            counts[slot] = counts.get(slot, 0) + row["count"]
        figures += [
            DailyFigure(measure=measure, day=day, key=value, count=count)
            for (day, value), count in counts.items()
        ]
    returns = Transition.objects.filter(
        action="return", track="", application__in=received.values("id")
    ).annotate(day=_day("application__submitted_at"))
    for row in returns.values("day").annotate(
        returns=Count("id"), returned_cases=Count("application", distinct=True)
    ):
        figures.append(DailyFigure(measure=Measure.RETURNS, day=row["day"], count=row["returns"]))
        figures.append(
            DailyFigure(measure=Measure.RETURNED_CASES, day=row["day"], count=row["returned_cases"])
        )
    # Grouped by the list of codes of each return (few distinct lists), counted per code here.
    by_code: dict[tuple[date, str], int] = {}
    for row in returns.values("day", "reason_codes").annotate(count=Count("id")).order_by():
        for code in row["reason_codes"] or []:
            by_code[(row["day"], code)] = by_code.get((row["day"], code), 0) + row["count"]
    figures += [
        DailyFigure(measure=Measure.RETURN_REASON, day=day, key=code, count=count)
        for (day, code), count in by_code.items()
    ]
    return figures


def _decision_figures(model, measure: str, days) -> list[DailyFigure]:
    """Decisions counted per (decision day, acceptance day), with their on-time counts."""
    rows = (
        _on_days(model.objects.order_by(), "decided_at", days)
        .filter(accepted_at__isnull=False, state__in=DECIDED_STATES)
        .annotate(accepted_on=_day("accepted_at"), decided_on=_day("decided_at"))
        .values("accepted_on", "decided_on")
        .annotate(
            count=Count("id"),
            on_time=Count(
                "id", filter=Q(statutory_limit__isnull=False, decided_on__lte=F("statutory_limit"))
            ),
            without_limit=Count("id", filter=Q(statutory_limit__isnull=True)),
        )
    )
    return [
        DailyFigure(
            measure=measure,
            day=row["decided_on"],
            key=row["accepted_on"].isoformat(),
            count=row["count"],
            on_time=row["on_time"],
            without_limit=row["without_limit"],
        )
        for row in rows
    ]


def _issued_figures(days) -> list[DailyFigure]:
    issued = _on_days(Transition.objects.filter(to_state=State.ISSUED, track="").order_by(), "at", days)
    return [
        DailyFigure(measure=Measure.ISSUED, day=row["day"], count=row["count"])
        for row in issued.annotate(day=_day("at")).values("day").annotate(count=Count("id"))
    ]


def _days_of(queryset, moment: str) -> set[date]:
    return set(
        queryset.filter(**{f"{moment}__isnull": False})
        .annotate(day=_day(moment))
        .values_list("day", flat=True)
        .order_by()
        .distinct()
    )


def _changed_days(state: StatisticsRefresh) -> dict:
    """The days to recompute, per family of measures, for the changes since the previous refresh."""
    since = state.changed_since
    new_history = Transition.objects.filter(Q(id__gt=state.last_transition_id) | Q(at__gte=since))
    applications = Application.objects.order_by()
    received = _days_of(
        applications.filter(
            Q(updated_at__gte=since)
            | Q(assessment__updated_at__gte=since)
            | Q(organization__updated_at__gte=since)
            | Q(id__in=new_history.filter(action="return").values("application_id"))
        ),
        "submitted_at",
    )
    return {
        "received": received,
        "work": _days_of(applications.filter(updated_at__gte=since), "decided_at"),
        "residence": _days_of(ResidenceTrack.objects.filter(updated_at__gte=since).order_by(), "decided_at"),
        "issued": _days_of(new_history.filter(to_state=State.ISSUED, track=""), "at"),
    }


def _replace(measures, days, figures: list[DailyFigure]) -> None:
    stale = DailyFigure.objects.filter(measure__in=measures)
    if days is not None:
        stale = stale.filter(day__in=sorted(days))
    stale.delete()
    DailyFigure.objects.bulk_create(figures, batch_size=_BATCH)


def refresh_statistics(*, full: bool = False) -> dict:
    """Bring the summary up to date; the first refresh is always a full one.

    Returns what was done: ``{"full": bool, "days": number of days recomputed, "figures": rows written}``.
    Concurrent refreshes queue behind the lock on the state row.
    """
    started = timezone.now()
    with transaction.atomic():
        # The state row, locked: a second refresh waits here (get_or_create survives the race of
        # two first refreshes creating it).
        state, _created = StatisticsRefresh.objects.select_for_update().get_or_create(pk=1)
        full = full or state.refreshed_at is None or state.changed_since is None
        last_transition_id = Transition.objects.aggregate(last=Max("id"))["last"] or 0
        if full:
            days = {"received": None, "work": None, "residence": None, "issued": None}
        else:
            days = _changed_days(state)
        families = (
            ("received", RECEIVED_MEASURES, _received_figures),
            (
                "work",
                (Measure.WORK_DECISIONS,),
                lambda d: _decision_figures(Application, Measure.WORK_DECISIONS, d),
            ),
            (
                "residence",
                (Measure.RESIDENCE_DECISIONS,),
                lambda d: _decision_figures(ResidenceTrack, Measure.RESIDENCE_DECISIONS, d),
            ),
            ("issued", (Measure.ISSUED,), _issued_figures),
        )
        written = 0
        for family, measures, compute in families:
            if days[family] is not None and not days[family]:
                continue
            figures = compute(days[family])
            _replace(measures, days[family], figures)
            written += len(figures)
        state.refreshed_at = started
        state.changed_since = started - CHANGE_MARGIN
        state.last_transition_id = last_transition_id
        if full:
            state.full_refreshed_at = started
        state.save()
    recomputed = None if full else sum(len(value) for value in days.values())
    logger.info("statistics summary refreshed", extra={"full": full, "days": recomputed, "figures": written})
    return {"full": full, "days": recomputed, "figures": written}


def last_refresh() -> datetime | None:
    """When the summary was last refreshed (None: never)."""
    return StatisticsRefresh.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
