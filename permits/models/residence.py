"""Single window: the residence track of a case, its family members, pauses and the residence permit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talent_portal.core.models import TimeStampedModel

from .choices import State


class ResidenceType(models.TextChoices):
    WORK = "work", _("Work-type residence permit")
    FAMILY = "family", _("Family member of a foreign worker")


class FeePaymentMethod(models.TextChoices):
    ONLINE = "online", _("Online payment")
    CARD = "card", _("Bank card at the centre")
    CASH = "cash", _("Cash at the centre")


class ResidenceTrack(TimeStampedModel):
    """The residence-permit track of a single-window case, decided by exit-entry officers.

    Its state changes only through ``permits.actions.residence.track_transition``; the
    work-permit track is the ``Application`` itself.
    """

    application = models.OneToOneField(
        "permits.Application", on_delete=models.PROTECT, related_name="residence_track"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_residence_tracks",
        verbose_name=_("assigned exit-entry officer"),
    )
    # Why the track ended without a decision of its own (shown to the applicant).
    closed_reason = models.TextField(_("reason"), blank=True)

    # A refusal waits for a second exit-entry officer (four eyes).
    proposal_kind = models.CharField(max_length=20, blank=True)
    proposal_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposal_at = models.DateTimeField(null=True, blank=True)
    proposal_data = models.JSONField(default=dict, blank=True)

    # The clock
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    statutory_limit = models.DateField(_("statutory limit"), null=True, blank=True)
    awaiting_since = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateField(_("answer by"), null=True, blank=True)

    # The residence data
    residence_type = models.CharField(
        _("residence permit type"), max_length=20, choices=ResidenceType.choices, default=ResidenceType.WORK
    )
    requested_validity_months = models.PositiveSmallIntegerField(_("requested validity (months)"), default=12)
    shanghai_address = models.CharField(_("address in Shanghai"), max_length=300, blank=True)
    accommodation_registration_number = models.CharField(
        _("accommodation registration number"), max_length=40, blank=True
    )
    # Stated by the applicant: a health certificate issued abroad needs a health-check record from
    # a Chinese exit-entry health centre for the residence permit (checklist row, condition
    # ``health_certificate_abroad``).
    health_certificate_issued_abroad = models.BooleanField(
        _("health certificate issued outside China"), default=False
    )

    # The fee (band computed at issuance) and its payment
    fee_cny = models.PositiveIntegerField(_("fee (CNY)"), null=True, blank=True)
    fee_paid_cny = models.PositiveIntegerField(_("amount paid (CNY)"), null=True, blank=True)
    fee_paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    fee_payment_method = models.CharField(
        _("payment method"), max_length=20, choices=FeePaymentMethod.choices, blank=True
    )

    # Handing the passport over for the residence sticker
    appointment_centre = models.CharField(_("exit-entry centre"), max_length=100, blank=True)
    appointment_date = models.DateField(_("appointment date"), null=True, blank=True)
    appointment_slot = models.CharField(_("time slot"), max_length=20, blank=True)
    appointment_reschedules = models.PositiveSmallIntegerField(default=0)
    passport_returned_at = models.DateTimeField(_("passport returned"), null=True, blank=True)

    class Meta:
        verbose_name = _("residence track")
        verbose_name_plural = _("residence tracks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested_validity_months__gte=3, requested_validity_months__lte=60),
                name="residence_track_validity_range",
            ),
        ]
        indexes = [models.Index(fields=["state", "target_date", "id"], name="residence_queue")]

    def __str__(self):
        return f"{self.application_id}: residence ({self.state})"


class FamilyMember(models.Model):
    """An accompanying family member who also needs a residence permit."""

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child under 18")
        PARENT = "parent", _("Parent")

    track = models.ForeignKey(ResidenceTrack, on_delete=models.CASCADE, related_name="family_members")
    full_name = models.CharField(_("full name"), max_length=250)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    nationality = models.CharField(_("nationality (ICAO code)"), max_length=3)
    date_of_birth = models.DateField(_("date of birth"))
    # A child's data is saved only with the applicant's consent as parent or guardian (PIPL
    # art. 31): when it was given. Empty for adults.
    guardian_consent_at = models.DateTimeField(_("guardian's consent given"), null=True, blank=True)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["id"]

    def __str__(self):
        return self.full_name


class TrackPause(models.Model):
    """The residence track's clock stopped while waiting for the applicant (see ``Pause``).

    A separate table, so the work-permit track's clock (``Application.pauses``) never sees it.
    """

    track = models.ForeignKey(ResidenceTrack, on_delete=models.PROTECT, related_name="pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    requested_kinds = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("pause of the residence clock")
        verbose_name_plural = _("pauses of the residence clock")
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="track_pause_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["track"], condition=models.Q(ended_on__isnull=True), name="track_pause_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.track_id}: {self.started_on} – {self.ended_on or '…'}"


class ResidencePermitState(models.TextChoices):
    VALID = "valid", pgettext_lazy("permit state", "Valid")
    EXPIRED = "expired", pgettext_lazy("permit state", "Expired")
    CANCELLED = "cancelled", pgettext_lazy("permit state", "Cancelled")


class ResidencePermit(TimeStampedModel):
    """A residence permit issued with the work permit of a single-window case."""

    track = models.OneToOneField(ResidenceTrack, on_delete=models.PROTECT, related_name="permit")
    work_permit = models.ForeignKey(
        "permits.Permit", on_delete=models.PROTECT, related_name="residence_permits"
    )
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    residence_type = models.CharField(
        _("residence permit type"), max_length=20, choices=ResidenceType.choices, default=ResidenceType.WORK
    )
    state = models.CharField(
        _("status"), max_length=20, choices=ResidencePermitState.choices, default=ResidencePermitState.VALID
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    fee_cny = models.PositiveIntegerField(_("fee (CNY)"))

    class Meta:
        verbose_name = _("residence permit")
        verbose_name_plural = _("residence permits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="residence_permit_validity"
            ),
        ]

    def __str__(self):
        return f"residence {self.valid_from} – {self.valid_until}"


class ResidenceDocumentDecision(models.Model):
    """The residence track's own decision on a shared document version (the work track's is on the version)."""

    track = models.ForeignKey(ResidenceTrack, on_delete=models.PROTECT, related_name="document_decisions")
    version = models.ForeignKey("permits.DocumentVersion", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20)
    reason_code = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("residence document decision")
        verbose_name_plural = _("residence document decisions")
        constraints = [
            models.UniqueConstraint(fields=["track", "version"], name="residence_decision_once_per_version"),
        ]

    def __str__(self):
        return f"{self.track_id}/{self.version_id}: {self.status}"
