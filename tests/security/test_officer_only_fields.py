"""Fields only officers set are ignored or refused when anyone else sends them.

The state of a case, its officer, its deadlines and decision dates, the talent class decision,
permit numbers and dates, and a claim's recognition: posted by an applicant or an employer to
their own forms and endpoints (HTML and API), none of them changes in the database.
"""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from permits.models import Application, Permit, Transition
from services.classification.models import RecognitionClaim, TalentCategory
from talent_portal.core import workdays
from tests.factories import OrganizationFactory, UserFactory
from tests.permits.factories import ApplicationFactory, PermitFactory, pdf_bytes

pytestmark = pytest.mark.django_db

# What an officer decides on a case (and a filer must never set).
OFFICER_FIELDS = (
    "state",
    "assigned_officer_id",
    "target_date",
    "statutory_limit",
    "decided_at",
    "accepted_at",
    "submitted_at",
    "respond_by",
    "limit_extended_at",
    "proposal_kind",
    "proposal_by_id",
    "assessment_id",
    "version",
)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        workdays.clear_cache()
        yield
    workdays.clear_cache()


@pytest.fixture(autouse=True)
def refusal_reason():
    from permits.models import ReasonCode

    ReasonCode.objects.get_or_create(
        code="degree_unverified", kind="refusal", defaults={"text": "The degree could not be verified."}
    )


@pytest.fixture
def people():
    sponsor = OrganizationFactory(verified=True, credit_standing="good")
    return {
        "sponsor": sponsor,
        "applicant": UserFactory(),
        "hr": UserFactory(member_of=sponsor, member_of__role="administrator"),
        "officer": UserFactory(duties=["work_permit_officer"]),
        "lead": UserFactory(duties=["work_permit_officer", "lead_officer"]),
    }


@pytest.fixture
def draft(people):
    return ApplicationFactory(complete=True, applicant=people["applicant"], organization=people["sponsor"])


@pytest.fixture
def in_review(people):
    """A case under review, held by the officer, with its deadlines set."""
    return ApplicationFactory(
        complete=True,
        applicant=people["applicant"],
        organization=people["sponsor"],
        state="under_review",
        assigned_officer=people["officer"],
        submitted_at=dt.datetime(2026, 2, 20, 2, 0, tzinfo=dt.UTC),
        accepted_at=dt.datetime(2026, 2, 23, 2, 0, tzinfo=dt.UTC),
        target_date=dt.date(2026, 3, 13),
        statutory_limit=dt.date(2026, 3, 20),
    )


def snapshot(application) -> dict:
    row = Application.objects.get(pk=application.pk)
    values = {name: getattr(row, name) for name in OFFICER_FIELDS}
    values["transitions"] = Transition.objects.filter(application=row).count()
    return values


def officer_values(people) -> dict:
    """What an intruder would like to set (by field name, as a form or the API would carry it)."""
    return {
        "state": "approved",
        "assigned_officer": people["hr"].pk,
        "assigned_officer_id": people["hr"].pk,
        "target_date": "2026-03-03",
        "statutory_limit": "2026-12-31",
        "decided_at": "2026-03-02T10:00:00+08:00",
        "accepted_at": "2026-03-02T10:00:00+08:00",
        "respond_by": "2026-12-31",
        "limit_extended_at": "2026-03-02T10:00:00+08:00",
        "proposal_kind": "approve",
        "version": 999,
    }


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- The parts of an application (API) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("party", "path", "legit"),
    [
        ("applicant", "applicant-part", {"surname": "SATO"}),
        ("hr", "employer-part", {"post_title": "Chief chip designer"}),
    ],
)
def test_officer_fields_in_a_part_update_are_refused_and_nothing_changes(people, draft, party, path, legit):
    before = snapshot(draft)
    intruding = {name: value for name, value in officer_values(people).items() if name != "version"}
    response = api_as(people[party]).patch(
        f"/api/v1/applications/{draft.public_id}/{path}/",
        {"version": draft.version, "data": {**legit, **intruding}},
        format="json",
    )
    assert response.status_code == 400, response.content
    refused = response.json()["fields"]
    assert set(intruding) <= set(refused), refused
    assert snapshot(draft) == before
    # Not even the legitimate field of the same request was saved.
    field, value = next(iter(legit.items()))
    assert getattr(Application.objects.get(pk=draft.pk), field) != value


