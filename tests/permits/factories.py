"""Cases in every state, built directly (the actions are what the tests exercise)."""

import io
from datetime import date, timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from permits import rules
from permits.models import Application, Document, DocumentVersion, Permit, new_reference
from tests.factories import OrganizationFactory, UserFactory

TODAY = date(2026, 3, 2)


def pdf_bytes(text: str = "document") -> bytes:
    """A small but well-formed PDF."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
        b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body + b"\nendstream endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def jpeg_bytes(width: int = 400, height: int = 520, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (250, 250, 250)).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def photo_bytes(width: int = 413, height: int = 531, quality: int = 90) -> bytes:
    """A JPEG with detail in it, of the file size a real photo has (a plain one is only ~4 KB)."""
    buffer = io.BytesIO()
    Image.effect_noise((width, height), 60).convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def png_bytes(width: int = 400, height: int = 520) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (250, 250, 250)).save(buffer, "PNG")
    return buffer.getvalue()


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    reference = factory.LazyFunction(lambda: new_reference(2026))
    business_type = "new_notice"
    route = "ordinary"
    organization = factory.SubFactory(OrganizationFactory, verified=True, credit_standing="good")
    applicant = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("applicant")
    sponsorship = "confirmed"

    class Params:
        complete = factory.Trait(
            post_title="Senior chip designer",
            duties="Designs analogue circuits.",
            annual_salary_cny=380_000,
            contract_start=date(2026, 4, 1),
            contract_end=date(2028, 3, 31),
            work_district="pudong",
            work_address="张江路 100 号",
            surname="TANAKA",
            given_names="YUKI",
            nationality="JPN",
            date_of_birth=date(1992, 5, 17),
            sex="F",
            passport_expiry=date(2031, 1, 1),
            education="doctorate",
            related_experience_years=6,
            months_in_china_per_year=12,
            employer_part_completed_at=factory.LazyFunction(timezone.now),
            applicant_part_completed_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def passport(self, create, extracted, **kwargs):
        if extracted or self.surname:
            self.set_passport_number(extracted or "TK1234567")
            if create:
                self.save(update_fields=["passport_number", "passport_digest"])


def add_version(
    application, kind, *, user=None, content=None, issue_date=None, status="pending", number=None
):
    document, _created = Document.objects.get_or_create(application=application, kind=kind)
    number = number or (document.versions.count() + 1)
    content = content if content is not None else (jpeg_bytes() if kind == "photo" else pdf_bytes(kind))
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=f"{kind}.pdf",
        content_type="image/jpeg" if kind == "photo" else "application/pdf",
        size=len(content),
        sha256="0" * 64,
        issue_date=issue_date or (TODAY - timedelta(days=30) if kind in rules.DATED_KINDS else None),
        uploaded_by=user or application.applicant,
        status=status,
    )
    version.file.save("upload", ContentFile(content), save=False)
    version.save()
    return version


def upload_checklist(application, *, on=TODAY, status="pending"):
    for kind in rules.required_documents(application, on=on):
        add_version(application, kind, status=status)


def declared(application, *, by=None, on=TODAY):
    application.declaration_kind = rules.expected_declaration(application, on=on)
    application.declared_by = by or application.organization.memberships.first().user
    application.declared_at = timezone.now()
    application.save()
    return application


class PermitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Permit

    number = factory.Sequence(lambda n: f"{156000000000000000 + n:018d}")
    kind = "card"
    state = "valid"
    holder = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory, verified=True, credit_standing="good")
    talent_class = "B"
    post_title = "Engineer"
    holder_name = "TANAKA YUKI"
    nationality = "JPN"
    date_of_birth = date(1992, 5, 17)
    passport_digest = "x" * 64
    passport_last_digits = "567"
    valid_from = date(2025, 4, 1)
    valid_until = date(2027, 3, 31)
