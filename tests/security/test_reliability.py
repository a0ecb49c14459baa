"""Reliability proofs: double submission, many officers deciding at once, and a failure mid-way.

A case changes state through one door (``permits.actions.door.application_transition``): lock,
version check, guards, effects, ``Transition`` row, notification (outbox) rows, audit row and
version bump in one transaction. These tests prove what that buys: one submission however often
it is sent, one decision however many officers press the button, and nothing half-written when
the database fails in the middle.
"""

import threading
from datetime import date

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from permits import actions
from permits.actions import door
from permits.models import Application, DocumentVersion, Transition
from services.notifications.models import Notification
from talent_portal.core.errors import DomainError
from talent_portal.core.models import AuditEvent
from tests.factories import UserFactory
from tests.permits.factories import ApplicationFactory, declared, upload_checklist
from tests.security import cases

# The permits tests' complete case, filed on Monday 2 March 2026.
filed_on_monday = cases.filed_on_monday
filed_case = cases.filed_case

VALID_UNTIL = date(2028, 3, 1)


def ready_to_submit(case):
    upload_checklist(case)
    declared(case, by=case.hr)
    case.refresh_from_db()
    return case


def in_review(case, officer):
    """Submitted, every document accepted, accepted, claimed by ``officer`` and under review."""
    case = ready_to_submit(case)
    case = actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=officer, version=version, status="accepted")
    case = actions.application_accept(actor=officer, application=case, expected_version=case.version)
    actions.application_claim(actor=officer, application=case)
    case.refresh_from_db()
    return actions.application_start_review(actor=officer, application=case, expected_version=case.version)


