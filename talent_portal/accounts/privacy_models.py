"""Personal data under the PIPL: consents to the privacy notice and requests for correction.

Imported by ``accounts.models``; kept apart so the people-and-organisations module stays readable.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talent_portal.core.models import TimeStampedModel


class ConsentPurpose(models.TextChoices):
    SIGN_UP = "sign_up", _("Creating an account")


class PrivacyConsent(models.Model):
    """A person agreed to a version of the privacy notice. Rows are never changed or deleted:
    a new version of the notice is agreed to with a new row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="privacy_consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    notice_version = models.CharField(_("version of the privacy notice"), max_length=20)
    consented_at = models.DateTimeField(_("agreed at"), default=timezone.now)

    class Meta:
        verbose_name = _("privacy consent")
        verbose_name_plural = _("privacy consents")
        ordering = ["-consented_at", "-id"]

    def __str__(self):
        return f"{self.user_id} {self.purpose} {self.notice_version}"


class CorrectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("correction request", "Received")
    IN_PROGRESS = "in_progress", pgettext_lazy("correction request", "Being handled")
    CORRECTED = "corrected", pgettext_lazy("correction request", "Corrected")
    DECLINED = "declined", pgettext_lazy("correction request", "Declined")


CLOSED_CORRECTION_STATUSES = frozenset({CorrectionStatus.CORRECTED, CorrectionStatus.DECLINED})


class CorrectionSubject(models.TextChoices):
    ACCOUNT = "account", _("My account (name, e-mail address, language)")
    APPLICATION = "application", _("An application")
    PERMIT = "permit", _("A permit")
    OTHER = "other", _("Something else")


class CorrectionRequest(TimeStampedModel):
    """A person's request to correct personal data the portal holds about them (PIPL art. 46)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="correction_requests",
        verbose_name=_("requested by"),
    )
    subject = models.CharField(_("about"), max_length=20, choices=CorrectionSubject.choices)
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    what_is_wrong = models.TextField(_("what is wrong"))
    what_it_should_be = models.TextField(_("what it should be"))
    status = models.CharField(
        _("status"), max_length=20, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )
    answer = models.TextField(_("answer to the person"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="correction_request_queue")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "in_progress", "corrected", "declined"]),
                name="correction_request_status_valid",
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.subject} ({self.status})"
