"""Administration: failed and stuck notifications, reference data as files in four languages, audited."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from services.classification.models import PointsTable, TalentCategory
from services.notifications.actions import notification_create
from services.notifications.models import Notification, Status
from services.outreach.models import Event
from talent_portal.core.errors import InvalidInput
from talent_portal.core.models import AuditEvent, CalendarOverride
from talent_portal.operations import reference_data
from tests.factories import UserFactory
from tests.services.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return UserFactory(duties=["administrator"], is_staff=True, is_superuser=True)


def _row(user, key):
    return notification_create(
        actor=user,
        kind="organization_verified",
        recipient=user,
        context={"organization": "Example Co.", "note": ""},
        dedupe_key=key,
    )


# --- notifications --------------------------------------------------------------------------
def test_administrators_see_stuck_messages_and_cancel_them_audited(client, administrator, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # nothing delivers: rows stay pending
    settings.CELERY_BROKER_URL = ""
    user = UserFactory()
    stuck = Notification.objects.create(
        recipient=user,
        language="en",
        kind="organization_verified",
        dedupe_key="stuck-1",
        context={"organization": "X", "note": ""},
        next_attempt_at=timezone.now() - dt.timedelta(hours=2),
    )
    fresh = Notification.objects.create(
        recipient=user,
        language="en",
        kind="organization_verified",
        dedupe_key="fresh-1",
        context={"organization": "X", "note": ""},
    )
    client.force_login(administrator)
    changelist = reverse("admin:notifications_notification_changelist")
    page = client.get(changelist + "?stuck=yes")
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [stuck]
    response = client.post(changelist, {"action": "cancel_pending", "_selected_action": [stuck.pk, fresh.pk]})
    assert response.status_code == 302
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == Status.FAILED and "Cancelled" in stuck.last_error
    assert fresh.status == Status.FAILED  # selected: pending rows are cancelled
    event = AuditEvent.objects.get(action="notifications_cancelled")
    assert event.actor == administrator and sorted(event.data["ids"]) == sorted([stuck.pk, fresh.pk])
    # A cancelled row is a failed row: it can be sent again.
    client.post(changelist, {"action": "send_again", "_selected_action": [stuck.pk]})
    stuck.refresh_from_db()
    assert stuck.status == Status.PENDING
    assert AuditEvent.objects.filter(action="notifications_resent").exists()


def test_failed_messages_are_listed_and_sent_again(client, administrator):
    user = UserFactory()
    failed = _row(user, "failed-1")
    Notification.objects.filter(pk=failed.pk).update(status="failed", attempts=10, last_error="SMTP down")
    client.force_login(administrator)
    changelist = reverse("admin:notifications_notification_changelist")
    assert list(client.get(changelist + "?status__exact=failed").context["cl"].result_list) == [failed]
    client.post(changelist, {"action": "send_again", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == "pending" and failed.attempts == 0  # delivered after commit


# --- reference data -------------------------------------------------------------------------
def test_the_export_holds_every_set_in_all_four_languages_and_is_audited(administrator):
    EventFactory(title_ja="イベント", title_ko="행사")
    CalendarOverride.objects.create(date=dt.date(2027, 1, 4), kind="holiday", note="国办发明电〔2026〕1号")
    document = reference_data.reference_data_export(actor=administrator)
    assert set(document["sets"]) == {"catalogue", "points", "calendar", "events"}
    category = next(
        row for row in document["sets"]["catalogue"] if row["model"] == "classification.talentcategory"
    )
    assert {"name_zh_hans", "name_en", "name_ja", "name_ko"} <= set(category["fields"])
    event = document["sets"]["events"][0]["fields"]
    assert (event["title_ja"], event["title_ko"]) == ("イベント", "행사")
    assert "created_by" not in event
    table = next(row for row in document["sets"]["points"] if row["model"] == "classification.pointstable")
    assert {"title_zh_hans", "title_en", "title_ja", "title_ko"} <= set(table["fields"])
    audit = AuditEvent.objects.get(action="reference_data_exported")
    assert audit.actor == administrator and audit.data["counts"]["calendar"] == 1


def test_an_import_updates_and_creates_in_one_transaction_and_is_audited(administrator):
    event = EventFactory()
    document = reference_data.reference_data_export(actor=administrator)
    category_row = next(
        row for row in document["sets"]["catalogue"] if row["model"] == "classification.talentcategory"
    )
    category_row["fields"]["name_ko"] = "새 이름"
    document["sets"]["calendar"].append(
        {
            "model": "core.calendaroverride",
            "pk": None,
            "fields": {"date": "2027-02-01", "kind": "working_day", "note": "调休"},
        }
    )
    document["sets"]["events"][0]["fields"]["title_ja"] = "新しい名前"
    counts = reference_data.reference_data_import(actor=administrator, document=document)
    assert counts["calendar"] == {"created": 1, "updated": 0}
    assert TalentCategory.objects.get(pk=category_row["pk"]).name_ko == "새 이름"
    assert CalendarOverride.objects.get(date=dt.date(2027, 2, 1)).kind == "working_day"
    event.refresh_from_db()
    assert event.title_ja == "新しい名前"
    assert AuditEvent.objects.get(action="reference_data_imported").actor == administrator


def test_an_import_with_any_error_changes_nothing_and_lists_every_problem(administrator):
    document = reference_data.reference_data_export(actor=administrator, sets=["catalogue", "calendar"])
    category_row = next(
        row for row in document["sets"]["catalogue"] if row["model"] == "classification.talentcategory"
    )
    before = TalentCategory.objects.get(pk=category_row["pk"]).name_en
    category_row["fields"]["name_en"] = "Changed"
    document["sets"]["calendar"] += [
        {
            "model": "core.calendaroverride",
            "pk": None,
            "fields": {"date": "2027-03-01", "kind": "nonsense", "note": "x"},
        },
        {
            "model": "core.calendaroverride",
            "pk": None,
            "fields": {"date": "not a date", "kind": "holiday", "note": "x"},
        },
    ]
    with pytest.raises(InvalidInput) as raised:
        reference_data.reference_data_import(actor=administrator, document=document)
    assert set(raised.value.fields) == {"calendar[0]", "calendar[1]"}
    assert TalentCategory.objects.get(pk=category_row["pk"]).name_en == before
    assert not CalendarOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="reference_data_imported").exists()


def test_a_points_table_in_force_cannot_be_changed_by_import(administrator):
    table = PointsTable.objects.filter(is_published=True).first()
    assert table is not None and table.is_locked
    document = reference_data.reference_data_export(actor=administrator, sets=["points"])
    # Unchanged: accepted (a round trip of the same file).
    reference_data.reference_data_import(actor=administrator, document=document)
    row = next(
        r
        for r in document["sets"]["points"]
        if r["model"] == "classification.pointstable" and r["pk"] == table.pk
    )
    row["fields"]["threshold_a"] = 1
    with pytest.raises(InvalidInput) as raised:
        reference_data.reference_data_import(actor=administrator, document=document)
    assert any("in force" in " ".join(messages) for messages in raised.value.fields.values())
    table.refresh_from_db()
    assert table.threshold_a != 1


@pytest.mark.parametrize(
    "document",
    [
        {"format": "other"},
        {"format": reference_data.FORMAT, "version": 99, "sets": {"calendar": []}},
        {"format": reference_data.FORMAT, "version": 1, "sets": {"users": []}},
        {
            "format": reference_data.FORMAT,
            "version": 1,
            "sets": {"calendar": [{"model": "accounts.user", "fields": {}}]},
        },
    ],
)
def test_a_foreign_file_is_refused(administrator, document):
    with pytest.raises(InvalidInput):
        reference_data.reference_data_import(actor=administrator, document=document)


def test_the_page_exports_and_imports_for_administrators_only(client, administrator):
    url = reverse("operations:reference_data")
    client.force_login(UserFactory(duties=["work_permit_officer"]))
    assert client.get(url).status_code == 404
    client.force_login(administrator)
    assert client.get(url).status_code == 200
    download = client.post(url, {"export": "1", "export-sets": ["calendar", "events"]})
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="reference-data-')
    document = json.loads(download.content)
    assert set(document["sets"]) == {"calendar", "events"}
    document["sets"]["calendar"].append(
        {
            "model": "core.calendaroverride",
            "pk": None,
            "fields": {"date": "2027-05-06", "kind": "holiday", "note": "x"},
        }
    )
    upload = SimpleUploadedFile("rd.json", json.dumps(document).encode(), content_type="application/json")
    response = client.post(url, {"import": "1", "import-file": upload})
    assert response.status_code == 302
    assert CalendarOverride.objects.filter(date=dt.date(2027, 5, 6)).exists()
    broken = SimpleUploadedFile("rd.json", b"{not json", content_type="application/json")
    response = client.post(url, {"import": "1", "import-file": broken})
    assert response.status_code == 200 and response.context["import_form"].errors


def test_the_command_round_trips_a_file(tmp_path, administrator):
    EventFactory()
    path = tmp_path / "rd.json"
    call_command("reference_data", "export", str(path), "--set", "events", "--actor", administrator.email)
    document = json.loads(path.read_text())
    document["sets"]["events"][0]["fields"]["capacity"] = 0  # violates a constraint
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("reference_data", "import", str(path))
    assert Event.objects.get().capacity == 2
