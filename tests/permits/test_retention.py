"""Retention: abandoned drafts and long-closed cases lose their personal data and files; the case,
its history, its decision and the audit log stay. Runs on SQLite and PostgreSQL."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from permits.models import Application, DocumentVersion, FamilyMember, ResidenceTrack, Transition
from talent_portal.celery import app as celery_app
from talent_portal.core.models import AuditEvent
from tests.factories import UserFactory

from .factories import TODAY, ApplicationFactory, PermitFactory, add_version

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2019, 1, 10, 2, 0, tzinfo=dt.UTC)


def _old(application, *, state, at=LONG_AGO):
    """Backdate a case and its history (as if it had been left since ``at``)."""
    Application.objects.filter(pk=application.pk).update(state=state, updated_at=at, decided_at=at)
    Transition.objects.create(
        application=application,
        actor=application.applicant,
        actor_role="applicant",
        action="withdraw" if state == "withdrawn" else "create",
        from_state="draft",
        to_state=state,
    )
    Transition.objects.filter(application=application).update(at=at)
    application.refresh_from_db()
    return application


@pytest.fixture
def cases(settings):
    settings.RETENTION_ABANDONED_DRAFT_DAYS = 180
    settings.RETENTION_CLOSED_CASE_DAYS = 365 * 5
    with time_machine.travel(LONG_AGO, tick=False):
        abandoned = ApplicationFactory(complete=True, passport="EX9876543")
        version = add_version(abandoned, "degree")
        withdrawn = ApplicationFactory(complete=True)
        add_version(withdrawn, "degree")
        track = ResidenceTrack.objects.create(
            application=withdrawn, shanghai_address="张江路 100 号", accommodation_registration_number="PD-1"
        )
        FamilyMember.objects.create(
            track=track,
            full_name="TANAKA HARU",
            relationship="child",
            nationality="JPN",
            date_of_birth=dt.date(2019, 1, 2),
        )
        issued_valid = ApplicationFactory(complete=True)
    _old(abandoned, state="draft")
    _old(withdrawn, state="withdrawn")
    _old(issued_valid, state="issued")
    PermitFactory(application=issued_valid, valid_until=TODAY + dt.timedelta(days=30))
    recent_draft = ApplicationFactory(complete=True)  # changed today
    submitted = _old(ApplicationFactory(complete=True), state="submitted")  # open: never purged
    return {
        "abandoned": abandoned,
        "file": version.file.name,
        "storage": version.file.storage,
        "withdrawn": withdrawn,
        "issued_valid": issued_valid,
        "recent_draft": recent_draft,
        "submitted": submitted,
    }


def _run(*args) -> str:
    out = StringIO()
    call_command("purge_expired_personal_data", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_only_counts(cases):
    assert _run("--dry-run") == (
        "Would purge: 1 abandoned draft(s), 1 closed case(s), 2 file(s), 1 family member(s).\n"
    )
    assert Application.objects.get(pk=cases["abandoned"].pk).surname == "TANAKA"
    assert cases["storage"].exists(cases["file"])
    assert not AuditEvent.objects.filter(action__contains="purged").exists()


def test_the_purge_blanks_personal_data_and_deletes_files_but_keeps_the_decision_record(
    cases, django_capture_on_commit_callbacks
):
    transitions = Transition.objects.count()
    audit_before = list(AuditEvent.objects.values_list("pk", "action", "data"))
    with django_capture_on_commit_callbacks(execute=True):
        output = _run()
    assert output == "Purged: 1 abandoned draft(s), 1 closed case(s), 2 file(s), 1 family member(s).\n"

    abandoned = Application.objects.get(pk=cases["abandoned"].pk)
    assert (
        abandoned.surname,
        abandoned.given_names,
        abandoned.passport_number,
        abandoned.passport_digest,
    ) == (
        "",
        "",
        "",
        "",
    )
    assert abandoned.date_of_birth is None and abandoned.personal_data_purged_at is not None
    assert abandoned.reference == cases["abandoned"].reference and abandoned.state == "draft"
    assert not cases["storage"].exists(cases["file"])
    version = DocumentVersion.objects.get(document__application=abandoned)
    assert version.file.name == "" and version.sha256 and version.size  # what was filed is still known

    withdrawn = Application.objects.get(pk=cases["withdrawn"].pk)
    assert withdrawn.state == "withdrawn" and withdrawn.surname == ""
    track = ResidenceTrack.objects.get(application=withdrawn)
    assert track.shanghai_address == "" and not FamilyMember.objects.exists()

    for key in ("issued_valid", "recent_draft", "submitted"):
        kept = Application.objects.get(pk=cases[key].pk)
        assert kept.surname == "TANAKA" and kept.personal_data_purged_at is None, key
    # Nothing of the record is deleted or changed: cases, history, audit rows.
    assert Application.objects.count() == 5
    assert Transition.objects.count() == transitions
    assert (
        list(
            AuditEvent.objects.filter(pk__in=[pk for pk, *_ in audit_before]).values_list(
                "pk", "action", "data"
            )
        )
        == audit_before
    )
    summary = AuditEvent.objects.get(action="personal_data_purged")
    assert summary.data["abandoned_drafts"] == 1 and summary.data["closed_cases"] == 1
    assert summary.data["files_deleted"] == 2 and summary.data["closed_case_days"] == 365 * 5
    assert set(
        AuditEvent.objects.filter(action="application_personal_data_purged").values_list(
            "object_id", "data__reason"
        )
    ) == {(str(cases["abandoned"].pk), "abandoned_draft"), (str(cases["withdrawn"].pk), "closed_case")}


def test_the_purge_is_idempotent(cases, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    assert _run() == "Purged: 0 abandoned draft(s), 0 closed case(s), 0 file(s), 0 family member(s).\n"
    assert AuditEvent.objects.filter(action="application_personal_data_purged").count() == 2


def test_the_periods_come_from_the_settings(cases, settings):
    settings.RETENTION_ABANDONED_DRAFT_DAYS = 365 * 20
    settings.RETENTION_CLOSED_CASE_DAYS = 365 * 20
    assert _run("--dry-run").startswith("Would purge: 0 abandoned draft(s), 0 closed case(s)")


def test_an_issued_case_waits_for_its_permit_to_lapse(cases, settings):
    from permits.models import Permit

    Permit.objects.filter(application=cases["issued_valid"]).update(
        valid_from=dt.date(2018, 1, 1), valid_until=dt.date(2019, 1, 1)
    )
    assert "2 closed case(s)" in _run("--dry-run")


def test_the_task_is_in_the_beat_schedule_and_runs_the_same_purge(cases, django_capture_on_commit_callbacks):
    from permits.tasks import purge_expired_personal_data

    schedule = celery_app.conf.beat_schedule
    assert any(entry["task"] == "permits.tasks.purge_expired_personal_data" for entry in schedule.values())
    with django_capture_on_commit_callbacks(execute=True):
        result = purge_expired_personal_data()
    assert result["abandoned_drafts"] == 1 and result["closed_cases"] == 1
    assert AuditEvent.objects.get(action="personal_data_purged").actor.email == "system@portal.invalid"


def test_the_purge_never_touches_a_case_someone_just_opened(cases, django_capture_on_commit_callbacks):
    """A draft edited today (the fixture's recent one) is not abandoned, whatever its age."""
    recent = cases["recent_draft"]
    add_version(recent, "photo", user=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    assert DocumentVersion.objects.filter(document__application=recent).exclude(file="").count() == 1
