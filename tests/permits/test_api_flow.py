"""The same filing, through the API alone (as an HR system would with a token)."""

import pytest

from permits import rules
from permits.models import Application
from services.notifications.models import Notification
from talent_portal.accounts.actions import api_token_create
from tests.factories import OrganizationFactory, UserFactory

from .factories import TODAY, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(api_client):
    organization = OrganizationFactory(verified=True, credit_standing="good")
    hr = UserFactory(member_of=organization)
    _token, clear = api_token_create(actor=hr, name="HR system", days=30, scope="read_write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    api_client.organization = organization
    return api_client


def test_a_case_filed_end_to_end_through_the_api(hr_client):
    from rest_framework.test import APIClient

    started = hr_client.post(
        "/api/v1/applications/",
        {
            "organization_id": hr_client.organization.pk,
            "business_type": "new_notice",
            "employee_email": "ana@example.com",
            "employee_language": "en",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="start-1",
    )
    assert started.status_code == 201, started.json()
    again = hr_client.post(
        "/api/v1/applications/",
        {
            "organization_id": hr_client.organization.pk,
            "business_type": "new_notice",
            "employee_email": "ana@example.com",
            "employee_language": "en",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="start-1",
    )
    assert again.json()["public_id"] == started.json()["public_id"]
    assert Application.objects.count() == 1
    public_id = started.json()["public_id"]
    base = f"/api/v1/applications/{public_id}/"

    bad = hr_client.patch(
        base + "employer-part/",
        {"version": started.json()["version"], "data": {"annual_salary_cny": -5, "surname": "X"}},
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"annual_salary_cny", "surname"}

    version = started.json()["version"]
    response = hr_client.patch(
        base + "employer-part/",
        {
            "version": version,
            "data": {
                "post_title": "Data scientist",
                "duties": "Builds models.",
                "annual_salary_cny": 400000,
                "contract_start": "2026-04-01",
                "contract_end": "2028-03-31",
                "work_district": "pudong",
                "work_address": "世纪大道 8 号",
            },
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    stale = hr_client.patch(
        base + "employer-part/", {"version": version, "data": {"post_title": "Other"}}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"

    employee = UserFactory(email="ana@example.com")
    applicant = APIClient()
    applicant.force_authenticate(employee)
    token = (
        Notification.objects.get(kind="application_invitation")
        .context["accept_url"]
        .rstrip("/")
        .rsplit("/", 1)[-1]
    )
    assert applicant.post(f"/api/v1/application-invitations/{token}/accept/").status_code == 200
    detail = applicant.get(base).json()
    response = applicant.patch(
        base + "applicant-part/",
        {
            "version": detail["version"],
            "data": {
                "surname": "SILVA",
                "given_names": "ANA",
                "nationality": "PRT",
                "date_of_birth": "1988-07-01",
                "sex": "F",
                "passport_number": "CB123456",
                "passport_expiry": "2033-01-01",
                "education": "master",
                "related_experience_years": 8,
                "months_in_china_per_year": 12,
                "hsk_level": 2,
                "extras": ["fortune_500"],
            },
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    application = Application.objects.get()
    for kind in rules.required_documents(application, on=TODAY):
        client = hr_client if kind == "employment_contract" else applicant
        content = jpeg_bytes() if kind == "photo" else pdf_bytes(kind)
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {"kind": kind, "file": SimpleUploadedFile("f", content)}
        if kind in rules.DATED_KINDS:
            data["issue_date"] = "2026-02-01"
            data["consent"] = "true"  # sensitive personal information
        uploaded = client.post(base + "documents/", data, format="multipart")
        assert uploaded.status_code == 201, uploaded.json()

    version = hr_client.get(base).json()["version"]
    declared = hr_client.post(base + "declare/", {"version": version}, format="json")
    assert declared.status_code == 200, declared.json()
    assert declared.json()["declaration_kind"] == "pledge"
    version = declared.json()["version"]
    submitted = applicant.post(
        base + "submit/", {"version": version}, format="json", HTTP_IDEMPOTENCY_KEY="submit-1"
    )
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "submitted"
    repeat = applicant.post(
        base + "submit/", {"version": version}, format="json", HTTP_IDEMPOTENCY_KEY="submit-1"
    )
    assert repeat.status_code == 200
    assert repeat["Idempotent-Replayed"] == "true"
    timeline = [row["action"] for row in applicant.get(base).json()["timeline"]]
    assert timeline == ["create", "join", "declared", "submit"]


def test_submitting_an_incomplete_case_lists_the_problems(hr_client):
    started = hr_client.post(
        "/api/v1/applications/",
        {
            "organization_id": hr_client.organization.pk,
            "business_type": "new_notice",
            "employee_email": "x@example.com",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    response = hr_client.post(
        f"/api/v1/applications/{started['public_id']}/submit/", {"version": started["version"]}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conditions_not_met"
    assert len(body["fields"]["problems"]) > 3


def test_public_status_lookup_api(api_client, case):
    case.state = "accepted"
    case.target_date = TODAY
    case.save()
    response = api_client.post(
        "/api/v1/status-lookup/", {"reference": case.reference, "date_of_birth": "1992-05-17"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "reference": case.reference,
        "state": "accepted",
        "state_label": "Accepted",
        "expected_by": "2026-03-02",
    }
    wrong = api_client.post(
        "/api/v1/status-lookup/", {"reference": case.reference, "date_of_birth": "1992-05-18"}, format="json"
    )
    assert wrong.status_code == 404
