from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from permits import actions
from permits.models import DocumentVersion
from talent_portal.core.errors import Forbidden, InvalidInput, NotFound
from tests.factories import UserFactory

from .factories import TODAY, jpeg_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def upload(case, kind, content, *, name="file.pdf", actor=None, issue_date=None, consent=True):
    return actions.document_upload(
        actor=actor or case.applicant,
        application=case,
        kind=kind,
        uploaded=SimpleUploadedFile(name, content),
        issue_date=issue_date,
        consent=consent,
    )


def refusal(case, kind, content, **kwargs):
    with pytest.raises(InvalidInput) as error:
        upload(case, kind, content, **kwargs)
    assert not DocumentVersion.objects.filter(document__application=case, document__kind=kind).exists()
    return " ".join(str(m) for messages in error.value.fields.values() for m in messages)


def test_a_pdf_is_stored_with_its_hash_uploader_and_a_private_random_name(case):
    import hashlib

    content = pdf_bytes("passport")
    version = upload(case, "passport", content, name="my passport.pdf")
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.uploaded_by == case.applicant
    assert version.content_type == "application/pdf"
    assert version.status == "pending"
    assert "passport" not in version.file.name
    assert str(case.public_id) in version.file.name


def test_a_renamed_html_page_is_refused(case):
    message = refusal(
        case, "passport", b"<!doctype html><html><script>alert(1)</script></html>", name="passport.pdf"
    )
    assert "PDF, JPEG and PNG" in message


def test_an_executable_is_refused(case):
    refusal(case, "passport", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, name="passport.jpg")
    refusal(case, "passport", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, name="passport.png")


def test_an_oversized_file_is_refused(case):
    big = pdf_bytes() + b"0" * (10 * 1024 * 1024)
    assert "10 MB" in refusal(case, "passport", big)


def test_the_photo_must_be_a_jpeg_of_at_least_354_by_472_pixels(case):
    assert "354" in refusal(case, "photo", jpeg_bytes(300, 400), name="photo.jpg")
    assert "JPEG" in refusal(case, "photo", png_bytes(), name="photo.jpg")
    version = upload(case, "photo", jpeg_bytes(354, 472), name="photo.jpg")
    assert version.content_type == "image/jpeg"


def test_a_photo_over_one_megabyte_is_refused(case):
    import io
    import random

    from PIL import Image

    rng = random.Random(1)
    image = Image.frombytes("RGB", (1200, 1600), bytes(rng.getrandbits(8) for _ in range(1200 * 1600 * 3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    assert buffer.tell() > 1024 * 1024
    assert "1 MB" in refusal(case, "photo", buffer.getvalue(), name="photo.jpg")


def test_a_damaged_image_is_refused(case):
    broken = jpeg_bytes()[:200]
    assert "cannot be read" in refusal(case, "experience_proof", broken, name="x.jpg")


def test_a_certificate_older_than_six_months_is_refused_with_its_lapse_date(case):
    case.organization.credit_standing = "ordinary"
    case.organization.save()
    message = refusal(case, "criminal_record", pdf_bytes(), issue_date=TODAY - timedelta(days=200))
    assert "lapsed on" in message
    assert "Enter the date of issue" in refusal(case, "criminal_record", pdf_bytes(), issue_date=None)
    version = upload(case, "criminal_record", pdf_bytes(), issue_date=TODAY - timedelta(days=20))
    assert version.issue_date == TODAY - timedelta(days=20)


def test_the_six_months_end_on_the_same_day_of_the_month(case):
    from datetime import date

    from permits.rules import dated_document_problem, lapse_date

    assert lapse_date(date(2025, 9, 2)) == date(2026, 3, 2)
    assert dated_document_problem("health_certificate", date(2025, 9, 3), TODAY) is None
    assert "lapsed" in dated_document_problem("health_certificate", date(2025, 9, 2), TODAY)


def test_a_replacement_adds_a_version_and_keeps_the_old_one(case):
    first = upload(case, "passport", pdf_bytes("one"))
    second = upload(case, "passport", pdf_bytes("two"))
    assert (first.number, second.number) == (1, 2)
    assert DocumentVersion.objects.filter(document__application=case, document__kind="passport").count() == 2
    assert first.file.storage.exists(first.file.name)


def test_documents_not_on_the_checklist_are_refused(case):
    assert "checklist" in refusal(case, "loss_statement", pdf_bytes())


def test_each_party_uploads_its_own_documents(case):
    with pytest.raises(Forbidden):
        upload(case, "employment_contract", pdf_bytes(), actor=case.applicant)
    with pytest.raises(Forbidden):
        upload(case, "passport", pdf_bytes(), actor=case.hr)
    with pytest.raises(NotFound):
        upload(case, "passport", pdf_bytes(), actor=UserFactory())
    assert upload(case, "employment_contract", pdf_bytes(), actor=case.hr).uploaded_by == case.hr
