"""What officers work with: reason codes, internal notes, written notices and permit holders."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talent_portal.core.models import TimeStampedModel


class ReasonKind(models.TextChoices):
    DEFECT = "defect", _("Defect found at pre-check")
    REFUSAL = "refusal", _("Ground for refusal")
    REVOCATION = "revocation", _("Ground for revocation")


class ReasonCode(TimeStampedModel):
    """A coded reason, translated in four languages; administrators may add more."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ReasonKind.choices)
    text = models.CharField(_("text"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")
        ordering = ["kind", "code"]

    def __str__(self):
        return f"{self.code} — {self.text}"


class InternalNote(models.Model):
    """A note officers leave on a case; never shown to the applicant or employer."""

    application = models.ForeignKey(
        "permits.Application", on_delete=models.PROTECT, related_name="internal_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.application_id} {self.at:%Y-%m-%d}"


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Notice of acceptance")
    RETURN = "return", _("Notice of the documents to complete")
    EXTENSION = "extension", _("Notice of the extension of the decision period")
    REFUSAL = "refusal", _("Decision of refusal")
    REVOCATION = "revocation", _("Decision of revocation")
    PERMIT = "permit", _("Electronic work permit")
    RESIDENCE_REFUSAL = "residence_refusal", _("Decision of refusal of the residence permit")


class WrittenNotice(models.Model):
    """A written decision or notice, as a PDF in the applicant's language and Chinese."""

    application = models.ForeignKey("permits.Application", on_delete=models.PROTECT, related_name="notices")
    permit = models.ForeignKey(
        "permits.Permit", on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    file = models.FileField(upload_to="notices/%Y/%m/", max_length=200)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("written notice")
        verbose_name_plural = _("written notices")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.application_id} {self.kind}"


class PermitHolder(TimeStampedModel):
    """A person as the permit register knows them: one permit number for life."""

    number = models.CharField(_("permit number"), max_length=18, unique=True)
    nationality = models.CharField(max_length=3)
    date_of_birth = models.DateField()
    # Keyed digests of every passport the person has used; a new passport joins the list.
    passport_digests = models.JSONField(default=list)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holder_records",
    )

    class Meta:
        verbose_name = _("permit holder")
        verbose_name_plural = _("permit holders")
        indexes = [models.Index(fields=["nationality", "date_of_birth"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[0-9]{18}$"), name="holder_number_18_digits"
            )
        ]

    def __str__(self):
        return self.number


class NumberSequence(models.Model):
    """The last serial issued per year; the row is locked while a number is drawn."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"
