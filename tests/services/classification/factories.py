"""Factories of classification; states are traits (``RecognitionClaimFactory(recognised=True)``)."""

from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from services.classification.engine import Profile
from services.classification.models import (
    ClaimEvidence,
    Criterion,
    LocalAverageWage,
    RecognitionClaim,
    ShortagePost,
    TalentCategory,
)
from tests.factories import OrganizationFactory, UserFactory
from tests.permits.factories import pdf_bytes, png_bytes

# A well-formed one-page PDF: uploads are opened (pypdfium2) before they are stored.
PDF_BYTES = pdf_bytes("evidence")
PNG_BYTES = png_bytes(8, 8)  # images are decoded and re-encoded: a real one


def pdf_upload(name="diploma.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def profile(**changes) -> Profile:
    """A neutral profile worth 0 points except what ``changes`` give (age 61: 0 points)."""
    data = {
        "annual_salary_cny": 0,
        "education": "none",
        "related_experience_years": 0,
        "months_in_china_per_year": 0,
        "hsk_level": 0,
        "former_chinese_national": False,
        "degree_taught_in_chinese": False,
        "work_location": "shanghai",
        "age": 61,
        "extras": frozenset(),
        "local_bonus": 0,
    }
    data.update(changes)
    return Profile(**data)


class LocalAverageWageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAverageWage

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    annual_amount_cny = 100000
    effective_from = factory.LazyAttribute(lambda wage: date(wage.year, 1, 1))
    source = "Test figure"
    is_example = False


class TalentCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentCategory

    code = factory.Sequence(lambda n: f"test-category-{n}")
    name = factory.Sequence(lambda n: f"Test category {n}")
    name_en = factory.SelfAttribute("name")
    description = "A category for tests."
    grants_class = "A"
    green_channel = True
    max_validity_years = 5
    effective_from = date(2023, 1, 1)
    is_example = True


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    category = factory.SubFactory(TalentCategoryFactory)
    text = factory.Sequence(lambda n: f"Criterion {n}")
    text_en = factory.SelfAttribute("text")
    evidence = "A certificate."
    evidence_en = "A certificate."


class ShortagePostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShortagePost

    code = factory.Sequence(lambda n: f"test-post-{n}")
    industry = "integrated_circuits"
    title = factory.Sequence(lambda n: f"Chip designer {n}")
    title_en = factory.SelfAttribute("title")
    requirements = "A bachelor's degree and 2 years' experience."
    requirements_en = factory.SelfAttribute("requirements")
    min_education = "bachelor"
    min_experience_years = 2
    effective_from = date(2023, 1, 1)
    is_example = True


class RecognitionClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecognitionClaim
        skip_postgeneration_save = True

    applicant = factory.SubFactory(UserFactory)
    criterion = factory.SubFactory(CriterionFactory)
    category = factory.SelfAttribute("criterion.category")
    organization = factory.SubFactory(OrganizationFactory, verified=True)
    statement = "I meet the criterion."

    class Params:
        certified = factory.Trait(status="certified", certified_at=factory.LazyFunction(timezone.now))
        recognised = factory.Trait(
            status="recognised",
            certified_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def with_evidence(self, create, extracted, **kwargs):
        if extracted:
            ClaimEvidence.objects.create(
                claim=self,
                file=pdf_upload(),
                original_name="diploma.pdf",
                content_type="application/pdf",
                size=len(PDF_BYTES),
                uploaded_by=self.applicant,
            )
