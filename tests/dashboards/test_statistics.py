"""The commission's statistics against hand-computed fixtures, across the National Day week 2026.

The 2026 calendar: Friday 25 September (Mid-Autumn Festival) and 1–7 October are days off;
Sunday 20 September and Saturday 10 October are make-up working days. Working days count after the acceptance day up to the decision day.
"""

import datetime as dt
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from permits.models import ResidenceTrack, Transition
from services.outreach.models import HiringIntention
from talent_portal.core.workdays import SHANGHAI
from talent_portal.dashboards.statistics import percentile, quarter_bounds, statistics_for
from talent_portal.dashboards.summary import refresh_statistics
from tests.factories import OrganizationFactory, UserFactory
from tests.permits.factories import ApplicationFactory
from tests.services.outreach.factories import EventFactory, RegistrationFactory

START, END = date(2026, 9, 1), date(2026, 10, 31)


def at(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def decided_case(accepted, decided, *, limit, state="issued", **extra):
    return ApplicationFactory(
        complete=True,
        state=state,
        submitted_at=accepted - dt.timedelta(days=1),
        accepted_at=accepted,
        decided_at=decided,
        statutory_limit=limit,
        **extra,
    )


@pytest.fixture
def officer(db):
    return UserFactory(duties=["work_permit_officer"], full_name="Officer Wang")


@pytest.fixture
def fixtures(db, officer):
    """Five decided work-permit cases, a withdrawn one, one residence track, returns, backlog, an event."""
    cases = {
        # 29 Sep → 9 Oct: 30 Sep, 8 Oct, 9 Oct = 3 working days.
        "holiday": decided_case(at(2026, 9, 29), at(2026, 10, 9), limit=date(2026, 10, 29)),
        # 18 Sep → 21 Sep: Sun 20 Sep (make-up day) and Mon 21 Sep = 2.
        "make_up_sunday": decided_case(
            at(2026, 9, 18), at(2026, 9, 21), limit=date(2026, 10, 20), nationality="USA"
        ),
        # 30 Sep → Sat 10 Oct (make-up day): 8, 9, 10 Oct = 3; refused.
        "make_up_saturday": decided_case(
            at(2026, 9, 30), at(2026, 10, 10), limit=date(2026, 10, 30), state="refused"
        ),
        # 7 Sep → 12 Oct: 21 working days; the stored statutory limit was 9 Oct: late.
        "late": decided_case(
            at(2026, 9, 7), at(2026, 10, 12), limit=date(2026, 10, 9), is_single_window=True
        ),
        # 14 Sep → 14 Oct: 18 working days. No stored limit: counted on the calendar, 20 working
        # days after 14 Sep is 16 Oct, so it is on time (on a weekdays-only calendar without the
        # holidays the limit would have been 12 Oct, and it would be late).
        "no_stored_limit": decided_case(at(2026, 9, 14), at(2026, 10, 14), limit=None),
    }
    # Withdrawn: has a decided_at, but is no decision of the commission.
    ApplicationFactory(
        complete=True,
        state="withdrawn",
        submitted_at=at(2026, 9, 10),
        accepted_at=at(2026, 9, 11),
        decided_at=at(2026, 9, 15),
    )
    # Received late on 30 September in Shanghai (15:30 UTC): counts in September, not October.
    ApplicationFactory(complete=True, state="submitted", submitted_at=at(2026, 9, 30, 23, 30))
    # Outside the range: not counted anywhere.
    decided_case(at(2026, 8, 3), at(2026, 8, 10), limit=date(2026, 8, 31))

    ResidenceTrack.objects.create(
        application=cases["late"],
        state="issued",
        accepted_at=at(2026, 9, 30),
        decided_at=at(2026, 10, 9),  # 8 and 9 Oct = 2 working days
        statutory_limit=date(2026, 10, 22),
    )

    # Issuance history (to_state "issued") of two cases, on 9 and 14 October.
    for case, moment in ((cases["holiday"], at(2026, 10, 9)), (cases["late"], at(2026, 10, 14))):
        transition = Transition.objects.create(
            application=case,
            actor=officer,
            actor_role="officer",
            action="issue",
            from_state="approved",
            to_state="issued",
        )
        Transition.objects.filter(pk=transition.pk).update(at=moment)

    # Returns: three returns of two cases, citing doc_missing twice, doc_illegible once, data_mismatch once.
    for case, codes in (
        (cases["holiday"], ["doc_missing", "doc_illegible"]),
        (cases["holiday"], ["doc_missing"]),
        (cases["late"], ["data_mismatch"]),
    ):
        Transition.objects.create(
            application=case,
            actor=officer,
            actor_role="officer",
            action="return",
            from_state="submitted",
            to_state="returned",
            reason_codes=codes,
        )

    # Backlog today (2 Nov): two open cases of the officer, one past its target date.
    ApplicationFactory(
        complete=True, state="under_review", assigned_officer=officer, target_date=date(2026, 10, 30)
    )
    ApplicationFactory(
        complete=True,
        state="accepted",
        assigned_officer=officer,
        target_date=date(2026, 11, 5),
        statutory_limit=date(2026, 11, 20),
    )
    ApplicationFactory(complete=True, state="submitted", target_date=date(2026, 11, 3))

    # Outreach: one fair on 20 October with three registrations (one cancelled), two attended,
    # two hiring intentions, one confirmed.
    fair = EventFactory(
        fair=True,
        starts_at=at(2026, 10, 20),
        registration_opens_at=at(2026, 9, 1),
        title="Go to Shanghai 2026",
        title_en="Go to Shanghai 2026",
    )
    registrations = [
        RegistrationFactory(event=fair, checked_in_at=at(2026, 10, 20, 11)),
        RegistrationFactory(event=fair, checked_in_at=at(2026, 10, 20, 12)),
        RegistrationFactory(event=fair, status="cancelled"),
    ]
    employer = OrganizationFactory(verified=True)
    for registration, status in zip(registrations[:2], ("confirmed", "proposed"), strict=True):
        HiringIntention.objects.create(
            event=fair,
            registration=registration,
            organization=employer,
            recorded_by=officer,
            post="Engineer",
            salary_band=HiringIntention._meta.get_field("salary_band").choices[0][0],
            status=status,
            answered_at=at(2026, 10, 21) if status == "confirmed" else None,
        )
    refresh_statistics()  # the figures are read from the summary
    return cases


def rows(statistics, key):
    return {row[0]: row[1:] for row in statistics.table(key).rows}


def test_working_day_durations_and_on_time_rate_across_national_day(fixtures, officer):
    statistics = statistics_for(officer, date_from=START, date_to=END)
    work, residence = statistics.table("durations").rows
    # Durations 2, 3, 3, 18, 21: median 3; 90th percentile 18 + 0.6 × (21 − 18) = 19.8.
    assert work[1:] == [5, 3, 19.8, 4, 80.0]
    assert residence[1:] == [1, 2, 2, 1, 100.0]


def test_volumes_per_week_and_month_in_shanghai_time(fixtures, officer):
    statistics = statistics_for(officer, date_from=START, date_to=END)
    months = rows(statistics, "per_month")
    # Received: submitted the day before acceptance (5 cases + the withdrawn one) and the late-night one.
    assert months["2026-09"] == [7, 1, 0]
    assert months["2026-10"] == [0, 4, 2]
    weeks = rows(statistics, "per_week")
    assert weeks["2026-09-28"] == [3, 0, 0]  # 28, 29 and 30 September (the last at 23:30 Shanghai)
    assert weeks["2026-10-05"] == [0, 2, 1]  # decided 9 and 10 October, issued 9 October
    assert sum(week[0] for week in weeks.values()) == 7


def test_breakdowns_and_single_window_share(fixtures, officer):
    statistics = statistics_for(officer, date_from=START, date_to=END)
    assert rows(statistics, "by_nationality") == {"Japan": [6], "United States": [1]}
    assert rows(statistics, "by_business_type") == {"New permit: notice before entry (applicant abroad)": [7]}
    assert rows(statistics, "by_district") == {"Pudong New Area": [7]} or list(
        rows(statistics, "by_district").values()
    ) == [[7]]
    single = statistics.table("single_window").rows
    assert single[0][1:] == [1, 14.3]
    assert single[1][1:] == [6, 85.7]


def test_returns_per_case_and_top_reasons(fixtures, officer):
    statistics = statistics_for(officer, date_from=START, date_to=END)
    summary = {row[0]: row[1] for row in statistics.table("returns").rows}
    assert summary["Applications received"] == 7
    assert summary["Returns"] == 3
    assert summary["Applications returned at least once"] == 2
    assert summary["Returns per application"] == 0.43
    assert summary["Share returned at least once (%)"] == 28.6
    reasons = statistics.table("return_reasons").rows
    assert reasons[0][1:] == [2, 66.7]  # doc_missing, cited by two of the three returns
    assert [row[1] for row in reasons] == [2, 1, 1]


def test_backlog_per_officer(fixtures, officer):
    statistics = statistics_for(officer, date_from=START, date_to=END)
    backlog = rows(statistics, "backlog")
    assert backlog["Officer Wang · Work permit"] == [2, 1, 0]
    # The two submitted cases: one due tomorrow, the other (received 30 Sep) without a target.
    assert backlog["Not assigned · Work permit"] == [2, 0, 0]


def test_an_officers_name_is_marked_as_a_name_on_the_page_and_plain_in_exports(fixtures, officer):
    import pickle

    from django.utils.html import conditional_escape

    from talent_portal.dashboards.charts import bar_chart
    from talent_portal.dashboards.exports import statistics_csv

    statistics = statistics_for(officer, date_from=START, date_to=END)
    label = next(row[0] for row in statistics.table("backlog").rows if row[0].startswith("Officer Wang"))
    assert conditional_escape(label) == '<span translate="no">Officer Wang</span> · Work permit'
    assert '<tspan translate="no">Officer Wang</tspan> · Work permit' in bar_chart(
        statistics.table("backlog")
    )
    assert "Officer Wang · Work permit,2,1,0" in statistics_csv(statistics).decode("utf-8-sig")
    assert pickle.loads(pickle.dumps(label)).__html__() == label.__html__()  # noqa: S301 - our own bytes


def test_outreach_per_event_and_year(fixtures, officer):
    statistics = statistics_for(officer, date_from=START, date_to=END)
    assert rows(statistics, "outreach_events") == {"2026-10-20 Go to Shanghai 2026": [2, 2, 2, 1]}
    assert rows(statistics, "outreach_years") == {"2026": [2, 2, 2, 1]}


def test_statistics_are_for_officers_and_administrators_only(db):
    for duties in ([], ["service_station_staff"]):
        assert statistics_for(UserFactory(duties=duties), date_from=START, date_to=END) is None
    for duty in ("work_permit_officer", "lead_officer", "exit_entry_officer", "administrator"):
        assert statistics_for(UserFactory(duties=[duty]), date_from=START, date_to=END) is not None


def test_query_count_does_not_grow_with_cases(db, officer):
    def count():
        with CaptureQueriesContext(connection) as queries:
            statistics_for(officer, date_from=START, date_to=END)
        return len(queries)

    first = decided_case(at(2026, 9, 29), at(2026, 10, 9), limit=date(2026, 10, 29))
    Transition.objects.create(
        application=first, actor=officer, actor_role="officer", action="return", reason_codes=["doc_missing"]
    )
    count()  # the officer's duties and the calendar are read once per request or process
    few = count()
    for day in range(1, 25):
        decided_case(at(2026, 9, day), at(2026, 10, day + 5), limit=date(2026, 10, 29), nationality="DEU")
    assert count() == few


def test_percentile_interpolates_between_ranks():
    assert percentile([(2, 1), (3, 2), (19, 1), (22, 1)], 0.5) == 3
    assert percentile([(1, 1), (2, 1)], 0.5) == 1.5
    assert percentile([(5, 10)], 0.9) == 5
    assert percentile([], 0.5) is None


def test_quarters():
    assert quarter_bounds(date(2026, 11, 2), previous=True) == (date(2026, 7, 1), date(2026, 9, 30))
    assert quarter_bounds(date(2026, 2, 10), previous=True) == (date(2025, 10, 1), date(2025, 12, 31))
    assert quarter_bounds(date(2026, 12, 31)) == (date(2026, 10, 1), date(2026, 12, 31))