def run_together(calls, *, timeout=60):
    """Start every call at the same instant, each in its own thread (own database connection)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = ("ok", call())
        except DomainError as error:
            outcomes[index] = ("refused", error)
        except Exception as error:  # noqa: BLE001 - reported by the assertions, not swallowed
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout * 2)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


def _submissions(case) -> int:
    return Transition.objects.filter(application=case, action="submit").count()


def _audited(case, action) -> int:
    return AuditEvent.objects.filter(
        action=f"application_{action}", object_type="permits.application", object_id=str(case.pk)
    ).count()


# --- Double submission (any database) ----------------------------------------------------------


@pytest.mark.django_db
def test_the_submit_button_pressed_twice_submits_once(filed_case):
    case = filed_case
    case = ready_to_submit(case)
    client = Client()
    client.force_login(case.applicant)
    url = reverse("permits:submit", kwargs={"public_id": case.public_id})
    first = client.post(url, {"version": case.version})
    second = client.post(url, {"version": case.version}, follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    case.refresh_from_db()
    assert (case.state, case.version) == ("submitted", case.version)
    assert _submissions(case) == 1
    assert _audited(case, "submit") == 1
    assert Notification.objects.filter(kind="application_submitted", recipient=case.applicant).count() == 1
    # The repeat is answered like the first press (the submission is idempotent), not with an error.
    assert "The application was submitted." in second.content.decode()


@pytest.mark.django_db
def test_the_api_replays_a_submission_sent_twice_with_the_same_idempotency_key(filed_case):
    case = filed_case
    case = ready_to_submit(case)
    client = APIClient()
    client.force_authenticate(case.applicant)
    url = f"/api/v1/applications/{case.public_id}/submit/"
    first = client.post(url, {"version": case.version}, format="json", HTTP_IDEMPOTENCY_KEY="submit-once-1")
    second = client.post(url, {"version": case.version}, format="json", HTTP_IDEMPOTENCY_KEY="submit-once-1")
    assert first.status_code == 200
    assert second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert _submissions(case) == 1
    assert _audited(case, "submit") == 1
    # The same key with another body is a client error, and changes nothing.
    other = client.post(url, {"version": 99}, format="json", HTTP_IDEMPOTENCY_KEY="submit-once-1")
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert _submissions(case) == 1


@pytest.mark.django_db
def test_the_api_without_a_key_submits_once_and_refuses_an_outdated_version(filed_case):
    case = filed_case
    case = ready_to_submit(case)
    version = case.version
    client = APIClient()
    client.force_authenticate(case.applicant)
    url = f"/api/v1/applications/{case.public_id}/submit/"
    first = client.post(url, {"version": version}, format="json")
    second = client.post(url, {"version": version}, format="json")
    assert first.status_code == 200
    assert second.status_code == 200
    assert second.json()["version"] == first.json()["version"] == version + 1
    assert _submissions(case) == 1
    assert _audited(case, "submit") == 1
    stale = client.post(url, {"version": version - 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert _submissions(case) == 1


# --- A database error in the middle of a transition rolls everything back ----------------------


def _fail(*args, **kwargs):
    raise DatabaseError("injected failure")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "where",
    ["transition row", "notification row", "audit row", "version bump"],
)
def test_a_database_error_during_a_transition_leaves_nothing_half_written(filed_case, monkeypatch, where):
    case = filed_case
    officer = UserFactory(duties=["work_permit_officer"])
    case = ready_to_submit(case)
    case = actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=officer, version=version, status="accepted")
    case.refresh_from_db()
    before = Application.objects.get(pk=case.pk)
    counts = (Transition.objects.count(), Notification.objects.count(), AuditEvent.objects.count())
    mail.outbox.clear()
    if where == "transition row":
        monkeypatch.setattr(door.Transition.objects, "create", _fail)
    elif where == "notification row":
        monkeypatch.setattr(Notification.objects, "create", _fail)
    elif where == "audit row":
        monkeypatch.setattr(AuditEvent.objects, "create", _fail)
    else:
        original_save = Application.save

        def failing_save(self, *args, **kwargs):
            if self.pk == case.pk and self.state == "accepted":
                raise DatabaseError("injected failure")
            return original_save(self, *args, **kwargs)

        monkeypatch.setattr(Application, "save", failing_save)

    with pytest.raises(DatabaseError, match="injected"):
        actions.application_accept(actor=officer, application=case, expected_version=case.version)

    monkeypatch.undo()
    after = Application.objects.get(pk=case.pk)
    assert (after.state, after.version, after.target_date) == (
        before.state,
        before.version,
        before.target_date,
    )
    assert (Transition.objects.count(), Notification.objects.count(), AuditEvent.objects.count()) == counts
    assert not case.notices.filter(kind="acceptance").exists()
    assert mail.outbox == []
    # And the same step goes through once the database works again.
    accepted = actions.application_accept(actor=officer, application=after, expected_version=after.version)
    assert accepted.state == "accepted"
    assert _audited(case, "accept") == 1


# --- PostgreSQL: real concurrency and a real failing insert -----------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sixteen_simultaneous_decisions_give_one_decision_one_audit_row_one_notification(filed_case):
    case = filed_case
    officer = UserFactory(duties=["work_permit_officer"])
    recipients = {case.applicant_id, case.hr.pk}
    case = in_review(case, officer)
    version = case.version
    events_before = AuditEvent.objects.count()

    outcomes = run_together(
        [
            lambda: actions.application_approve(
                actor=officer,
                application=Application.objects.get(pk=case.pk),
                expected_version=version,
                valid_until=VALID_UNTIL,
            )
            for _ in range(16)
        ]
    )

    kinds = [kind for kind, _result in outcomes]
    assert kinds.count("ok") == 1, outcomes
    assert kinds.count("refused") == 15, outcomes
    assert {result.status_code for kind, result in outcomes if kind == "refused"} == {409}
    case.refresh_from_db()
    assert case.state == "issued"
    assert case.version == version + 2  # approve, then issue
    assert Transition.objects.filter(application=case, action="approve").count() == 1
    assert _audited(case, "approve") == 1
    assert AuditEvent.objects.count() == events_before + 2  # the approval and the issuance
    approved = Notification.objects.filter(kind="application_approved")
    assert approved.count() == len(recipients)
    assert set(approved.values_list("recipient_id", flat=True)) == recipients
    assert Notification.objects.filter(kind="application_approved", recipient=case.applicant).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_submissions_with_and_without_a_key_submit_once(filed_case):
    case = filed_case
    case = ready_to_submit(case)

    def post(application, key=None):
        client = APIClient()
        client.force_authenticate(application.applicant)
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        url = f"/api/v1/applications/{application.public_id}/submit/"
        return client.post(url, {"version": application.version}, format="json", **headers)

    keyed = run_together([lambda: post(case, "double-click"), lambda: post(case, "double-click")])
    statuses = sorted(result.status_code for _kind, result in keyed)
    assert statuses == [200, 200], keyed
    assert sum(result.get("Idempotent-Replayed") == "true" for _kind, result in keyed) == 1
    assert _submissions(case) == 1

    # Another case, submitted twice at once without a key: the second waits for the first's
    # lock, then sees its own submission and answers it again.
    other = ApplicationFactory(complete=True, organization=case.organization, applicant=case.applicant)
    other.hr = case.hr
    other = ready_to_submit(other)
    unkeyed = run_together([lambda: post(other), lambda: post(other)])
    assert [result.status_code for _kind, result in unkeyed] == [200, 200], unkeyed
    assert _submissions(other) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_outbox_insert_on_postgresql_rolls_the_whole_step_back(filed_case):
    case = filed_case
    officer = UserFactory(duties=["work_permit_officer"])
    case = ready_to_submit(case)
    case = actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=officer, version=version, status="accepted")
    case.refresh_from_db()
    counts = (Transition.objects.count(), Notification.objects.count(), AuditEvent.objects.count())
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse_insert() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'outbox unavailable (injected)'; END; $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            f"CREATE TRIGGER test_refuse_insert BEFORE INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse_insert()"
        )
    try:
        with pytest.raises(DatabaseError, match="outbox unavailable"):
            actions.application_accept(actor=officer, application=case, expected_version=case.version)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER test_refuse_insert ON {table}")
            cursor.execute("DROP FUNCTION test_refuse_insert()")
    after = Application.objects.get(pk=case.pk)
    assert (after.state, after.version) == ("submitted", case.version)
    assert (Transition.objects.count(), Notification.objects.count(), AuditEvent.objects.count()) == counts
    assert not after.notices.filter(kind="acceptance").exists()
    assert transaction.get_autocommit()
