"""Documents of a case: one slot per checklist item, each with its versions."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talent_portal.core.models import TimeStampedModel


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport (data page)")
    PHOTO = "photo", _("Photo")
    HIGHEST_DEGREE = "highest_degree", _("Highest degree (authenticated)")
    EXPERIENCE_PROOF = "experience_proof", _("Proof of work experience")
    CRIMINAL_RECORD = "criminal_record", _("Non-criminal record")
    HEALTH_CERTIFICATE = "health_certificate", _("Health certificate")
    EMPLOYMENT_CONTRACT = "employment_contract", _("Employment contract")
    TALENT_EVIDENCE = "talent_evidence", _("Evidence of the talent class")
    VISA_OR_RESIDENCE = "visa_or_residence", _("Visa or residence permit")
    ENTRY_RECORD = "entry_record", _("Visa page with the entry stamp")
    RESIGNATION_PROOF = "resignation_proof", _("Proof of leaving the previous employer")
    INCUBATION_AGREEMENT = "incubation_agreement", _("Incubation agreement and business plan")
    ORIGINAL_PERMIT = "original_permit", _("Permit issued in Wujiang or Jiashan")
    CHANGE_PROOF = "change_proof", _("Proof of the change")
    JOB_END_PROOF = "job_end_proof", _("Proof that the employment ended")
    LOSS_STATEMENT = "loss_statement", _("Statement of loss or damage")
    # Single window: what only the residence track needs.
    ACCOMMODATION_REGISTRATION = (
        "accommodation_registration",
        _("Accommodation registration (temporary residence)"),
    )
    HEALTH_CHECK_RECORD_CHINA = (
        "health_check_china",
        _("Health-check record from a Chinese exit-entry health centre"),
    )


# Documents that lapse six months after issue; their issue date is entered with the upload.
DATED_KINDS = frozenset({DocumentKind.CRIMINAL_RECORD, DocumentKind.HEALTH_CERTIFICATE})


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Document(TimeStampedModel):
    """One checklist item of a case. Its versions are never deleted."""

    application = models.ForeignKey("permits.Application", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="document_one_slot_per_kind"),
        ]

    def __str__(self):
        return f"{self.application} {self.kind}"


def _version_path(instance, filename):
    # A random name: the stored path reveals nothing and cannot be guessed.
    return f"documents/{instance.document.application.public_id}/{uuid.uuid4().hex}"


class DocumentVersion(models.Model):
    """One upload. Replacing a document adds a version; the old one stays."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=_version_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Sensitive personal information (health, criminal record): when the uploader (``uploaded_by``)
    # gave explicit consent to its processing. Also in the audit log.
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reason_code = models.CharField(_("reason"), max_length=40, blank=True)
    review_note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reason_code=""),
                name="document_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"