def test_the_applicant_part_alone_is_saved_without_touching_officer_fields(people, draft):
    before = snapshot(draft)
    response = api_as(people["applicant"]).patch(
        f"/api/v1/applications/{draft.public_id}/applicant-part/",
        {"version": draft.version, "data": {"surname": "SATO"}},
        format="json",
    )
    assert response.status_code == 200, response.content
    after = snapshot(draft)
    assert after.pop("version") == before.pop("version") + 1
    assert after == before
    assert Application.objects.get(pk=draft.pk).surname == "SATO"


# --- The parts of an application (HTML form) ----------------------------------------------------


def test_officer_fields_posted_with_a_form_step_are_ignored(client, people, draft):
    before = snapshot(draft)
    client.force_login(people["applicant"])
    response = client.post(
        reverse("permits:part_step", args=[draft.public_id, "identity"]),
        {
            "surname": "SATO",
            "given_names": "YUKI",
            "nationality": "JPN",
            "date_of_birth": "1992-05-17",
            "sex": "F",
            "passport_number": "TK1234567",
            "passport_expiry": "2031-01-01",
            **{name: value for name, value in officer_values(people).items() if name != "version"},
            "version": draft.version,
        },
    )
    assert response.status_code in (200, 302)
    row = Application.objects.get(pk=draft.pk)
    assert row.surname == "SATO"  # the step itself was saved ...
    after = snapshot(draft)
    after.pop("version"), before.pop("version")
    assert after == before  # ... and nothing an officer decides


# --- Starting an application -------------------------------------------------------------------


