"""Issued permits: a separate record with its own states."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talent_portal.accounts.models import Organization
from talent_portal.core.models import TimeStampedModel

from .choices import TalentClass


class PermitKind(models.TextChoices):
    NOTICE = "notice", _("Work-permit notice (before entry)")
    CARD = "card", _("Foreigner's Work Permit")


class PermitState(models.TextChoices):
    VALID = "valid", pgettext_lazy("permit state", "Valid")
    EXPIRED = "expired", pgettext_lazy("permit state", "Expired")
    CANCELLED = "cancelled", pgettext_lazy("permit state", "Cancelled")
    REVOKED = "revoked", pgettext_lazy("permit state", "Revoked")
    LAPSED = "lapsed", pgettext_lazy("permit state", "Lapsed (not used within 6 months)")


class Permit(TimeStampedModel):
    """A work permit (or pre-entry notice) as issued. Its number stays with the person for life."""

    number = models.CharField(_("permit number"), max_length=18, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PermitKind.choices, default=PermitKind.CARD)
    state = models.CharField(
        _("status"), max_length=20, choices=PermitState.choices, default=PermitState.VALID
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="permits", verbose_name=_("holder")
    )
    holder_record = models.ForeignKey(
        "permits.PermitHolder", on_delete=models.PROTECT, null=True, blank=True, related_name="permits"
    )
    # A recognised Shanghai high-end category printed on the permit (its code and its name).
    category_code = models.CharField(max_length=40, blank=True)
    category_name = models.CharField(_("Shanghai talent category"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="permits", verbose_name=_("employer")
    )
    application = models.ForeignKey(
        "permits.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="issued_permits"
    )
    talent_class = models.CharField(_("class"), max_length=1, choices=TalentClass.choices)
    post_title = models.CharField(_("post"), max_length=200)
    holder_name = models.CharField(_("holder's name"), max_length=250)
    nationality = models.CharField(_("nationality"), max_length=3)
    date_of_birth = models.DateField(_("date of birth"))
    passport_digest = models.CharField(max_length=64, db_index=True)
    passport_last_digits = models.CharField(max_length=4)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    state_changed_at = models.DateTimeField(null=True, blank=True)
    state_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="permit_validity"
            ),
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[0-9]{18}$"), name="permit_number_18_digits"
            ),
            # One valid permit per number at a time (the number is the person's for life).
            models.UniqueConstraint(
                fields=["number"], condition=models.Q(state="valid"), name="permit_one_valid_per_number"
            ),
        ]
        indexes = [models.Index(fields=["organization", "state", "valid_until"], name="permit_by_employer")]

    def __str__(self):
        return f"{self.number} ({self.holder_name})"
