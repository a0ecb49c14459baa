"""Fuzzing every operation of the OpenAPI schema with Schemathesis, as every kind of caller.

Each operation gets ``FUZZ_EXAMPLES`` generated requests (default 5; ``make test-full`` runs many
more) per role: anonymous, an applicant, the sponsor's HR staff, each officer duty, service-station
staff and a portal administrator, each with a personal API token. Half of the path parameters
point at real objects of the applicant's case so that requests get past the 404s.

The checks: never a server error, and every answer conforms to the schema (a documented status
code, the documented content type, a body matching the documented schema).

Every generated request runs in a savepoint that is rolled back, so each starts from the same
world and a database error in one request cannot poison the next (PostgreSQL).
"""

import os
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from talent_portal.accounts.actions.tokens import api_token_create
from tests.factories import UserFactory
from tests.permits.factories import ApplicationFactory, PermitFactory, add_version

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
# Shrinking finds the smallest failing request; worth it in the long run, not in `make test`.
FUZZ_SHRINK = os.environ.get("FUZZ_SHRINK", "0") == "1"

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

ROLES = [
    "anonymous",
    "applicant",
    "employer_staff",
    "work_permit_officer",
    "exit_entry_officer",
    "lead_officer",
    "service_station_staff",
    "administrator",
]


@contextmanager
def _connections_kept():
    """Django closes "old" database connections around each request; in a test that would close
    the test's own connection (Django's test client disconnects these handlers too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), _connections_kept():
        return schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())


@pytest.fixture
def wsgi_app():
    with _connections_kept():
        yield WSGIHandler()


@pytest.fixture
def world(db):
    """A case with documents, its sponsor's staff, a permit, and one user of each duty."""
    application = ApplicationFactory(complete=True)
    staff = UserFactory(member_of=application.organization, member_of__role="administrator")
    version = add_version(application, "passport")
    permit = PermitFactory(holder=application.applicant, organization=application.organization)
    users = {
        "applicant": application.applicant,
        "employer_staff": staff,
        "work_permit_officer": UserFactory(duties=["work_permit_officer"]),
        "exit_entry_officer": UserFactory(duties=["exit_entry_officer"]),
        "lead_officer": UserFactory(duties=["lead_officer", "work_permit_officer"]),
        "service_station_staff": UserFactory(duties=["service_station_staff"]),
        "administrator": UserFactory(duties=["administrator"]),
    }
    # Real identifiers, by path-parameter name, that a request may aim at.
    known = {
        "public_id": [str(application.public_id)],
        "version_id": [version.pk],
        "permit_id": [permit.pk],
        "pk": [application.organization.pk],
        "membership_id": [application.organization.memberships.first().pk],
    }
    return {"users": users, "known": known, "organization": application.organization}


def _headers(world, role):
    if role == "anonymous":
        return {}
    _token, clear = api_token_create(actor=world["users"][role], name="fuzz", days=30, scope="read_write")
    return {"Authorization": f"Token {clear}"}


def _fuzz_operation(operation, *, app, headers, known, statuses):
    failures = []
    # Valid requests, and requests that break the schema (which must be refused with a 4xx).
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases, data=st.data())
    @hypothesis_settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate, Phase.shrink] if FUZZ_SHRINK else [Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case, data):
        for name in list(case.path_parameters or {}):
            if name in known and data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(known[name]))
        with transaction.atomic():
            response = case.call(app=app, headers=headers)
            transaction.set_rollback(True)
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        run()
    except (Exception, BaseExceptionGroup) as error:  # one report per operation; the others still run
        failures.append(f"{operation.label}:\n{str(error)[:3000]}")
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_within_its_schema(role, api_schema, world, wsgi_app, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = os.environ.get("FUZZ_DEBUG") == "1"
    headers = _headers(world, role)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50  # the whole API, not an empty schema
    failures, statuses = [], []
    for operation in operations:
        failures += _fuzz_operation(
            operation, app=wsgi_app, headers=headers, known=world["known"], statuses=statuses
        )
    assert not failures, "\n\n".join(failures)
    assert len(statuses) >= len(operations)
    if role == "anonymous":
        assert 401 in statuses
    else:  # the token works: some requests get through
        assert 401 not in statuses
        assert any(200 <= status < 300 for status in statuses)
