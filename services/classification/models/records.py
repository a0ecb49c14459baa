"""What this app stores about people: assessments made for applications and recognition claims."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from talent_portal.accounts.models import Organization
from talent_portal.core.models import TimeStampedModel

from .catalogue import Criterion, ShortagePost, TalentCategory
from .points import Rule, TalentClass

# --- Assessments stored on applications ---------------------------------------------------------


class AssessmentRecord(TimeStampedModel):
    """The snapshot of an assessment made for an application, and the officer's review of it.

    ``permits`` holds a foreign key to this row; this app knows nothing of applications.
    """

    snapshot = models.JSONField(_("snapshot"))
    table_version = models.CharField(_("table version"), max_length=20)
    points = models.PositiveSmallIntegerField(_("points"))
    computed_category = models.CharField(_("computed class"), max_length=1, choices=TalentClass.choices)
    decided_by_rule = models.CharField(_("deciding rule"), max_length=30, choices=Rule.choices)
    claimed_category = models.CharField(
        _("claimed class"), max_length=1, choices=TalentClass.choices, blank=True
    )
    confirmed_category = models.CharField(
        _("class after review"), max_length=1, choices=TalentClass.choices, blank=True
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment record")
        verbose_name_plural = _("assessment records")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_category="")
                | Q(confirmed_category=F("computed_category"))
                | ~Q(override_reason=""),
                name="assessment_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_category="") | Q(reviewed_at__isnull=False),
                name="assessment_review_is_dated",
            ),
        ]

    def __str__(self):
        return f"{self.table_version}: {self.points} → {self.category}"

    @property
    def category(self) -> str:
        """The class that counts: the officer's, once reviewed, else the computed one."""
        return self.confirmed_category or self.computed_category

    @property
    def is_reviewed(self) -> bool:
        return bool(self.confirmed_category)

    @property
    def is_overridden(self) -> bool:
        return self.is_reviewed and self.confirmed_category != self.computed_category

    @property
    def claimed_differs(self) -> bool:
        """The flag the reviewer sees: the applicant claimed another class than the computed one."""
        return bool(self.claimed_category) and self.claimed_category != self.computed_category


# --- Recognition claims -------------------------------------------------------------------------


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the employer's certification")
    CERTIFIED = "certified", _("Certified by the employer, awaiting the decision")
    RECOGNISED = "recognised", _("Recognised")
    REFUSED = "refused", _("Refused")


OPEN_CLAIM_STATES = (ClaimStatus.SUBMITTED, ClaimStatus.CERTIFIED)


class RecognitionClaim(TimeStampedModel):
    """An applicant's claim to a catalogue category, certified by the employer and decided by an officer."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recognition_claims"
    )
    category = models.ForeignKey(TalentCategory, on_delete=models.PROTECT, related_name="claims")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shortage_post = models.ForeignKey(
        ShortagePost, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="recognition_claims"
    )
    statement = models.TextField(_("statement"))
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED, db_index=True
    )
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True)
    certification_note = models.TextField(_("employer's note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("recognition claim")
        verbose_name_plural = _("recognition claims")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "certified_at"], name="claim_officer_queue"),
            models.Index(fields=["organization", "status"], name="claim_employer_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(criterion__isnull=False) & Q(shortage_post__isnull=True))
                | (Q(criterion__isnull=True) & Q(shortage_post__isnull=False)),
                name="claim_criterion_or_post",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reason=""), name="claim_refusal_has_reasons"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.category.code} ({self.status})"


def evidence_path(instance, filename: str) -> str:
    # Never the uploaded name: it may carry personal data or path tricks.
    return f"classification/claims/{instance.claim_id}/{uuid.uuid4().hex}"


class ClaimEvidence(TimeStampedModel):
    """A file proving a claim. Stored privately; served only through a permission-checked view."""

    claim = models.ForeignKey(RecognitionClaim, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["claim", "created_at", "pk"]

    def __str__(self):
        return self.original_name
