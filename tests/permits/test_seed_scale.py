"""``seed_scale``: realistic, consistent cases in bulk (COPY on PostgreSQL), topped up run after run."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from stdnum import luhn

from permits.checklist import Facts, required_kinds
from permits.management.commands.seed_scale import (
    FILLED_MODELS,
    OFFICERS,
    REBUILD_THRESHOLD,
    rebuilds_indexes,
    scale_passport,
    scale_reference,
)
from permits.models import Application, Document, DocumentVersion, Pause, Permit, ResidenceTrack, State
from permits.uploads import SENSITIVE_KINDS
from talent_portal.accounts.models import Duty, Organization, User
from talent_portal.core.crypto import keyed_digest

REFERENCE = re.compile(r"^SH\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_references_are_distinct_for_distinct_cases_and_look_like_the_products():
    references = [scale_reference(2026, case_id) for case_id in range(1, 50_001)]
    assert len(set(references)) == len(references)
    assert all(REFERENCE.match(reference) for reference in references[:1000])
    # Not sequential: neighbours differ in more than the last character.
    assert references[0][:-1] != references[1][:-1]


def test_passport_numbers_are_distinct_per_person():
    numbers = [scale_passport(user_id) for user_id in range(1, 50_001)]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"E\d{8}", number) for number in numbers[:1000])


@pytest.mark.parametrize(
    ("vendor", "cases", "existing", "expected"),
    [
        ("postgresql", 1_000_000, 0, True),  # the first fill of the million
        ("postgresql", REBUILD_THRESHOLD, REBUILD_THRESHOLD, True),  # doubles the cases
        ("postgresql", REBUILD_THRESHOLD - 1, 0, False),  # small: maintain the indexes
        ("postgresql", 100_000, 900_000, False),  # a top-up of a large table
        ("sqlite", 1_000_000, 0, False),  # SQLite inserts row by row, indexes kept
    ],
)
def test_indexes_are_rebuilt_only_for_a_large_fill_on_postgresql(vendor, cases, existing, expected):
    assert rebuilds_indexes(vendor, cases, existing) is expected


def _check_consistent(cases):  # noqa: C901 - one pass over every case
    for case in cases:
        transitions = list(case.transitions.order_by("at", "id"))
        actions = [transition.action for transition in transitions]
        assert case.applicant_id and case.organization_id and case.created_by_id == case.applicant_id
        assert REFERENCE.match(case.reference)
        assert case.passport_number == scale_passport(case.applicant_id)  # encrypted, decrypts
        assert case.passport_digest == keyed_digest(case.passport_number)
        if case.state == State.DRAFT:
            assert case.submitted_at is None and not transitions
        else:
            assert actions[0] == "submit" and transitions[0].at == case.submitted_at
            assert case.created_at <= case.submitted_at
            # Each transition starts where the previous one ended (a return is followed by a
            # resubmission unless the case is still returned).
            for before, after in zip(transitions, transitions[1:], strict=False):
                assert after.from_state == before.to_state, (case.state, actions)
                assert after.at >= before.at
            assert transitions[-1].to_state == case.state or case.state == State.CLOSED
        if case.state in (State.ACCEPTED, State.UNDER_REVIEW, State.AWAITING_DOCUMENTS, State.ISSUED):
            assert case.accepted_at is not None and "accept" in actions
            assert case.target_date and case.statutory_limit and case.statutory_limit >= case.target_date
        if case.state == State.RETURNED:
            returned = next(t for t in transitions if t.action == "return")
            assert returned.reason_codes and returned.actor.groups.filter(name=Duty.WORK_PERMIT_OFFICER)
        if case.state == State.AWAITING_DOCUMENTS:
            assert case.awaiting_since and case.respond_by
            assert Pause.objects.filter(application=case, ended_on__isnull=True).count() == 1
        if case.state == State.ISSUED:
            (permit,) = case.issued_permits.all()
            assert luhn.is_valid(permit.number) and len(permit.number) == 18
            assert permit.holder_id == case.applicant_id and permit.passport_digest == case.passport_digest
            assert permit.valid_until >= permit.valid_from
        if case.is_single_window:
            assert ResidenceTrack.objects.filter(application=case, state=case.state).exists()
        kinds = required_kinds(
            Facts(
                business_type=case.business_type,
                route=case.route,
                talent_class=case.claimed_class,
                pledge=False,
                good_credit=True,
                claims_criteria=False,
                changing_employer=False,
                change_kinds=frozenset(),
                single_window=case.is_single_window,
                health_certificate_abroad=case.is_single_window,
            )
        )
        stored = list(case.documents.order_by("id").values_list("kind", flat=True))
        if case.state == State.DRAFT:
            assert stored == kinds[: len(stored)]  # a draft has uploaded some of its checklist
        else:
            assert stored == kinds
        for version in DocumentVersion.objects.filter(document__application=case):
            assert version.file.name.startswith(f"documents/{case.public_id}/")
            assert version.uploaded_by_id == case.applicant_id
            assert (version.consent_given_at is not None) == (version.document.kind in SENSITIVE_KINDS)
            if version.status == "rejected":
                assert version.reason_code and version.number == 1
            if case.accepted_at is not None:
                assert version.status in ("accepted", "rejected")


def _seed_and_check(**options):
    call_command("seed_scale", cases=120, seed=7, batch=50, **options)
    assert Application.objects.count() == 120
    assert Organization.objects.count() == 3  # one per 40 cases
    officers = User.objects.filter(groups__name=Duty.WORK_PERMIT_OFFICER)
    assert officers.count() == OFFICERS
    states = set(Application.objects.values_list("state", flat=True))
    assert {State.DRAFT, State.SUBMITTED, State.ISSUED} <= states
    assert Document.objects.exists() and Permit.objects.exists()
    _check_consistent(Application.objects.select_related("organization"))
    assert not Application.objects.filter(assigned_officer__isnull=False).exclude(
        assigned_officer__in=officers
    )

    # A second run tops up: new cases, the same officers, nothing clashes.
    call_command("seed_scale", cases=40, seed=8, batch=50, **options)
    assert Application.objects.count() == 160
    assert officers.count() == OFFICERS
    assert User.objects.filter(email__startswith="scale-officer").count() == OFFICERS
    assert len(set(Application.objects.values_list("reference", flat=True))) == 160


@pytest.mark.django_db
def test_seeded_cases_are_consistent_and_a_second_run_tops_up():
    _seed_and_check()


def _definitions():
    tables = [model._meta.db_table for model in FILLED_MODELS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1", [tables]
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), condeferrable, "
            "condeferred FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        return indexes, cursor.fetchall()


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("rebuild", ["always", "never"])
def test_on_postgresql_copy_fills_the_same_cases_and_every_index_comes_back(rebuild):
    before = _definitions()
    assert before[0] and before[1]
    _seed_and_check(rebuild_indexes=rebuild)
    # The rebuilt indexes and constraints are the ones the migrations made, name for name.
    after = _definitions()
    assert set(after[0]) ^ set(before[0]) == set()
    assert set(after[1]) ^ set(before[1]) == set()
