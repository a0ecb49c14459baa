"""Case documents: generated storage names, the per-application cap, consent for sensitive
documents (HTML and API), and downloads served as attachments."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from permits import actions
from permits.models import DocumentVersion
from talent_portal.accounts.actions.tokens import api_token_create
from talent_portal.core.errors import InvalidInput
from talent_portal.core.models import AuditEvent

from .factories import TODAY, add_version, pdf_bytes

pytestmark = pytest.mark.django_db


def upload(case, kind, content, *, name="file.pdf", consent=False, issue_date=None):
    return actions.document_upload(
        actor=case.applicant,
        application=case,
        kind=kind,
        uploaded=SimpleUploadedFile(name, content),
        issue_date=issue_date,
        consent=consent,
    )


@pytest.fixture
def case(case):
    """The case of an employer of ordinary credit: the non-criminal record is on its checklist."""
    case.organization.credit_standing = "ordinary"
    case.organization.save()
    return case


def versions(case, kind=None):
    found = DocumentVersion.objects.filter(document__application=case)
    return found.filter(document__kind=kind) if kind else found


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "..\\..\\boot.ini",
        "passport\x00.pdf",
        "passport\u202efdp.exe",
        "\uff0e\uff0e\uff0fetc\uff0fpasswd",
    ],
)
def test_a_tricky_file_name_changes_nothing_on_disk(case, settings, name):
    version = upload(case, "passport", pdf_bytes(), name=name)
    media = Path(settings.MEDIA_ROOT).resolve()
    stored = Path(version.file.path).resolve()
    assert stored.is_relative_to(media / "documents" / str(case.public_id))
    assert stored.exists()
    assert version.file.name.startswith(f"documents/{case.public_id}/")
    assert ".." not in version.file.name
    assert "passwd" not in version.file.name and "passport" not in version.file.name
    # The original name is metadata only, cleaned of path parts and invisible characters.
    assert "/" not in version.original_name and "\\" not in version.original_name
    assert "\x00" not in version.original_name and "\u202e" not in version.original_name
    assert not version.original_name.startswith(".")


def test_the_documents_of_one_application_have_a_total_cap(case, settings):
    content = pdf_bytes("passport")
    settings.UPLOAD_MAX_APPLICATION_BYTES = len(content) * 2 + 10
    upload(case, "passport", content)
    upload(case, "passport", content)
    with pytest.raises(InvalidInput) as error:
        upload(case, "passport", content)
    assert "at most" in str(error.value.fields["file"][0])
    assert versions(case, "passport").count() == 2


def test_a_sensitive_document_needs_consent_and_nothing_is_stored_without_it(case, settings):
    for kind in ("criminal_record", "health_certificate"):
        with pytest.raises(InvalidInput) as error:
            upload(case, kind, pdf_bytes(), issue_date=TODAY - timedelta(days=20))
        assert "consent" in error.value.fields
        assert not versions(case, kind).exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf")) and not any(
        path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*")
    )


def test_consent_is_recorded_with_who_and_when_on_the_version_and_in_the_audit_log(case):
    version = upload(
        case, "health_certificate", pdf_bytes(), consent=True, issue_date=TODAY - timedelta(days=5)
    )
    assert version.consent_given_at is not None
    assert version.uploaded_by == case.applicant
    event = AuditEvent.objects.get(action="sensitive_data_consent_given")
    assert event.actor_id == case.applicant.pk
    assert event.data["kind"] == "health_certificate"
    # An ordinary document needs no consent, and records none.
    assert upload(case, "passport", pdf_bytes()).consent_given_at is None


def test_the_upload_page_refuses_a_sensitive_document_without_the_consent_box(client, case):
    client.force_login(case.applicant)
    url = reverse("permits:document_upload", kwargs={"public_id": case.public_id})
    data = {"kind": "criminal_record", "issue_date": (TODAY - timedelta(days=20)).isoformat()}
    response = client.post(url, {**data, "file": SimpleUploadedFile("record.pdf", pdf_bytes())}, follow=True)
    assert "sensitive personal information" in response.content.decode()
    assert not versions(case, "criminal_record").exists()
    client.post(url, {**data, "consent": "on", "file": SimpleUploadedFile("record.pdf", pdf_bytes())})
    assert versions(case, "criminal_record").get().consent_given_at is not None


def test_the_case_page_shows_the_consent_box_for_sensitive_documents_only(client, case):
    client.force_login(case.applicant)
    page = client.get(reverse("permits:application", kwargs={"public_id": case.public_id})).content.decode()
    assert 'id="consent-criminal_record"' in page
    assert 'id="consent-health_certificate"' in page
    assert 'id="consent-passport"' not in page


@pytest.fixture
def applicant_api(api_client, case):
    _token, clear = api_token_create(actor=case.applicant, name="test", days=30, scope="read_write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    return api_client


def test_the_api_refuses_a_sensitive_document_without_consent(applicant_api, case):
    url = reverse("api:application-documents", kwargs={"public_id": case.public_id})
    data = {"kind": "health_certificate", "issue_date": (TODAY - timedelta(days=20)).isoformat()}
    response = applicant_api.post(
        url, {**data, "file": SimpleUploadedFile("health.pdf", pdf_bytes())}, format="multipart"
    )
    assert response.status_code == 400
    assert "consent" in response.json()["fields"]
    assert not versions(case, "health_certificate").exists()
    response = applicant_api.post(
        url,
        {**data, "consent": "true", "file": SimpleUploadedFile("health.pdf", pdf_bytes())},
        format="multipart",
    )
    assert response.status_code == 201
    assert versions(case, "health_certificate").get().consent_given_at is not None


def test_the_api_refuses_an_html_page_named_pdf(applicant_api, case):
    url = reverse("api:application-documents", kwargs={"public_id": case.public_id})
    response = applicant_api.post(
        url,
        {"kind": "passport", "file": SimpleUploadedFile("passport.pdf", b"<html><script>x</script></html>")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "PDF, JPEG and PNG" in response.json()["fields"]["file"][0]
    assert not versions(case).exists()


def test_the_api_download_is_an_attachment_with_nosniff(applicant_api, case):
    version = add_version(case, "passport")
    url = reverse("api:application-document", kwargs={"public_id": case.public_id, "version_id": version.pk})
    response = applicant_api.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="passport-v{version.number}.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == version.file.open("rb").read()


def test_the_page_download_is_an_attachment_with_nosniff(client, case):
    version = add_version(case, "passport")
    client.force_login(case.applicant)
    response = client.get(
        reverse("permits:document_download", kwargs={"public_id": case.public_id, "version_id": version.pk})
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