def test_officer_fields_sent_when_starting_an_application_are_ignored(people):
    response = api_as(people["applicant"]).post(
        "/api/v1/applications/",
        {"business_type": "new_notice", "employer_uscc": people["sponsor"].uscc, **officer_values(people)},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = Application.objects.get(public_id=response.json()["public_id"])
    assert created.state == "draft"
    assert created.assigned_officer_id is None
    assert created.target_date is None and created.statutory_limit is None
    assert created.decided_at is None and created.accepted_at is None
    assert created.proposal_kind == ""


def test_officer_fields_sent_by_the_employer_when_starting_are_ignored(people):
    response = api_as(people["hr"]).post(
        "/api/v1/applications/",
        {
            "business_type": "new_notice",
            "organization_id": people["sponsor"].pk,
            "employee_email": "new.hire@example.com",
            "employee_language": "en",
            **officer_values(people),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    created = Application.objects.get(public_id=response.json()["public_id"])
    assert (created.state, created.assigned_officer_id, created.target_date) == ("draft", None, None)


# --- Officers' decisions, sent by the filers ---------------------------------------------------


@pytest.mark.parametrize("party", ["applicant", "hr"])
@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("approve", {"valid_until": "2028-03-01"}),
        ("propose-refusal", {"reason_codes": ["degree_unverified"], "note": "No."}),
        ("extend-limit", {"note": "Busy."}),
        ("request-documents", {"kinds": ["passport"], "note": "Again."}),
        ("reassign", {"officer_id": None}),
        ("override-class", {"category": "A", "note": "I am class A."}),
        ("confirm-class", {}),
        ("release", {}),
    ],
)
def test_the_filers_cannot_take_an_officers_decision(people, in_review, party, action, body):
    before = snapshot(in_review)
    if action == "reassign":
        body = {"officer_id": people[party].pk}
    response = api_as(people[party]).post(
        f"/api/v1/applications/{in_review.public_id}/{action}/",
        {"version": in_review.version, **body},
        format="json",
    )
    assert response.status_code == 403, response.content
    assert snapshot(in_review) == before


@pytest.mark.parametrize("party", ["applicant", "hr"])
def test_the_filers_cannot_post_an_officers_button_on_the_page(client, people, in_review, party):
    before = snapshot(in_review)
    client.force_login(people[party])
    for action in ("approve", "claim", "release", "extend_limit", "override_class"):
        response = client.post(
            reverse("permits:decide", args=[in_review.public_id, action]),
            {"version": in_review.version, "valid_until": "2028-03-01", "officer": people[party].pk},
        )
        assert response.status_code == 404
    assert snapshot(in_review) == before


def test_a_work_permit_officer_cannot_reassign_a_case_only_a_lead_can(people, in_review):
    response = api_as(people["officer"]).post(
        f"/api/v1/applications/{in_review.public_id}/reassign/",
        {"version": in_review.version, "officer_id": people["lead"].pk},
        format="json",
    )
    assert response.status_code == 403
    assert Application.objects.get(pk=in_review.pk).assigned_officer == people["officer"]


# --- Permits ---------------------------------------------------------------------------------------


def test_the_holder_records_entry_but_cannot_change_the_permit(people):
    issued = ApplicationFactory(
        complete=True, applicant=people["applicant"], organization=people["sponsor"], state="issued"
    )
    permit = PermitFactory(
        holder=people["applicant"], organization=people["sponsor"], kind="notice", application=issued
    )
    before = Permit.objects.filter(pk=permit.pk).values().get()
    response = api_as(people["applicant"]).post(
        f"/api/v1/permits/{permit.pk}/entry/",
        {
            "entry_date": "2026-03-01",
            "number": "156999999999999999",
            "state": "revoked",
            "valid_until": "2040-01-01",
            "talent_class": "A",
            "kind": "card",
        },
        format="json",
    )
    assert response.status_code in (200, 400, 409), response.content
    after = Permit.objects.filter(pk=permit.pk).values().get()
    for field in ("number", "state", "valid_from", "valid_until", "talent_class", "kind", "holder_id"):
        assert after[field] == before[field], field


# --- Recognition claims ------------------------------------------------------------------------


def test_a_claim_filed_with_a_decision_in_it_is_only_submitted(people):
    criterion = TalentCategory.objects.get(code="high_end").criteria.first()
    response = api_as(people["applicant"]).post(
        "/api/v1/classification/claims/",
        {
            "category": "high_end",
            "criterion": criterion.pk,
            "organization_uscc": people["sponsor"].uscc,
            "statement": "Selected for the programme in 2025.",
            "evidence": [SimpleUploadedFile("award.pdf", pdf_bytes("award"), content_type="application/pdf")],
            "status": "recognised",
            "decided_at": "2026-03-02T10:00:00+08:00",
            "decided_by": people["officer"].pk,
            "certified_at": "2026-03-02T10:00:00+08:00",
            "decision_reason": "Self-recognised.",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    claim = RecognitionClaim.objects.get(pk=response.json()["id"])
    assert claim.status == "submitted"
    assert claim.decided_at is None and claim.decided_by_id is None
    assert claim.certified_at is None and claim.decision_reason == ""


@pytest.mark.parametrize("party", ["applicant", "hr"])
def test_the_filers_cannot_recognise_a_claim(people, party):
    from tests.services.classification.factories import RecognitionClaimFactory

    claim = RecognitionClaimFactory(
        applicant=people["applicant"], organization=people["sponsor"], certified=True
    )
    response = api_as(people[party]).post(
        f"/api/v1/classification/claims/{claim.pk}/recognise/", {}, format="json"
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert (claim.status, claim.decided_at, claim.decided_by_id) == ("certified", None, None)
