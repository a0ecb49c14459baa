"""The officers' queue read as its shown columns: same answers, a fixed number of queries, keyset paging.

The queue API and page no longer build model instances per row (``selectors.queue_values`` /
``queue_rows``); these tests hold them to what the serializer and the template showed before,
and to the query counts of issue 11 (at most 4 per request, whatever the page size and depth).
"""

import base64
import json
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from permits import deadlines, selectors
from permits.api.officers import QueueRowSerializer
from permits.officer_views import QueueFilterForm
from services.classification.models import AssessmentRecord
from talent_portal.accounts.actions import api_token_create
from tests.factories import UserFactory

from .factories import TODAY, ApplicationFactory

pytestmark = pytest.mark.django_db

QUEUE_API = "/api/v1/queue/"
QUEUE_PAGE = "/en/applications/queue/"


@pytest.fixture
def officer():
    return UserFactory(duties=["work_permit_officer"], full_name="Officer Wang")


@pytest.fixture
def token_client(officer):
    """The officer's personal API token, as an integration sends it (not ``force_authenticate``)."""
    _token, clear = api_token_create(actor=officer, name="queue", days=30)
    return APIClient(headers={"Authorization": f"Token {clear}"})


def _assessment(officer, *, computed, claimed="", confirmed=""):
    return AssessmentRecord.objects.create(
        snapshot={},
        table_version="2026",
        points=70,
        computed_category=computed,
        decided_by_rule="points",
        claimed_category=claimed,
        confirmed_category=confirmed,
        override_reason="Verified the salary with the tax bureau." if confirmed else "",
        recorded_by=officer,
        reviewed_by=officer if confirmed else None,
        reviewed_at=timezone.now() if confirmed else None,
    )


@pytest.fixture
def varied_queue(officer):
    """Queue cases with everything a row can show: an officer, classes, limits near and past."""
    ApplicationFactory(state="submitted", target_date=TODAY + timedelta(days=9), surname="", given_names="")
    ApplicationFactory(
        complete=True,
        state="under_review",
        target_date=TODAY - timedelta(days=2),
        statutory_limit=TODAY + timedelta(days=1),
        assigned_officer=officer,
        submitted_at=timezone.make_aware(datetime(2026, 2, 3, 9, 30)),
        assessment=_assessment(officer, computed="B", claimed="A"),
    )
    ApplicationFactory(
        complete=True,
        state="accepted",
        target_date=TODAY - timedelta(days=20),
        statutory_limit=TODAY - timedelta(days=1),
        assessment=_assessment(officer, computed="C", confirmed="B"),
    )
    ApplicationFactory(
        complete=True, state="awaiting_documents", target_date=TODAY + timedelta(days=30), assessment=None
    )
    ApplicationFactory(complete=True, state="draft", target_date=TODAY)  # never in the queue
    ApplicationFactory(complete=True, state="submitted", target_date=None)  # nor without a date


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries), response


def _relative(link):
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def test_every_api_row_is_what_the_serializer_writes_for_the_case(token_client, officer, varied_queue):
    rows = token_client.get(QUEUE_API).json()["results"]
    cases = {
        str(case.public_id): case
        for case in selectors.officer_queue(officer).filter(public_id__in=[row["public_id"] for row in rows])
    }
    context = {"today": deadlines.today()}
    expected = [
        json.loads(json.dumps(QueueRowSerializer(cases[r["public_id"]], context=context).data)) for r in rows
    ]
    assert rows == expected
    assert [list(row) for row in rows] == [list(row) for row in expected]  # the key order too
    assert len(rows) == 4  # the draft and the case without a target date are not queued
    by_state = {row["state"]: row for row in rows}
    assigned = by_state["under_review"]
    assert assigned["assigned_officer"] == "Officer Wang"
    assert assigned["submitted_at"] == "2026-02-03T09:30:00+08:00"
    assert assigned["flags"] == {
        "overdue": True,
        "in_breach": False,
        "near_breach": True,
        "class_mismatch": True,
        "talent_class": "B",
    }
    assert by_state["accepted"]["flags"]["in_breach"] and by_state["accepted"]["flags"]["talent_class"] == "B"
    assert by_state["submitted"]["applicant_name"] == "" and by_state["submitted"]["assigned_officer"] == ""
    assert by_state["awaiting_documents"]["flags"]["talent_class"] == ""


def test_the_rows_keep_the_published_schema(token_client, varied_queue):
    schema = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    row_properties = set(schema["QueueRow"]["properties"])
    flag_properties = set(schema["QueueFlags"]["properties"])
    for row in token_client.get(QUEUE_API).json()["results"]:
        assert set(row) == row_properties
        assert set(row["flags"]) == flag_properties
        assert set(schema["QueueRow"]["required"]) <= set(row)


@pytest.mark.parametrize("size", [10, 50, 100])
def test_the_api_makes_the_same_few_queries_whatever_the_page_size(token_client, size):
    ApplicationFactory.create_batch(
        110, state="accepted", target_date=TODAY, statutory_limit=TODAY + timedelta(days=2)
    )
    token_client.get(QUEUE_API)  # the process reads the working-day calendar once (near breach)
    count, response = _queries(token_client, f"{QUEUE_API}?page_size={size}")
    assert len(response.json()["results"]) == size
    # The token with its owner, the owner's duties, the page (issue 11 allows 4).
    assert count == 3


