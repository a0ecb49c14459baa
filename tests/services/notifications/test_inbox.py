"""The in-app inbox: the bell on every page, the list, marking read, preferences, the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from services.notifications.actions import notification_create
from services.notifications.delivery import deliver
from services.notifications.models import Notification, Preference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _entry(user, number, *, read=False):
    row = notification_create(
        actor=user,
        kind="application_approved",
        recipient=user,
        context={
            "reference": f"SH2026-0000-{number:04d}",
            "applicant_name": "KIM MINJUN",
            "organization": "Example Co.",
            "state": "approved",
            "valid_until": "2028-03-31",
        },
        dedupe_key=f"approved:{user.pk}:{number}",
        link="/applications/7a1c1c62-4d0b-4d8e-9a64-0d9a3c1f1e11/",
    )
    deliver(row.pk)
    if read:
        Notification.objects.filter(pk=row.pk).update(read_at=timezone.now())
    return row


def _url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def reader(client):
    user = UserFactory(preferred_language="ko")
    client.force_login(user)
    return user


def test_every_page_carries_a_bell_that_htmx_refreshes(client, reader):
    page = client.get(_url("dashboards:home", "ko")).content.decode()
    assert 'hx-get="/ko/notifications/bell/"' in page and 'hx-trigger="load, every 60s"' in page
    assert "htmx-2.min.js" in page and "<script>" not in page  # no inline script under the CSP


def test_the_bell_counts_unread_entries(client, reader):
    _entry(reader, 1)
    _entry(reader, 2)
    _entry(reader, 3, read=True)
    _entry(UserFactory(), 4)  # someone else's
    response = client.get(_url("notifications:bell", "ko"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert '<span class="badge rounded-pill text-bg-light">2</span>' in response.content.decode()
    client.logout()
    assert client.get(_url("notifications:bell")).status_code == 204


def test_the_list_shows_read_and_unread_and_leads_to_the_object(client, reader):
    unread = _entry(reader, 1)
    _entry(reader, 2, read=True)
    page = client.get(_url("notifications:inbox", "ko")).content.decode()
    assert "SH2026-0000-0001" in page and "SH2026-0000-0002" in page
    assert page.count('class="badge text-bg-primary me-1"') == 1
    only_unread = client.get(_url("notifications:inbox", "ko") + "?unread=1").content.decode()
    assert "SH2026-0000-0001" in only_unread and "SH2026-0000-0002" not in only_unread

    response = client.post(_url("notifications:open", "ko", pk=unread.pk))
    assert response.status_code == 302
    assert response["Location"] == "/ko/applications/7a1c1c62-4d0b-4d8e-9a64-0d9a3c1f1e11/"
    unread.refresh_from_db()
    assert unread.read_at is not None


def test_mark_one_and_mark_all_read(client, reader):
    first, second, third = (_entry(reader, number) for number in (1, 2, 3))
    client.post(_url("notifications:mark_read", pk=first.pk))
    assert set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True)) == {
        second.pk,
        third.pk,
    }
    client.post(_url("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()


def test_someone_elses_entry_is_not_found(client, reader):
    other = _entry(UserFactory(), 1)
    assert client.post(_url("notifications:mark_read", pk=other.pk)).status_code == 404
    assert client.post(_url("notifications:open", pk=other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_pending_rows_are_not_in_the_inbox_yet(client, reader):
    notification_create(
        actor=reader,
        kind="application_approved",
        recipient=reader,
        context={
            "reference": "SH2026-PEND-0001",
            "applicant_name": "",
            "organization": "",
            "state": "approved",
            "valid_until": "2028-03-31",
        },
        dedupe_key="pending-one",
    )
    assert "SH2026-PEND-0001" not in client.get(_url("notifications:inbox")).content.decode()


@pytest.mark.parametrize("entries", [3, 15])
def test_the_list_makes_the_same_number_of_queries_whatever_its_length(client, reader, entries):
    for number in range(entries):
        _entry(reader, number)
    client.get(_url("notifications:inbox"))  # warm up the session and caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("notifications:inbox")).status_code == 200
    assert len(queries) <= 7, [query["sql"] for query in queries]


def test_preferences_switch_e_mail_off_but_not_for_legal_notices(client, reader):
    page = client.get(_url("notifications:preferences", "ko")).content.decode()
    assert 'name="application_refused"' in page and "disabled" in page
    response = client.post(
        _url("notifications:preferences", "ko"),
        {"application_submitted": "on", "application_refused": ""},  # accepted left unticked
    )
    assert response.status_code == 302
    assert Preference.objects.get(user=reader, kind="application_accepted").email is False
    assert Preference.objects.get(user=reader, kind="application_submitted").email is True
    assert not Preference.objects.filter(user=reader, kind="application_refused").exists()
    assert not Preference.objects.filter(kind="hr_invitation").exists()


def test_the_pages_need_a_sign_in(client):
    for name in ("notifications:inbox", "notifications:preferences"):
        response = client.get(_url(name))
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


# --- API ----------------------------------------------------------------------------------------


def test_the_api_lists_my_inbox_in_the_requested_language(api_client, reader):
    entry = _entry(reader, 1)
    _entry(UserFactory(), 2)
    api_client.force_authenticate(reader)
    body = api_client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="ja").json()
    [item] = body["results"]
    assert item["id"] == entry.pk and item["kind"] == "application_approved" and item["read_at"] is None
    assert "SH2026-0000-0001" in item["title"]
    assert item["url"].endswith("/ja/applications/7a1c1c62-4d0b-4d8e-9a64-0d9a3c1f1e11/")
    assert api_client.get("/api/v1/notifications/unread/").json() == {"unread": 1}

    response = api_client.post(f"/api/v1/notifications/{entry.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert api_client.post("/api/v1/notifications/read-all/").json() == {"unread": 0}


@pytest.mark.parametrize("page_size", [2, 10])
def test_the_api_list_makes_a_fixed_number_of_queries(api_client, reader, page_size):
    for number in range(12):
        _entry(reader, number)
    api_client.force_authenticate(reader)
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/v1/notifications/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size
    assert len(queries) <= 2, [query["sql"] for query in queries]


def test_the_api_hides_other_peoples_entries_and_needs_authentication(api_client, reader):
    other = _entry(UserFactory(), 1)
    assert api_client.get("/api/v1/notifications/").status_code == 401
    api_client.force_authenticate(reader)
    response = api_client.post(f"/api/v1/notifications/{other.pk}/read/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
