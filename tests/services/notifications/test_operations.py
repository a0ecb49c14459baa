"""The core outbox port, the health check, the status command and the admin list of failures."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from services.notifications.actions import notification_create
from services.notifications.models import Notification
from talent_portal.accounts import actions as account_actions
from talent_portal.core import outbox
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _row(user, key, **context):
    return notification_create(
        actor=user,
        kind="organization_verified",
        recipient=user,
        context={"organization": "Example Co.", "note": "", **context},
        dedupe_key=key,
    )


def test_the_port_is_registered_at_startup_and_refuses_to_drop_messages(monkeypatch):
    user = UserFactory()
    row = outbox.notify(
        actor=user,
        kind="organization_verified",
        recipient=user,
        context={"organization": "X"},
        dedupe_key="k",
    )
    assert isinstance(row, Notification)
    monkeypatch.setattr(outbox, "_handler", None)
    with pytest.raises(outbox.OutboxNotConfigured):
        outbox.notify(kind="organization_verified")


@pytest.mark.parametrize(
    ("approve", "kind"), [(True, "organization_verified"), (False, "organization_refused")]
)
def test_an_organisation_decision_notifies_its_active_administrators(approve, kind):
    officer = UserFactory(duties=["work_permit_officer"])
    organization = OrganizationFactory()
    administrator = UserFactory(
        member_of=organization, member_of__role="administrator", preferred_language="zh-hans"
    )
    UserFactory(member_of=organization)  # HR staff: not told
    account_actions.organization_verify(
        actor=officer,
        organization=organization,
        approve=approve,
        note="" if approve else "Licence unreadable",
    )
    [row] = Notification.objects.all()
    assert (row.kind, row.recipient, row.language) == (kind, administrator, "zh-hans")
    assert row.context == {
        "organization": organization.display_name,
        "note": "" if approve else "Licence unreadable",
    }
    assert row.link == f"/accounts/organisations/{organization.pk}/"


def test_health_reports_a_growing_backlog_as_degraded(client, settings):
    settings.NOTIFICATIONS_BACKLOG_ALERT_SECONDS = 600
    _row(UserFactory(), "old")
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["checks"]["notifications"]["status"] == "up"
    assert body["checks"]["notifications"]["pending"] == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=15)):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["notifications"]["status"] == "backlog"
    assert body["checks"]["notifications"]["oldest_pending_seconds"] >= 900


def test_the_status_command_prints_counts_and_the_oldest_pending_age():
    user = UserFactory()
    _row(user, "a")
    _row(user, "b")
    Notification.objects.filter(dedupe_key="b").update(status="failed")
    _row(user, "c")
    Notification.objects.filter(dedupe_key="c").update(status="sent")
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        out = StringIO()
        call_command("notifications_status", stdout=out)
        text = out.getvalue()
        out = StringIO()
        call_command("notifications_status", "--json", stdout=out)
    assert "pending: 1" in text and "sent:    1" in text and "failed:  1" in text
    assert "oldest pending: 5m" in text
    data = json.loads(out.getvalue())
    assert data["pending"] == data["sent"] == data["failed"] == 1
    assert 300 <= data["oldest_pending_seconds"] < 360
    assert data["failed_by_kind"] == {"organization_verified": 1}


def test_the_sweep_command_sends_what_waits():
    _row(UserFactory(), "waiting")
    out = StringIO()
    call_command("notifications_sweep", "--grace", "0", stdout=out)
    assert out.getvalue().strip() == "enqueued: 1"
    assert Notification.objects.get().status == "sent"


def test_administrators_list_failed_rows_and_send_them_again(client):
    user = UserFactory()
    failed = _row(user, "failed")
    Notification.objects.filter(pk=failed.pk).update(status="failed", attempts=10, last_error="SMTP down")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:notifications_notification_changelist")
    page = client.get(changelist + "?status__exact=failed")
    assert page.status_code == 200 and "organization_verified" in page.content.decode()
    response = client.post(changelist, {"action": "send_again", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "pending" and failed.attempts == 0
