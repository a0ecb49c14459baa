"""Oversized bodies are refused with 413 before they are read; NULs in addresses with 400."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from permits.models import DocumentVersion
from talent_portal.accounts.actions.tokens import api_token_create
from tests.permits.factories import ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def case(db):
    return ApplicationFactory(complete=True)


@pytest.fixture
def applicant_api(api_client, case):
    _token, clear = api_token_create(actor=case.applicant, name="test", days=30, scope="read_write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    return api_client


def test_a_50_mb_api_upload_is_refused_with_413_and_nothing_is_stored(applicant_api, case, settings):
    url = reverse("api:application-documents", kwargs={"public_id": case.public_id})
    body = b"--x\r\n" + b"0" * (50 * MB) + b"\r\n--x--\r\n"
    response = applicant_api.generic("POST", url, body, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "request_too_large"
    assert "32 MB" in response.json()["detail"]
    assert not DocumentVersion.objects.exists()
    # The portal keeps working: the next (normal) upload goes through.
    ok = applicant_api.post(
        url, {"kind": "passport", "file": SimpleUploadedFile("p.pdf", pdf_bytes())}, format="multipart"
    )
    assert ok.status_code == 201


def test_a_faked_content_length_is_refused_on_a_page_with_a_translated_page(client, case):
    client.force_login(case.applicant)
    url = reverse("permits:document_upload", kwargs={"public_id": case.public_id})
    response = client.post(url, {"kind": "passport"}, CONTENT_LENGTH=str(50 * MB), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()
    assert not DocumentVersion.objects.exists()
    zh = client.post(
        reverse("permits:document_upload", kwargs={"public_id": case.public_id}).replace("/en/", "/zh-hans/"),
        {"kind": "passport"},
        CONTENT_LENGTH=str(50 * MB),
    )
    assert zh.status_code == 413
    assert zh["Content-Language"] == "zh-hans"


def test_ordinary_endpoints_take_smaller_bodies_than_upload_endpoints(applicant_api, case, settings):
    big_json = '{"name": "' + "x" * (3 * MB) + '"}'
    refused = applicant_api.generic(
        "POST", reverse("api:token-create"), big_json, content_type="application/json"
    )
    assert refused.status_code == 413
    # The same size is fine where files are uploaded: it reaches the view (and its checks).
    upload = applicant_api.post(
        reverse("api:application-documents", kwargs={"public_id": case.public_id}),
        {"kind": "passport", "file": SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (3 * MB))},
        format="multipart",
    )
    assert upload.status_code == 400
    assert "file" in upload.json()["fields"]


def test_the_limits_come_from_the_settings(applicant_api, settings):
    settings.REQUEST_MAX_BODY_BYTES = 100
    response = applicant_api.post(reverse("api:token-create"), {"name": "y" * 200}, format="json")
    assert response.status_code == 413


def test_django_keeps_its_own_memory_limits(settings):
    from django.conf import settings as live

    assert live.DATA_UPLOAD_MAX_MEMORY_SIZE <= live.REQUEST_MAX_BODY_BYTES
    assert live.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * MB
    assert live.REQUEST_MAX_UPLOAD_BODY_BYTES > live.UPLOAD_MAX_FILE_BYTES


def test_a_nul_in_the_address_is_refused_with_400(applicant_api, client):
    api = applicant_api.get("/api/v1/outreach/liaison-offices/?country=%00CN")
    assert api.status_code == 400
    assert api.json()["code"] == "nul_character"
    assert applicant_api.get("/api/v1/tokens/ab%00cd/").status_code == 400
    page = client.get("/en/outreach/?when=%00")
    assert page.status_code == 400


def test_a_nul_in_a_json_body_is_refused_with_a_field_error(applicant_api):
    response = applicant_api.post(
        reverse("api:teams"),
        {"name": "ok\u0000", "organization_id": 1, "nested": {"a\u0000": 1}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "NUL" in response.json()["fields"]["non_field_errors"][0]


def test_a_nul_in_a_form_body_is_refused(applicant_api, case):
    response = applicant_api.post(
        reverse("api:application-documents", kwargs={"public_id": case.public_id}),
        {"kind": "passport\u0000", "file": SimpleUploadedFile("p.pdf", pdf_bytes())},
        format="multipart",
    )
    assert response.status_code == 400, response.json()
    assert not DocumentVersion.objects.exists()


def test_anonymous_callers_get_json_404_for_unknown_api_paths(api_client):
    response = api_client.get("/api/v1/classification/claims/-1/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