def test_a_deep_api_page_makes_the_same_queries_as_the_first(token_client):
    for day in range(12):
        ApplicationFactory.create_batch(5, state="submitted", target_date=TODAY + timedelta(days=day))
    first, response = _queries(token_client, f"{QUEUE_API}?page_size=7")
    link = response.json()["next"]
    for _ in range(5):
        link = token_client.get(_relative(link)).json()["next"]
    deep, response = _queries(token_client, _relative(link))
    assert len(response.json()["results"]) == 7
    assert first == deep == 3


def test_keyset_pages_walk_the_queue_forth_and_back_without_gaps(token_client, officer):
    # More cases on one target date than fit a page: the cursor must hold the id, not only the date.
    cases = [ApplicationFactory(state="submitted", target_date=date(2026, 3, 9)) for _ in range(9)]
    cases += [ApplicationFactory(state="accepted", target_date=date(2026, 3, day)) for day in (3, 5, 9, 12)]
    expected = [str(case.public_id) for case in sorted(cases, key=lambda c: (c.target_date, c.pk))]

    pages, link = [], f"{QUEUE_API}?page_size=4"
    while link:
        body = token_client.get(_relative(link) if link.startswith("http") else link).json()
        pages.append([row["public_id"] for row in body["results"]])
        link = body["next"]
    assert [public_id for page in pages for public_id in page] == expected
    assert [len(page) for page in pages] == [4, 4, 4, 1]

    # And back from the last page with the previous links: the same pages in reverse.
    back, link = [], body["previous"]
    while link:
        body = token_client.get(_relative(link)).json()
        back.append([row["public_id"] for row in body["results"]])
        link = body["previous"]
    assert back == pages[-2::-1]

    # The cursor holds the last case's date and id (no offset): the page starts right after it.
    second = token_client.get(f"{QUEUE_API}?page_size=4").json()["next"]
    position = parse_qs(base64.b64decode(parse_qs(urlsplit(second).query)["cursor"][0]).decode())
    fourth = next(case for case in cases if str(case.public_id) == expected[3])
    assert position == {"p": [f"{fourth.target_date.isoformat()}_{fourth.pk}"]}


def test_an_older_date_only_cursor_still_pages_and_a_forged_one_is_refused(token_client):
    for day in (3, 5, 5, 9):
        ApplicationFactory(state="submitted", target_date=date(2026, 3, day))
    legacy = base64.b64encode(b"p=2026-03-03").decode()
    body = token_client.get(f"{QUEUE_API}?cursor={legacy}").json()
    assert [row["target_date"] for row in body["results"]] == ["2026-03-05", "2026-03-05", "2026-03-09"]
    forged = base64.b64encode(b"p=yesterday_1").decode()
    response = token_client.get(f"{QUEUE_API}?cursor={forged}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_api_filters_and_search_still_apply(token_client, officer, varied_queue):
    mine = token_client.get(f"{QUEUE_API}?assigned=me").json()["results"]
    assert [row["state"] for row in mine] == ["under_review"]
    class_b = token_client.get(f"{QUEUE_API}?talent_class=B").json()["results"]
    assert sorted(row["state"] for row in class_b) == ["accepted", "under_review"]
    searched = token_client.get(f"{QUEUE_API}?q=tanaka").json()["results"]
    assert sorted(row["state"] for row in searched) == ["accepted", "awaiting_documents", "under_review"]


def test_the_api_stays_for_officers_only(user):
    _token, clear = api_token_create(actor=user, name="mine", days=30)
    client = APIClient(headers={"Authorization": f"Token {clear}"})
    assert client.get(QUEUE_API).status_code == 404


@pytest.mark.parametrize("size", [10, 100])
def test_the_page_makes_the_same_few_queries_whatever_the_size_and_depth(client, officer, size):
    for day in range(6):
        ApplicationFactory.create_batch(20, state="submitted", target_date=TODAY + timedelta(days=day))
    client.force_login(officer)
    client.get(QUEUE_PAGE)  # the first request of the session also stamps its activity
    first, response = _queries(client, f"{QUEUE_PAGE}?size={size}")
    assert len(response.context["rows"]) == size
    cursor = response.context["next_cursor"]
    deep, response = _queries(client, f"{QUEUE_PAGE}?size={size}&after={cursor}")
    assert response.context["rows"]
    assert first == deep <= 4


def test_the_page_shows_each_row_as_before(client, officer, varied_queue):
    client.force_login(officer)
    body = client.get(QUEUE_PAGE).content.decode()
    case = selectors.officer_queue(officer).get(state="under_review")
    assert f'href="/en/applications/{case.public_id}/"' in body
    assert "Officer Wang" in body
    assert "state-badge" in body and "Under review" in body
    assert "Senior chip designer" not in body  # only the queue's columns
    for day in (case.target_date, case.statutory_limit):
        assert date_format(day, "SHORT_DATE_FORMAT") in body
    assert "near breach" in body and "class differs from claim" in body
    assert 'class="table-danger"' in body  # the accepted case past its statutory limit


def test_the_filter_form_shows_what_was_asked(client, officer, varied_queue):
    client.force_login(officer)
    plain = client.get(QUEUE_PAGE).content.decode()
    assert 'name="q"' in plain and "value=" not in plain.split('name="q"', 1)[1].split(">", 1)[0]
    searched = client.get(f"{QUEUE_PAGE}?q=tanaka").content.decode()
    assert 'value="tanaka"' in searched
    chinese = client.get("/zh-hans/applications/queue/").content.decode()
    with translation.override("zh-hans"):
        chinese_label = str(QueueFilterForm.base_fields["q"].label)
    with translation.override("en"):
        english_label = str(QueueFilterForm.base_fields["q"].label)
    assert chinese_label != english_label
    # The empty form is rendered once per language: each page shows its own.
    assert chinese_label in chinese and english_label not in chinese
    assert english_label in plain
