"""Two officers at once, on the real database: exactly one wins, the other gets a conflict."""

import threading

import pytest
from django.db import connection, transaction

from permits import actions, numbering
from permits.models import DocumentVersion, Transition
from talent_portal.core.errors import DomainError
from tests.factories import UserFactory

from .factories import declared, upload_checklist

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _run_together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except DomainError as error:
            outcomes[index] = ("refused", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_officers_deciding_the_same_case_exactly_one_succeeds(case, api_client):
    first = UserFactory(duties=["work_permit_officer", "lead_officer"])
    second = UserFactory(duties=["work_permit_officer", "lead_officer"])
    upload_checklist(case)
    declared(case, by=case.hr)
    case.refresh_from_db()
    case = actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=first, version=version, status="accepted")
    version = case.version
    outcomes = _run_together(
        lambda: actions.application_accept(actor=first, application=case, expected_version=version),
        lambda: actions.application_accept(actor=second, application=case, expected_version=version),
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"]
    refused = next(result for kind, result in outcomes if kind == "refused")
    assert refused.status_code == 409
    assert Transition.objects.filter(application=case, action="accept").count() == 1

    # Through the API the loser gets 409.
    api_client.force_authenticate(second)
    response = api_client.post(
        f"/api/v1/applications/{case.public_id}/accept/", {"version": version}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_numbers_drawn_at_the_same_time_are_unique():
    def draw():
        with transaction.atomic():
            return numbering.next_number(2026)

    outcomes = _run_together(*[draw for _ in range(6)])
    numbers = [result for kind, result in outcomes if kind == "ok"]
    assert len(numbers) == 6
    assert len(set(numbers)) == 6
    assert all(numbering.is_valid_number(number) for number in numbers)
