"""Periodic reminders (permits/reminders.py): each sent once per threshold, however often beat runs."""

import datetime as dt
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from permits import reminders, tasks
from permits.models import DocumentKind
from services.notifications.models import Notification
from talent_portal.core import workdays
from tests.factories import UserFactory
from tests.permits.factories import ApplicationFactory, PermitFactory, add_version

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 2)  # a Monday


@pytest.fixture(autouse=True)
def _fresh_calendar():
    workdays.clear_cache()


@pytest.fixture
def system():
    from talent_portal.core.actors import get_system_actor

    return get_system_actor()


def _rows(kind):
    return list(Notification.objects.filter(kind=kind).order_by("id"))


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (120, None),
        (91, None),
        (90, 90),
        (61, 90),
        (60, 60),
        (31, 60),
        (30, 30),
        (8, 30),
        (7, 7),
        (0, 7),
        (-1, None),
    ],
)
def test_the_threshold_is_the_smallest_one_reached(days_left, expected):
    assert reminders.threshold(days_left, reminders.PERMIT_EXPIRY_DAYS) == expected


def test_permit_expiry_reminders_go_to_the_holder_and_the_employer_once_per_threshold(system):
    permit = PermitFactory(valid_until=ON + timedelta(days=85), holder=UserFactory(preferred_language="ko"))
    hr = UserFactory(member_of=permit.organization, preferred_language="ja")
    PermitFactory(valid_until=ON + timedelta(days=120))  # not yet
    PermitFactory(valid_until=ON + timedelta(days=20), state="cancelled")  # no longer valid
    PermitFactory(valid_until=ON + timedelta(days=20), kind="notice")  # notices lapse instead

    assert reminders.permit_expiry_reminders(actor=system, on=ON) == 2
    rows = _rows("permit_expiring")
    assert {row.recipient for row in rows} == {permit.holder, hr}
    assert {row.language for row in rows} == {"ko", "ja"}
    assert rows[0].context == {
        "permit_number": permit.number,
        "holder_name": permit.holder_name,
        "valid_until": permit.valid_until.isoformat(),
        "days": 90,
        "days_left": 85,
    }
    assert {row.link for row in rows} == {
        "/applications/",
        f"/applications/employer/{permit.organization_id}/",
    }

    # Twice the same day, and the next days before the 60-day threshold: nothing more.
    assert reminders.permit_expiry_reminders(actor=system, on=ON) == 0
    assert reminders.permit_expiry_reminders(actor=system, on=ON + timedelta(days=20)) == 0
    # Then each threshold once.
    assert reminders.permit_expiry_reminders(actor=system, on=ON + timedelta(days=25)) == 2
    assert reminders.permit_expiry_reminders(actor=system, on=ON + timedelta(days=26)) == 0
    assert sorted({row.context["days"] for row in _rows("permit_expiring")}) == [60, 90]


def test_a_missed_threshold_is_caught_up_but_a_stale_one_is_skipped(system):
    PermitFactory(valid_until=ON + timedelta(days=29))
    assert reminders.permit_expiry_reminders(actor=system, on=ON) == 1
    assert [row.context["days"] for row in _rows("permit_expiring")] == [30]


def test_reminders_through_the_beat_task_send_one_mail_per_threshold(django_capture_on_commit_callbacks):
    permit = PermitFactory(valid_until=date(2026, 3, 9), holder=UserFactory(preferred_language="ko"))
    # 10:00 in Shanghai on 2 March: seven days before expiry.
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        for _run in range(3):  # beat runs hourly
            with django_capture_on_commit_callbacks(execute=True):
                tasks.send_permit_expiry_reminders.apply()
    [message] = mail.outbox
    assert message.to == [permit.holder.email]
    assert permit.number in message.subject
    assert Notification.objects.get().dedupe_key == f"permit_expiring:{permit.pk}:7:{permit.holder_id}"


def test_an_unused_notice_lapsing_is_reminded(system):
    unused = PermitFactory(kind="notice", valid_from=date(2025, 9, 20), valid_until=ON + timedelta(days=19))
    used_application = ApplicationFactory(entry_date=ON - timedelta(days=3))
    PermitFactory(kind="notice", valid_until=ON + timedelta(days=19), application=used_application)

    assert reminders.notice_lapse_reminders(actor=system, on=ON) == 1
    [row] = _rows("notice_lapsing")
    assert row.recipient == unused.holder
    assert row.context["lapses_on"] == (unused.valid_until + timedelta(days=1)).isoformat()
    assert row.context["days"] == 30
    assert reminders.notice_lapse_reminders(actor=system, on=ON) == 0


