"""The case: one application, its sponsor's part and its applicant's part."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from talent_portal.accounts.models import Organization
from talent_portal.core.crypto import EncryptedTextField, keyed_digest
from talent_portal.core.masking import mask_identifier
from talent_portal.core.models import TimeStampedModel

from .choices import (
    EDITABLE_STATES,
    BusinessType,
    DeclarationKind,
    DeltaOrigin,
    Education,
    Route,
    Sex,
    SponsorshipStatus,
    State,
    TalentClass,
)

# Crockford's base32 without look-alikes: references are read out on the telephone.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(year: int) -> str:
    """A reference such as ``SH2026-7K3M-Q9TX``: unique, not sequential, easy to read aloud."""
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"SH{year}-{body[:4]}-{body[4:]}"


class EntrepreneurTeam(TimeStampedModel):
    """Founders sponsored together by an incubator or park; one application per founder."""

    sponsor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="entrepreneur_teams")
    name = models.CharField(_("team or project name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("entrepreneur team")
        verbose_name_plural = _("entrepreneur teams")

    def __str__(self):
        return self.name


class Application(TimeStampedModel):
    """A work-permit case. Its state changes only through ``permits.actions``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    business_type = models.CharField(_("business type"), max_length=20, choices=BusinessType.choices)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices, default=Route.ORDINARY)
    # Single window: a residence track (``ResidenceTrack``) runs beside this work-permit track.
    is_single_window = models.BooleanField(_("single window"), default=False)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)

    # Who
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="applications", verbose_name=_("employer")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_by_employer = models.BooleanField(default=False)
    sponsorship = models.CharField(
        _("sponsorship"), max_length=20, choices=SponsorshipStatus.choices, default=SponsorshipStatus.PENDING
    )
    sponsorship_note = models.TextField(_("employer's note"), blank=True)
    sponsorship_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sponsorship_decided_at = models.DateTimeField(null=True, blank=True)
    # An employer-started case waits for the employee, invited by e-mail.
    invitation_email = models.EmailField(_("employee's e-mail address"), blank=True)
    invitation_language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)
    invitation_token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    invitation_sent_at = models.DateTimeField(null=True, blank=True)

    # Links
    source_permit = models.ForeignKey(
        "permits.Permit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_applications",
        verbose_name=_("permit this application starts from"),
    )
    team = models.ForeignKey(
        EntrepreneurTeam, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    # A new employer asking for the cancellation of a permit a former employer never cancelled.
    requested_by = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cancellation_requests",
        verbose_name=_("requested by"),
    )

    # The employer's part
    post_title = models.CharField(_("post"), max_length=200, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    annual_salary_cny = models.PositiveIntegerField(
        _("annual salary paid in China (CNY)"), null=True, blank=True
    )
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    work_district = models.CharField(_("work district"), max_length=20, blank=True)
    work_address = models.CharField(_("work address"), max_length=300, blank=True)
    employer_part_completed_at = models.DateTimeField(null=True, blank=True)

    # The applicant's part
    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    nationality = models.CharField(_("nationality (ICAO code)"), max_length=3, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    passport_number = EncryptedTextField(_("passport number"), blank=True)
    passport_digest = models.CharField(max_length=64, blank=True, db_index=True)
    passport_expiry = models.DateField(_("passport expiry"), null=True, blank=True)
    # Pre-check (issue 13): the names read from the passport's MRZ (empty when none was read) and
    # the salary the applicant declares (optional: older cases have none).
    passport_reading = models.JSONField(_("passport reading"), null=True, blank=True)
    declared_salary_cny = models.PositiveIntegerField(
        _("annual salary declared by the applicant (CNY)"), null=True, blank=True
    )
    education = models.CharField(_("highest education"), max_length=20, choices=Education.choices, blank=True)
    degree_taught_in_chinese = models.BooleanField(_("degree taught in Chinese"), default=False)
    related_experience_years = models.PositiveSmallIntegerField(
        _("related work experience (full years)"), null=True, blank=True
    )
    months_in_china_per_year = models.PositiveSmallIntegerField(
        _("months a year worked in China"), null=True, blank=True
    )
    hsk_level = models.PositiveSmallIntegerField(_("HSK level"), default=0)
    former_chinese_national = models.BooleanField(_("former Chinese national"), default=False)
    extras = models.JSONField(_("additional points"), default=list, blank=True)
    direct_a_criteria = models.JSONField(default=list, blank=True)
    direct_b_criteria = models.JSONField(default=list, blank=True)
    shortage_post_code = models.CharField(max_length=40, blank=True)
    in_china = models.BooleanField(_("currently in China"), default=False)
    changing_employer = models.BooleanField(_("changing from another employer in China"), default=False)
    applicant_part_completed_at = models.DateTimeField(null=True, blank=True)

    # Yangtze River Delta recognition: the permit issued in Wujiang or Jiashan.
    delta_origin = models.CharField(_("issued in"), max_length=20, choices=DeltaOrigin.choices, blank=True)
    delta_permit_number = models.CharField(_("original permit number"), max_length=18, blank=True)
    delta_permit_class = models.CharField(
        _("original class"), max_length=1, choices=TalentClass.choices, blank=True
    )
    delta_permit_valid_until = models.DateField(_("original permit valid until"), null=True, blank=True)

    # Change and cancellation
    change_kinds = models.JSONField(_("what changes"), default=list, blank=True)
    job_end_date = models.DateField(_("last day of employment"), null=True, blank=True)

    # Classification
    claimed_class = models.CharField(
        _("claimed class"), max_length=1, choices=TalentClass.choices, blank=True
    )
    assessment = models.ForeignKey(
        "classification.AssessmentRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The employer's declaration (or commitment pledge)
    declaration_kind = models.CharField(max_length=20, choices=DeclarationKind.choices, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(null=True, blank=True)

    # Review
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("assigned officer"),
    )

    # A decision waiting for a lead officer (four eyes).
    proposal_kind = models.CharField(max_length=20, blank=True)
    proposal_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposal_at = models.DateTimeField(null=True, blank=True)
    proposal_data = models.JSONField(default=dict, blank=True)

    # Submission and the clock
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    statutory_limit = models.DateField(_("statutory limit"), null=True, blank=True)
    # The clock stops while waiting for the applicant (pauses are intervals, see Pause).
    awaiting_since = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateField(_("answer by"), null=True, blank=True)
    limit_extended_at = models.DateTimeField(null=True, blank=True)
    limit_extension_reason = models.TextField(_("reason for the extension"), blank=True)
    # After a pre-entry notice: the applicant records the date of entry.
    entry_date = models.DateField(_("date of entry into China"), null=True, blank=True)
    # Retention (``permits.retention``): when the personal data and files were purged. The case,
    # its history and its decision stay.
    personal_data_purged_at = models.DateTimeField(_("personal data purged"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_end__isnull=True)
                | models.Q(contract_start__isnull=True)
                | models.Q(contract_end__gt=models.F("contract_start")),
                name="application_contract_end_after_start",
            ),
            models.CheckConstraint(condition=models.Q(hsk_level__lte=6), name="application_hsk_level_range"),
            models.CheckConstraint(
                condition=models.Q(months_in_china_per_year__isnull=True)
                | models.Q(months_in_china_per_year__lte=12),
                name="application_months_range",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "target_date", "id"], name="application_queue"),
            models.Index(fields=["organization", "state"], name="application_by_employer"),
            # The commission's backlog per officer (dashboards statistics, read live): an index-only scan.
            models.Index(
                fields=["state", "assigned_officer"],
                include=["target_date", "statutory_limit", "id"],
                name="application_backlog",
            ),
            # The officers' queue (selectors.QUEUE_STATES, by target date then id): the first page
            # and every keyset page are an ordered index scan that stops after one page, where
            # ``application_queue`` has to read and sort every open case (several states).
            models.Index(
                fields=["target_date", "id"],
                condition=models.Q(
                    state__in=[
                        State.SUBMITTED,
                        State.ACCEPTED,
                        State.UNDER_REVIEW,
                        State.AWAITING_DOCUMENTS,
                        State.APPROVED,
                    ]
                ),
                name="application_queue_open",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def applicant_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_names) if part)

    @property
    def is_holder_request(self) -> bool:
        """A cancellation asked for by the holder or a new employer, when the former employer never filed it."""
        return self.business_type == BusinessType.CANCELLATION and not self.started_by_employer

    @property
    def card_deadline(self):
        """After entry on a notice: the last day to apply for the work-permit card."""
        from datetime import timedelta

        from permits.deadlines import CARD_AFTER_ENTRY_DAYS

        return self.entry_date + timedelta(days=CARD_AFTER_ENTRY_DAYS) if self.entry_date else None

    @property
    def residence_deadline(self):
        """After entry on a notice: the last day to apply for the residence permit."""
        from datetime import timedelta

        from permits.deadlines import RESIDENCE_AFTER_ENTRY_DAYS

        return self.entry_date + timedelta(days=RESIDENCE_AFTER_ENTRY_DAYS) if self.entry_date else None

    def set_passport_number(self, number: str) -> None:
        self.passport_number = number
        self.passport_digest = keyed_digest(number) if number else ""

    @cached_property
    def masked_passport_number(self) -> str:
        return mask_identifier(self.passport_number)
