"""The officers' queue is read through its partial index (application_queue_open), at any depth."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Q

from permits import selectors
from permits.models import Application

from .factories import ApplicationFactory


def _queue_index():
    return next(index for index in Application._meta.indexes if index.name == "application_queue_open")


def test_the_queue_index_covers_exactly_the_queue_states():
    # The planner only uses a partial index when the query's states imply its condition.
    ((lookup, states),) = _queue_index().condition.children
    assert lookup == "state__in"
    assert set(states) == set(selectors.QUEUE_STATES)


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of test rows: forbid the full scans and the sort a tiny table would get, so
        # that the plan shows whether an index can deliver the queue in its order (at 100,000
        # cases the planner picks it on its own: bench/city_bench.py prints the plans at that scale).
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_page_of_the_queue_is_an_ordered_scan_of_the_partial_index(officer):
    for day, state in enumerate(["submitted", "accepted", "under_review", "issued", "draft"]):
        ApplicationFactory(state=state, target_date=date(2026, 12, 1) + timedelta(days=day))
    queue = selectors.officer_queue(officer).filter(target_date__isnull=False)

    first_page = _plan(queue.order_by("target_date", "id")[:51])
    rows, cursor = selectors.keyset_page(queue, after="", size=1)
    assert cursor  # there is a next page: its query, as keyset_page builds it
    last = rows[-1]
    next_page = _plan(
        queue.filter(Q(target_date__gt=last.target_date) | Q(target_date=last.target_date, id__gt=last.pk))
        .filter(target_date__isnull=False)
        .order_by("target_date", "id")[:51]
    )
    one_state = _plan(queue.filter(state="accepted").order_by("target_date", "id")[:51])

    for plan in (first_page, next_page):
        assert "Index Scan using application_queue_open" in plan, plan
        assert "Sort" not in plan, plan
    # One state (a filter of the page): (state, target_date, id) is in order as well.
    assert "Index Scan using application_queue" in one_state, one_state
    assert "Sort" not in one_state, one_state
