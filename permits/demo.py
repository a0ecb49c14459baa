"""Demo cases for ``seed_demo``, driven through the real actions. Idempotent (once per database).

- a submitted new-notice case waiting for pre-check (for officers to work);
- a draft started by the employer, waiting for the employee;
- an issued work permit (so that extensions and cancellations can be filed from it).
"""

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from talent_portal.accounts.models import Organization, User

from . import actions, rules
from .deadlines import today
from .models import Application, DocumentVersion

APPLICANT_DATA = {
    "surname": "TANAKA",
    "given_names": "YUKI",
    "nationality": "JPN",
    "date_of_birth": date(1990, 4, 12),
    "sex": "F",
    "passport_number": "TZ1234567",
    "passport_expiry": date(2033, 4, 1),
    "education": "doctorate",
    "related_experience_years": 7,
    "months_in_china_per_year": 12,
    "hsk_level": 4,
    "in_china": True,
}


def _employer_data(start: date) -> dict:
    return {
        "post_title": "Senior analogue circuit designer",
        "duties": "Designs and verifies mixed-signal circuits for 28 nm products.",
        "annual_salary_cny": 420_000,
        "contract_start": start,
        "contract_end": start + timedelta(days=3 * 365),
        "work_district": "pudong",
        "work_address": "上海市浦东新区张江路 100 号",
    }


def _pdf(text: str) -> bytes:
    body = f"BT /F1 14 Tf 72 720 Td (Demo {text}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n4 0 obj<</Length "
        + str(len(body)).encode()
        + b">>stream\n"
        + body
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (413, 531), (245, 245, 245)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _filed_case(applicant, hr, organization, *, in_days: int) -> Application:
    case = actions.application_start_by_employer(
        actor=hr,
        organization=organization,
        business_type="new_in_country",
        employee_email=applicant.email,
        employee_language=applicant.preferred_language,
    )
    case.applicant = applicant
    case.save(update_fields=["applicant"])
    case = actions.application_update_employer_part(
        actor=hr,
        application=case,
        expected_version=case.version,
        data=_employer_data(today() + timedelta(days=in_days)),
    )
    case = actions.application_update_applicant_part(
        actor=applicant, application=case, expected_version=case.version, data=APPLICANT_DATA
    )
    for kind in rules.required_documents(case, on=today()):
        owner = hr if kind in actions.EMPLOYER_DOCUMENTS else applicant
        content = _photo() if kind == "photo" else _pdf(kind)
        actions.document_upload(
            actor=owner,
            application=case,
            kind=kind,
            uploaded=SimpleUploadedFile(f"{kind}.bin", content),
            issue_date=today() - timedelta(days=20) if kind in rules.DATED_KINDS else None,
            consent=True,
        )
    case.refresh_from_db()
    case = actions.application_declare(actor=hr, application=case, expected_version=case.version)
    return actions.application_submit(actor=applicant, application=case, expected_version=case.version)


def seed() -> list[str]:
    applicant = User.objects.get(email="applicant@demo.talent.example.cn")
    hr = User.objects.get(email="hr@demo.talent.example.cn")
    officer = User.objects.get(email="officer@demo.talent.example.cn")
    organization = Organization.objects.get(uscc="91310115MA1H7XY404")
    if Application.objects.filter(organization=organization).exists():
        return []
    waiting = _filed_case(applicant, hr, organization, in_days=30)

    issued = _filed_case(applicant, hr, organization, in_days=10)
    for version in DocumentVersion.objects.filter(document__application=issued):
        actions.document_review(actor=officer, version=version, status="accepted")
    issued = actions.application_accept(actor=officer, application=issued, expected_version=issued.version)
    actions.application_claim(actor=officer, application=issued)
    issued.refresh_from_db()
    issued = actions.application_start_review(
        actor=officer, application=issued, expected_version=issued.version
    )
    issued = actions.application_approve(
        actor=officer,
        application=issued,
        expected_version=issued.version,
        valid_until=today() + timedelta(days=700),
    )

    invited = actions.application_start_by_employer(
        actor=hr,
        organization=organization,
        business_type="new_notice",
        employee_email="new.hire@demo.talent.example.cn",
        employee_language="ko",
    )
    return [waiting.reference, issued.reference, invited.reference]
