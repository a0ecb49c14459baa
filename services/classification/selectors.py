"""Reads of classification data. The catalogue and the rules are public; claims and assessment
records are scoped to the requesting user."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.utils import timezone

from talent_portal.accounts.models import Duty, Membership

from .models import (
    CLASS_ORDER,
    DIRECT_A_CODES,
    DIRECT_B_CLAIM_CODES,
    AssessmentRecord,
    ClaimEvidence,
    ClaimStatus,
    Criterion,
    DirectCriterionCode,
    RecognitionClaim,
    ShortagePost,
    TalentCategory,
)
from .rules import table_in_force

DECIDING_DUTIES = (Duty.WORK_PERMIT_OFFICER, Duty.LEAD_OFFICER)


def is_claim_officer(user) -> bool:
    return user.is_authenticated and any(user.has_duty(duty) for duty in DECIDING_DUTIES)


# --- The public catalogue -----------------------------------------------------------------------


def categories_in_force(*, on: date | None = None) -> QuerySet[TalentCategory]:
    """Catalogue categories in force on ``on`` (today by default), with their criteria."""
    on = on or timezone.localdate()
    return (
        TalentCategory.objects.in_force(on)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position", "pk")))
        .order_by("position", "code")
    )


def shortage_posts_in_force(*, on: date | None = None) -> QuerySet[ShortagePost]:
    """Posts of the shortage catalogue in force on ``on`` (today by default)."""
    return ShortagePost.objects.in_force(on or timezone.localdate()).order_by("industry", "title", "code")


def points_table_in_force(*, on: date | None = None):
    """The points table in force (with factors and bands), or None."""
    return table_in_force(on or timezone.localdate())


def application_choices(*, on: date | None = None) -> dict:
    """Choices an application's talent form offers: claimable direct criteria and shortage posts."""
    return {
        "criteria_a": [(code.value, code.label) for code in DIRECT_A_CODES],
        "criteria_b": [(code.value, code.label) for code in DIRECT_B_CLAIM_CODES],
        "shortage_posts": [(post.code, post.title) for post in shortage_posts_in_force(on=on)],
    }


def direct_criterion_label(code: str) -> str:
    return DirectCriterionCode(code).label if code in DirectCriterionCode.values else code


# --- Recognised categories: what later applications benefit from ---------------------------------


@dataclass(frozen=True)
class Benefits:
    """What a person's recognised categories give a later application."""

    category_codes: frozenset
    category_names: tuple
    talent_class: str  # "A", "B" or "" when nothing is recognised
    green_channel: bool
    max_validity_years: int | None


def _recognised_claims(user, *, on: date) -> QuerySet[RecognitionClaim]:
    if not getattr(user, "is_authenticated", False):
        return RecognitionClaim.objects.none()
    return RecognitionClaim.objects.filter(
        applicant=user, status=ClaimStatus.RECOGNISED, decided_at__date__lte=on
    ).select_related("category")


def recognised_categories_of(user, *, on: date) -> list[TalentCategory]:
    """The catalogue categories recognised for ``user`` by ``on`` (one entry per category code)."""
    categories = {}
    for claim in _recognised_claims(user, on=on).order_by("decided_at"):
        categories[claim.category.code] = claim.category
    return sorted(categories.values(), key=lambda category: (category.position, category.code))


def recognised_category_codes_for(user, *, on: date) -> frozenset:
    """The codes of the categories recognised for ``user`` (the engine's ``recognised_category_codes``)."""
    return frozenset(category.code for category in recognised_categories_of(user, on=on))


def benefits_of(user, *, on: date) -> Benefits:
    """Class, green channel and longest validity that ``user``'s recognised categories give."""
    categories = recognised_categories_of(user, on=on)
    if not categories:
        return Benefits(frozenset(), (), "", False, None)
    return Benefits(
        category_codes=frozenset(category.code for category in categories),
        category_names=tuple(category.name for category in categories),
        talent_class=min((category.grants_class for category in categories), key=CLASS_ORDER.index),
        green_channel=any(category.green_channel for category in categories),
        max_validity_years=max(category.max_validity_years for category in categories),
    )


# --- Claims -------------------------------------------------------------------------------------


def _claims_with_relations() -> QuerySet[RecognitionClaim]:
    return RecognitionClaim.objects.select_related(
        "applicant", "category", "criterion", "shortage_post", "organization", "certified_by", "decided_by"
    )


def claims_visible_to(user) -> QuerySet[RecognitionClaim]:
    """Claims ``user`` may see: their own, those naming an organisation they belong to, and all of
    them for work-permit officers."""
    if not user.is_authenticated:
        return RecognitionClaim.objects.none()
    claims = _claims_with_relations()
    if is_claim_officer(user):
        return claims
    organizations = Membership.objects.active().filter(user=user).values("organization_id")
    return claims.filter(Q(applicant=user) | Q(organization_id__in=organizations))


def claims_of(user) -> QuerySet[RecognitionClaim]:
    """The applicant's own claims, newest first."""
    if not user.is_authenticated:
        return RecognitionClaim.objects.none()
    return _claims_with_relations().filter(applicant=user).order_by("-created_at", "-pk")


def claims_to_certify(user) -> QuerySet[RecognitionClaim]:
    """Claims naming an organisation ``user`` is an active member of, awaiting certification first."""
    if not user.is_authenticated:
        return RecognitionClaim.objects.none()
    organizations = Membership.objects.active().filter(user=user).values("organization_id")
    return (
        _claims_with_relations()
        .filter(organization_id__in=organizations)
        .exclude(applicant=user)
        .annotate(waiting=Case(When(status=ClaimStatus.SUBMITTED, then=0), default=1))
        .order_by("waiting", "-created_at", "-pk")
    )


def claims_to_decide(user) -> QuerySet[RecognitionClaim]:
    """The officers' queue: certified claims, oldest certification first."""
    if not is_claim_officer(user):
        return RecognitionClaim.objects.none()
    return _claims_with_relations().filter(status=ClaimStatus.CERTIFIED).order_by("certified_at", "pk")


def claim_evidence_visible_to(user, claim: RecognitionClaim) -> QuerySet[ClaimEvidence]:
    """The evidence of ``claim`` if ``user`` may see the claim, else nothing."""
    if not claims_visible_to(user).filter(pk=claim.pk).exists():
        return ClaimEvidence.objects.none()
    return ClaimEvidence.objects.filter(claim=claim).order_by("created_at", "pk")


def assessment_records_visible_to(user) -> QuerySet[AssessmentRecord]:
    """Records ``user`` recorded, and all of them for work-permit officers (applications scope the rest)."""
    if not user.is_authenticated:
        return AssessmentRecord.objects.none()
    if is_claim_officer(user):
        return AssessmentRecord.objects.all()
    return AssessmentRecord.objects.filter(recorded_by=user)
