"""The authorisation matrix: every URL, every method, every kind of actor, against the policy table.

One world of objects is built once (all of them owned by applicant B, B's sponsor, or officers
other than the caller); every request runs inside a savepoint that is rolled back, so a
permitted ``POST`` (say, a withdrawal) cannot change what the next request sees. The table
lives in ``tests/security/policy.py``; a URL pattern that is not in it fails the test.
"""

import datetime as dt
import hashlib
import json
import logging
import os
from dataclasses import dataclass

import pytest
import time_machine
from django.contrib import messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from talent_portal.core import workdays
from tests.factories import OrganizationFactory, UserFactory

from . import policy
from .policy import ACTORS

pytestmark = pytest.mark.django_db

# Cases are filed on Monday 2 March 2026, 10:00 in Shanghai (as in tests/permits).
FROZEN_AT = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN_AT, tick=False):
        workdays.clear_cache()
        yield
    workdays.clear_cache()


# --- The world ----------------------------------------------------------------------------------


@dataclass
class World:
    users: dict  # actor name -> User (None for the anonymous visitor)
    values: dict  # key named in the policy table -> URL argument
    private: list  # strings of B's objects that only their parties may read


def build_world() -> World:
    """Everything the URLs point at, owned by B (applicant) and B's sponsor."""
    from permits.models import ReasonCode
    from services.classification.models import ClaimEvidence
    from services.notifications.actions import notification_create
    from services.outreach import actions as outreach_actions
    from services.outreach.models import HiringIntention, NominationMaterial, ServiceRequest
    from talent_portal.accounts import actions as account_actions
    from talent_portal.accounts.models import Invitation, Membership
    from tests.permits.factories import ApplicationFactory, PermitFactory, add_version, pdf_bytes
    from tests.permits.test_single_window import both_in_review
    from tests.services.classification.factories import RecognitionClaimFactory
    from tests.services.outreach.factories import (
        AwardRoundFactory,
        EventFactory,
        RegistrationFactory,
        StationFactory,
        SupervisingUnitFactory,
        award,
    )

    ReasonCode.objects.get_or_create(
        code="degree_unverified", kind="refusal", defaults={"text": "The degree could not be verified."}
    )
    sponsor = OrganizationFactory(verified=True, credit_standing="good")
    other_employer = OrganizationFactory(verified=True, credit_standing="good")
    pending_organization = OrganizationFactory()  # awaiting verification by the commission
    station = StationFactory()

    users = {
        "anonymous": None,
        "applicant_a": UserFactory(full_name="Applicant A"),
        "applicant_b": UserFactory(full_name="Applicant B"),
        "sponsor_staff": UserFactory(member_of=sponsor, member_of__role="administrator"),
        "other_employer": UserFactory(member_of=other_employer, member_of__role="administrator"),
        "work_permit_officer": UserFactory(duties=["work_permit_officer"]),
        "exit_entry_officer": UserFactory(duties=["exit_entry_officer"]),
        "lead_officer": UserFactory(duties=["work_permit_officer", "lead_officer"]),
        "station_staff": UserFactory(duties=["service_station_staff"]),
        "administrator": UserFactory(duties=["administrator"], is_staff=True, is_superuser=True),
    }
    assert set(users) == set(ACTORS)
    b = users["applicant_b"]
    station.staff.add(users["station_staff"])
    UserFactory(member_of=pending_organization, member_of__role="administrator")
    hr_colleague = UserFactory(member_of=sponsor)  # a second member of the sponsor
    colleague_membership = Membership.objects.get(user=hr_colleague, organization=sponsor)

    # A single-window case in review on both tracks, by officers other than the callers
    # (except the work-permit and exit-entry officers of the world, who hold the case).
    case = ApplicationFactory(complete=True, applicant=b, organization=sponsor)
    case.hr = users["sponsor_staff"]
    case = both_in_review(case, users["work_permit_officer"], users["exit_entry_officer"])
    version = case.documents.get(kind="passport").versions.get()
    notice = case.notices.first()
    assert notice is not None
    # A draft of B's (the filing pages), and a draft the sponsor started by invitation.
    draft = ApplicationFactory(complete=True, applicant=b, organization=sponsor)
    draft_version = add_version(draft, "passport")
    application_invitation = "application-invitation-token"
    invited = ApplicationFactory(
        organization=sponsor,
        applicant=None,
        created_by=users["sponsor_staff"],
        invitation_email=b.email,
        invitation_language="en",
        invitation_token_digest=hashlib.sha256(application_invitation.encode()).hexdigest(),
    )
    assert invited.applicant_id is None
    permit = PermitFactory(holder=b, organization=sponsor)

    # Accounts: an invitation to join the sponsor, addressed to B; B's API token.
    membership_invitation = "membership-invitation-token"
    Invitation.objects.create(
        organization=sponsor,
        email=b.email,
        language="en",
        token_digest=hashlib.sha256(membership_invitation.encode()).hexdigest(),
        invited_by=users["sponsor_staff"],
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    token, _clear = account_actions.api_token_create(actor=b, name="B's payroll link", days=30)

    # Classification: B's claim through the sponsor, with evidence.
    claim = RecognitionClaimFactory(applicant=b, organization=sponsor, with_evidence=True)
    evidence = ClaimEvidence.objects.get(claim=claim)

    # Notifications: one entry in B's inbox.
    notification = notification_create(
        actor=b,
        kind="application_approved",
        recipient=b,
        context={
            "reference": case.reference,
            "applicant_name": "B",
            "organization": "Sponsor",
            "state": "approved",
            "valid_until": "2028-03-31",
        },
        dedupe_key=f"matrix:{b.pk}",
        link=f"/applications/{case.public_id}/",
    )
    type(notification).objects.filter(pk=notification.pk).update(status="sent", visible_at=timezone.now())

    # Outreach: B registered for a fair; the sponsor recorded an intention to hire B.
    fair = EventFactory(fair=True)
    registration = RegistrationFactory(event=fair, user=b)
    intention = HiringIntention.objects.create(
        event=fair,
        registration=registration,
        organization=sponsor,
        recorded_by=users["sponsor_staff"],
        post="Chip designer",
        salary_band="400k_600k",
    )
    # Outreach: the sponsor nominated B for an award; B asked the station for help.
    unit = SupervisingUnitFactory()
    UserFactory(member_of=unit.organization, member_of__role="administrator")
    award_round = AwardRoundFactory(award=award("magnolia_silver"))
    nomination = outreach_actions.nomination_create(
        actor=users["sponsor_staff"],
        organization=sponsor,
        round=award_round,
        nominee_email=b.email,
        supervising_unit=unit,
        post="Chief scientist",
        citation="Built the battery laboratory.",
        materials=[
            (kind, SimpleUploadedFile(f"{kind}.pdf", pdf_bytes(kind), content_type="application/pdf"))
            for kind in award_round.award.required_materials
        ],
        shanghai_since=dt.date(2015, 3, 1),
        exception_reason="",
    )
    material = NominationMaterial.objects.filter(nomination=nomination).first()
    service_request = outreach_actions.service_request_create(
        actor=b, station=station, topic="permits", subject="My permit", body="Where is my permit?"
    )
    assert isinstance(service_request, ServiceRequest)

    track = case.residence_track
    values = {
        # Minimal bodies, so that the state-changing endpoints reach their permission checks.
        "case_version": {"version": case.version},
        "approve_case": {"version": case.version, "valid_until": "2028-03-01"},
        "ask_for_documents": {"version": case.version, "kinds": ["passport"], "note": "Please."},
        "case_note": {"version": case.version, "note": "Because."},
        "override_class": {"category": "A", "note": "Because."},
        "refuse_claim": {"reason": "Because."},
        "track_version": {"version": track.version},
        "track_ask_for_documents": {"version": track.version, "kinds": ["passport"], "note": "Please."},
        "track_note": {"version": track.version, "note": "Because."},
        "pay_fee": {"version": track.version, "amount_cny": 400, "method": "online"},
        "book_appointment": {
            "version": track.version,
            "date": "2026-03-16",
            "centre": "Pudong exit-entry centre",
            "slot": "09:00-10:30",
        },
        "extensions_window": {"within_days": 90},
        "draft_applicant_part": {"version": draft.version, "data": {"surname": "TANAKA"}},
        "draft_employer_part": {"version": draft.version, "data": {"post_title": "Chief chip designer"}},
        "reassign_to_lead": {"version": case.version, "officer_id": users["lead_officer"].pk},
        "accept_document": {"status": "accepted"},
        "track_review_document": {"version_id": version.pk, "status": "accepted"},
        # URL arguments.
        "case": case.public_id,
        "draft": draft.public_id,
        "version": version.pk,
        "draft_version": draft_version.pk,
        "notice": notice.pk,
        "permit": permit.pk,
        "permit_number": permit.number,
        "sponsor": sponsor.pk,
        "pending_organization": pending_organization.pk,
        "colleague_membership": colleague_membership.pk,
        "token_key": token.token_key,
        "membership_invitation": membership_invitation,
        "application_invitation": application_invitation,
        "claim": claim.pk,
        "evidence": evidence.pk,
        "notification": notification.pk,
        "event": fair.pk,
        "registration": registration.pk,
        "intention": intention.pk,
        "nomination": nomination.pk,
        "material": material.pk,
        "service_request": service_request.pk,
        # Token-bearing links nobody was sent: they must not open anything.
        "bogus_token": "not-a-real-token",
        "bogus_uid": "MTIzNDU",
        # Slugs.
        "part_identity": "identity",
        "decide_approve": "approve",
        "residence_approve": "approve",
        "admin_object": str(b.pk),
    }
    # What must never appear in anyone else's lists: B's references, codes and token key.
    private = [case.reference, draft.reference, registration.code, token.token_key, "My permit"]
    return World(users=users, values=values, private=private)


# --- Calling a URL ------------------------------------------------------------------------------


def _error_message_shown(response) -> bool:
    """Whether the request queued an error message (shown on this page or the next)."""
    storage = getattr(getattr(response, "wsgi_request", None), "_messages", None)
    shown = [*getattr(storage, "_loaded_messages", ()), *getattr(storage, "_queued_messages", ())]
    return any(message.level >= messages.ERROR for message in shown)


def outcome_of(response) -> str:
    """The vocabulary of the table: what kind of answer this is."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        if "/sign-in/" in location or "/admin/login/" in location:
            return policy.LOGIN
        return policy.REFUSED if _error_message_shown(response) else policy.OK
    if status == 401:
        return policy.LOGIN
    if 200 <= status < 300:
        return policy.REFUSED if _error_message_shown(response) else policy.OK
    return {
        400: policy.INVALID,
        403: policy.DENIED,
        404: policy.HIDDEN,
        405: policy.NOT_ALLOWED,
        409: policy.NOT_ALLOWED,
    }.get(status, f"HTTP {status}")


def call(client, method: str, path: str, *, body: dict):
    """One request with an empty or minimal body, rolled back whatever it did."""
    cache.clear()  # throttles and the session cache start afresh for every call
    if method == "GET":
        kwargs = {}
    elif method == "POST":  # multipart: what forms send, and what upload endpoints require
        kwargs = {"data": body}
    else:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    with transaction.atomic():
        response = getattr(client, method.lower())(path, **kwargs)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response


class MatrixClient(Client):
    """A test client that does not record the templates and contexts of every page it renders
    (nothing here looks at them, and copying them costs a good share of the run)."""

    def request(self, **request):
        response = self.handler(self._base_environ(**request))
        if response.cookies:
            self.cookies.update(response.cookies)
        return response


def clients_for(world: World) -> dict:
    clients = {}
    for name, user in world.users.items():
        client = MatrixClient(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[name] = (client, dict(client.cookies.items()))
    return clients


def run_matrix(world: World, rules) -> list:
    """Call every rule's URL with each of its methods as each actor: (name, method, actor,
    expected, got, path) for every call."""
    clients = clients_for(world)
    rows = []
    logging.disable(logging.CRITICAL)  # thousands of expected 403s and 404s: no tracebacks
    try:
        rows = _run(world, rules, clients)
    finally:
        logging.disable(logging.NOTSET)
    return rows


def _run(world: World, rules, clients) -> list:
    rows = []
    with translation.override("en"):
        for rule in rules:
            path = rule.path(world.values)
            for method, expected in rule.methods.items():
                for actor in ACTORS:
                    client, cookies = clients[actor]
                    client.cookies.clear()
                    for key, morsel in cookies.items():
                        client.cookies[key] = morsel.value
                    body = world.values[rule.body] if rule.body else {}
                    got = outcome_of(call(client, method, path, body=body))
                    rows.append((rule.name, method, actor, expected[actor], got, path))
    return rows


def test_every_url_pattern_is_in_the_policy_table():
    missing, unknown = policy.coverage()
    assert not missing, "URL patterns without a rule in tests/security/policy.py:\n" + "\n".join(missing)
    assert not unknown, "Rules for URL names that no longer exist:\n" + "\n".join(unknown)


def test_every_accepted_method_is_in_the_policy_table():
    problems = policy.method_problems()
    assert not problems, "Methods of the table differ from what the views accept:\n" + "\n".join(problems)


@pytest.fixture
def schema_generated_once(monkeypatch):
    """The OpenAPI schema is the same for everyone; generating it ten times is slow and proves
    nothing more (the permission check comes first, in the view)."""
    from drf_spectacular.generators import SchemaGenerator

    generate, cache_ = SchemaGenerator.get_schema, {}

    def get_schema(self, request=None, public=False):
        if public not in cache_:
            cache_[public] = generate(self, request=request, public=public)
        return cache_[public]

    monkeypatch.setattr(SchemaGenerator, "get_schema", get_schema)


def test_every_url_answers_every_actor_as_the_policy_says(frozen, schema_generated_once):
    missing, _unknown = policy.coverage()
    assert not missing, "URL patterns without a rule in tests/security/policy.py:\n" + "\n".join(missing)
    world = build_world()
    rows = run_matrix(world, policy.rules())
    dump = os.environ.get("AUTHZ_MATRIX_DUMP")
    if dump:  # a development aid: write what every call answered
        with open(dump, "w") as handle:
            json.dump(rows, handle, indent=0, default=str)
    mismatches = [row for row in rows if not policy.matches(row[3], row[4])]
    assert len(rows) > 1000
    report = "\n".join(
        f"{name:48} {method:6} {actor:20} expected {expected:14} got {got:14} {path}"
        for name, method, actor, expected, got, path in mismatches
    )
    assert not mismatches, f"{len(mismatches)} answers differ from the policy table:\n{report}"
    leaks = list_leaks(world)
    assert not leaks, "B's objects appear in someone else's list:\n" + "\n".join(leaks)


# Lists that are everyone's own: nobody but the parties may find B's objects in them.
OWN_LISTS = (
    "api:applications",
    "api:permits",
    "api:tokens",
    "api:organizations",
    "api:classification-claims",
    "api:notifications",
    "api:outreach-registrations",
    "permits:my_applications",
    "classification:claims",
    "classification:employer_claims",
    "notifications:inbox",
    "outreach:my_registrations",
    "outreach:service_requests",
    "accounts:api_tokens",
    "dashboards:home",
)
STRANGERS = ("applicant_a", "other_employer", "station_staff", "exit_entry_officer", "administrator")


def list_leaks(world: World) -> list:
    leaks = []
    clients = clients_for(world)
    with translation.override("en"):
        for name in OWN_LISTS:
            for actor in STRANGERS:
                client, _cookies = clients[actor]
                response = call(client, "GET", reverse(name), body={})
                if response.status_code != 200:
                    leaks.append(f"{name} as {actor}: answered {response.status_code}, not the list")
                body = response.content.decode()
                leaks += [f"{name} as {actor}: {secret!r}" for secret in world.private if secret in body]
    return leaks