def test_card_and_residence_deadlines_after_entry(system):
    application = ApplicationFactory(complete=True, entry_date=ON - timedelta(days=10))
    hr = UserFactory(member_of=application.organization)
    PermitFactory(kind="notice", application=application, holder=application.applicant)

    # Card due on entry + 15 (5 days left): reminded; residence on entry + 30 (20 days): not yet.
    assert reminders.entry_deadline_reminders(actor=system, on=ON) == 2
    rows = _rows("entry_deadline")
    assert {row.recipient for row in rows} == {application.applicant, hr}
    assert {row.context["which"] for row in rows} == {"card"}
    assert rows[0].context["deadline"] == (ON + timedelta(days=5)).isoformat()
    assert reminders.entry_deadline_reminders(actor=system, on=ON) == 0

    # Once the card application is filed, only the residence deadline is left to remind.
    ApplicationFactory(
        business_type="new_card",
        state="submitted",
        source_permit=application.issued_permits.get(),
        applicant=application.applicant,
        organization=application.organization,
    )
    later = ON + timedelta(days=14)  # card: 1 day left (threshold 2); residence: 6 days (threshold 7)
    assert reminders.entry_deadline_reminders(actor=system, on=later) == 2
    assert {row.context["which"] for row in _rows("entry_deadline")} == {"card", "residence"}
    assert Notification.objects.filter(kind="entry_deadline", context__which="card").count() == 2


def test_a_dated_document_lapsing_during_the_case_is_reminded_in_the_applicants_language(system):
    application = ApplicationFactory(
        complete=True, state="under_review", applicant=UserFactory(preferred_language="ko")
    )
    # Issued 2025-09-12: lapses on 2026-03-12, ten days after ON.
    version = add_version(application, "health_certificate", issue_date=date(2025, 9, 12))
    old = add_version(application, "criminal_record", issue_date=date(2025, 9, 5))
    add_version(application, "criminal_record", issue_date=date(2026, 2, 1))  # replaced: no reminder
    assert old.number == 1

    assert reminders.document_lapse_reminders(actor=system, on=ON) == 1
    [row] = _rows("document_expiring")
    assert row.recipient == application.applicant
    with translation.override("ko"):
        assert row.context["document"] == str(DocumentKind.HEALTH_CERTIFICATE.label)
    assert row.context["lapses_on"] == "2026-03-12"
    assert row.dedupe_key == f"document_expiring:{version.pk}:14:{application.applicant_id}"
    assert reminders.document_lapse_reminders(actor=system, on=ON) == 0
    assert reminders.document_lapse_reminders(actor=system, on=date(2026, 3, 10)) == 1  # the 3-day one


def test_deadline_alerts_reach_the_officer_and_the_lead_officers(system):
    officer = UserFactory(duties=["work_permit_officer"])
    lead = UserFactory(duties=["lead_officer"])
    overdue = ApplicationFactory(
        complete=True,
        state="under_review",
        assigned_officer=officer,
        accepted_at=timezone.now() - timedelta(days=20),
        target_date=ON - timedelta(days=1),
        statutory_limit=date(2026, 3, 4),  # Wednesday: two working days after Monday 2 March
    )
    breached = ApplicationFactory(
        complete=True,
        state="accepted",
        target_date=ON - timedelta(days=12),
        statutory_limit=ON - timedelta(days=1),
    )
    ApplicationFactory(complete=True, state="awaiting_documents", target_date=ON - timedelta(days=5))
    ApplicationFactory(complete=True, state="under_review", target_date=ON + timedelta(days=3))

    written = reminders.deadline_alerts(actor=system, on=ON)
    by_kind = {}
    for row in Notification.objects.all():
        by_kind.setdefault(row.kind, set()).add((row.context["reference"], row.recipient_id))
    assert by_kind["target_passed"] == {
        (overdue.reference, officer.pk),
        (overdue.reference, lead.pk),
        (breached.reference, lead.pk),
    }
    assert by_kind["statutory_near"] == {(overdue.reference, officer.pk), (overdue.reference, lead.pk)}
    assert by_kind["statutory_breached"] == {(breached.reference, lead.pk)}
    assert written == 6
    near = Notification.objects.filter(kind="statutory_near").first()
    assert near.context["working_days_left"] == 2
    assert near.link == f"/applications/{overdue.public_id}/review/"
    assert reminders.deadline_alerts(actor=system, on=ON) == 0
    assert reminders.deadline_alerts(actor=system, on=ON + timedelta(days=1)) == 0
    # Thursday 5 March: the first case's limit has passed too.
    assert reminders.deadline_alerts(actor=system, on=date(2026, 3, 5)) == 2
