"""The statistics page, its downloads (CSV, XLSX: the same numbers) and who may open them."""

import csv
import io
from datetime import date

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from talent_portal.core.models import AuditEvent
from talent_portal.dashboards.statistics import statistics_for
from tests.factories import OrganizationFactory, UserFactory

from .test_statistics import END, START, at, decided_case, fixtures, officer  # noqa: F401 - fixtures

RANGE = {"date_from": START.isoformat(), "date_to": END.isoformat()}


def _url(name):
    return reverse(f"dashboards:{name}")


@pytest.mark.parametrize("name", ["statistics", "statistics_csv", "statistics_xlsx"])
def test_only_officers_and_administrators(client, db, name):
    response = client.get(_url(name), RANGE)
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]
    organization = OrganizationFactory(verified=True)
    for person in (
        UserFactory(),
        UserFactory(member_of=organization, member_of__role="administrator"),
        UserFactory(duties=["service_station_staff"]),
    ):
        client.force_login(person)
        assert client.get(_url(name), RANGE).status_code == 404
    for duty in ("work_permit_officer", "lead_officer", "exit_entry_officer", "administrator"):
        client.force_login(UserFactory(duties=[duty]))
        assert client.get(_url(name), RANGE).status_code == 200


def test_page_shows_charts_and_tables_in_chinese(client, fixtures, officer):  # noqa: F811
    client.force_login(officer)
    response = client.get("/zh-hans" + _url("statistics").removeprefix("/en"), RANGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert response.headers["Content-Language"] == "zh-hans"
    assert body.count("<svg") >= 10
    assert 'data-table="durations"' in body
    assert "<caption>" in body
    assert "19.8" in body
    assert "<script" not in body.split('data-table="per_week"')[1].split("</main>")[0]
    assert ' style="' not in body


def test_default_range_is_last_quarter(client, db, officer):  # noqa: F811
    client.force_login(officer)
    response = client.get(_url("statistics"))
    # Today is 2 November 2026: last quarter is July to September.
    assert response.context["statistics"].date_from == date(2026, 7, 1)
    assert response.context["statistics"].date_to == date(2026, 9, 30)


def test_a_reversed_range_is_refused_with_a_message(client, db, officer):  # noqa: F811
    client.force_login(officer)
    response = client.get(_url("statistics"), {"date_from": "2026-10-01", "date_to": "2026-09-01"})
    assert response.status_code == 200
    assert "must not be before its start" in response.content.decode()


def test_xlsx_has_the_same_numbers_as_the_page_and_is_audited(client, fixtures, officer):  # noqa: F811
    client.force_login(officer)
    response = client.get(_url("statistics_xlsx"), RANGE)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="statistics-20260901-20261031.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    statistics = statistics_for(officer, date_from=START, date_to=END)
    assert len(workbook.sheetnames) == len(statistics.tables)
    for sheet, table in zip(workbook.worksheets, statistics.tables, strict=True):
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert values[0][0] == table.title
        assert values[2] == table.columns
        assert [[("" if value is None else value) for value in row] for row in values[3:]] == table.rows
    durations = workbook.worksheets[[t.key for t in statistics.tables].index("durations")]
    assert list(durations.iter_rows(min_row=4, max_row=4, values_only=True))[0] == (
        "Work permit",
        5,
        3,
        19.8,
        4,
        80,
    )
    event = AuditEvent.objects.get(action="export")
    assert event.actor == officer
    assert event.data == {"what": "statistics", "format": "xlsx", "from": "2026-09-01", "to": "2026-10-31"}


def test_csv_contents(client, fixtures, officer):  # noqa: F811
    client.force_login(officer)
    response = client.get(_url("statistics_csv"), RANGE)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Work permit", "5", "3.0", "19.8", "4", "80.0"] in rows
    assert ["2026-09", "7", "1", "0"] in rows
    assert ["Applications per week"] in rows
    assert AuditEvent.objects.filter(action="export", data__format="csv").count() == 1


def test_a_formula_in_a_label_is_neutralised(client, db, officer):  # noqa: F811
    UserFactory(duties=["work_permit_officer"], full_name='=HYPERLINK("http://x")')
    from tests.permits.factories import ApplicationFactory

    ApplicationFactory(
        complete=True,
        state="under_review",
        assigned_officer=UserFactory(full_name="=1+2"),
        target_date=date(2026, 12, 1),
    )
    client.force_login(officer)
    workbook = load_workbook(io.BytesIO(client.get(_url("statistics_xlsx"), RANGE).content))
    cells = [
        cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert "'=1+2 · Work permit" in cells
    assert not any(isinstance(cell, str) and cell.startswith("=") for cell in cells)


def test_page_query_count_is_fixed(client, db, officer):  # noqa: F811
    client.force_login(officer)

    def count():
        reset_queries()  # a request resets the log: start it empty so that nothing is cut off
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("statistics"), RANGE).status_code == 200
        return len(queries)

    decided_case(at(2026, 9, 29), at(2026, 10, 9), limit=date(2026, 10, 29))
    count()
    few = count()
    for day in range(1, 20):
        decided_case(at(2026, 9, day), at(2026, 10, day + 3), limit=date(2026, 10, 29), nationality="FRA")
    assert count() == few > 15
