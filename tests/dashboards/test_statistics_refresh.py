"""The statistics summary: full and incremental refreshes, idempotent, late changes picked up."""

import datetime as dt
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from permits.models import Transition
from talent_portal.celery import app as celery_app
from talent_portal.dashboards.models import DailyFigure, Measure, StatisticsRefresh
from talent_portal.dashboards.statistics import statistics_for
from talent_portal.dashboards.summary import refresh_statistics
from talent_portal.dashboards.tasks import refresh_statistics_summary
from tests.permits.factories import ApplicationFactory

from .conftest import NOW
from .test_statistics import END, START, at, decided_case, fixtures, officer, rows  # noqa: F401 - fixtures

LATER = NOW + dt.timedelta(hours=1)


@pytest.fixture
def settled(fixtures):  # noqa: F811
    """The fixtures, with a refresh an hour later: nothing changed since, and the clock at that hour."""
    with time_machine.travel(LATER - dt.timedelta(minutes=30), tick=False):
        refresh_statistics()
    with time_machine.travel(LATER, tick=False):
        yield fixtures


def snapshot():
    return sorted(
        DailyFigure.objects.values_list("measure", "day", "key", "count", "on_time", "without_limit")
    )


def figures(user):
    return statistics_for(user, date_from=START, date_to=END)


def test_refreshing_again_changes_nothing(fixtures, officer):  # noqa: F811
    before = snapshot()
    assert before  # the fixture's refresh was a full one
    assert refresh_statistics()["full"] is False
    assert snapshot() == before
    assert refresh_statistics(full=True)["full"] is True
    assert snapshot() == before
    assert StatisticsRefresh.objects.get().refreshed_at == NOW


def test_the_first_refresh_is_full(db, officer):  # noqa: F811
    decided_case(at(2026, 9, 29), at(2026, 10, 9), limit=date(2026, 10, 29))
    done = refresh_statistics()
    assert done["full"] is True
    assert rows(figures(officer), "per_month")["2026-09"] == [1, 0, 0]


def test_a_new_case_is_counted_at_the_next_refresh_only(settled, officer):  # noqa: F811
    decided_case(at(2026, 9, 29), at(2026, 10, 9), limit=date(2026, 10, 29), nationality="DEU")
    assert rows(figures(officer), "per_month")["2026-09"] == [7, 1, 0]  # not refreshed yet
    done = refresh_statistics()
    assert done["full"] is False
    # The day it was received (28 Sep) and the day it was decided (9 Oct).
    assert done["days"] == 2
    statistics = figures(officer)
    assert rows(statistics, "per_month")["2026-09"] == [8, 1, 0]
    assert rows(statistics, "per_month")["2026-10"] == [0, 5, 2]
    assert rows(statistics, "by_nationality") == {"Japan": [6], "Germany": [1], "United States": [1]}
    assert statistics.table("durations").rows[0][1] == 6


def test_only_the_changed_days_are_recomputed(settled, officer):  # noqa: F811
    # A figure on a day nothing touches: an incremental refresh leaves it, a full one rebuilds it.
    DailyFigure.objects.create(measure=Measure.RECEIVED, day=date(2026, 7, 1), count=99)
    assert refresh_statistics()["days"] == 0
    assert DailyFigure.objects.filter(day=date(2026, 7, 1)).exists()
    refresh_statistics(full=True)
    assert not DailyFigure.objects.filter(day=date(2026, 7, 1)).exists()


def test_a_late_change_to_an_old_case_is_picked_up(settled, officer):  # noqa: F811
    case = settled["make_up_sunday"]  # received 17 Sep, decided 21 Sep, from the United States
    case.nationality = "JPN"
    case.state = "refused"
    case.statutory_limit = date(2026, 9, 18)  # now decided after its limit
    case.save()
    # A return recorded late for another old case.
    Transition.objects.create(
        application=settled["no_stored_limit"],
        actor=officer,
        actor_role="officer",
        action="return",
        reason_codes=["doc_missing"],
    )
    done = refresh_statistics()
    assert done["days"] == 3  # received 17 Sep, received 13 Sep, decided 21 Sep
    statistics = figures(officer)
    assert rows(statistics, "by_nationality") == {"Japan": [7]}
    assert statistics.table("durations").rows[0][1:] == [5, 3, 19.8, 3, 60.0]
    summary = {row[0]: row[1] for row in statistics.table("returns").rows}
    assert summary["Returns"] == 4
    assert summary["Applications returned at least once"] == 3
    assert statistics.table("return_reasons").rows[0][1:] == [3, 75.0]


def test_a_backdated_history_entry_is_picked_up_by_its_id(fixtures, officer):  # noqa: F811
    with time_machine.travel(LATER, tick=False):
        refresh_statistics()
    with time_machine.travel(LATER + dt.timedelta(hours=1), tick=False):
        issued = Transition.objects.create(
            application=fixtures["make_up_sunday"],
            actor=officer,
            actor_role="officer",
            action="issue",
            from_state="approved",
            to_state="issued",
        )
        Transition.objects.filter(pk=issued.pk).update(at=at(2026, 9, 22))
        refresh_statistics()
    assert rows(figures(officer), "per_month")["2026-09"] == [7, 1, 1]


def test_the_command_and_the_beat_task(fixtures, officer, capsys):  # noqa: F811
    before = snapshot()
    call_command("refresh_statistics", "--full")
    assert "rebuilt" in capsys.readouterr().out
    call_command("refresh_statistics")
    assert "days recomputed" in capsys.readouterr().out
    assert refresh_statistics_summary.run()["full"] is False
    assert snapshot() == before
    schedule = celery_app.conf.beat_schedule
    tasks = {entry["task"]: entry for entry in schedule.values()}
    assert "talent_portal.dashboards.tasks.refresh_statistics_summary" in tasks
    assert any(entry.get("kwargs") == {"full": True} for entry in schedule.values())


def test_the_page_says_when_the_figures_were_refreshed(client, fixtures, officer):  # noqa: F811
    client.force_login(officer)
    body = client.get(reverse("dashboards:statistics"), {"date_from": "2026-09-01", "date_to": "2026-10-31"})
    text = body.content.decode()
    assert "data-refreshed" in text
    assert "Figures as of" in text


def test_without_a_broker_the_page_refreshes_a_stale_summary(client, db, officer):  # noqa: F811
    decided_case(at(2026, 9, 29), at(2026, 10, 9), limit=date(2026, 10, 29))
    ApplicationFactory(complete=True, state="submitted", submitted_at=at(2026, 9, 2))
    client.force_login(officer)
    response = client.get(
        reverse("dashboards:statistics"), {"date_from": "2026-09-01", "date_to": "2026-10-31"}
    )
    assert rows(response.context["statistics"], "per_month")["2026-09"] == [2, 0, 0]
    assert StatisticsRefresh.objects.get().full_refreshed_at == NOW
