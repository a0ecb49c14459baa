"""Award nominations: the awards and their rules (data), rounds, laureates, supervising units, and
the nominations an employer files, a supervising unit endorses and the commission reviews.

The rules are data on ``Award`` (loaded by migration ``0002`` in four languages): the ladder
(a prerequisite award some years earlier), years worked in Shanghai, the number of ranked
nominees a round allows, one nomination channel per person, and no previous laureates.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from talent_portal.accounts.models import Organization
from talent_portal.core.models import TimeStampedModel


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    MUNICIPAL = "municipal", _("Shanghai")


class MaterialKind(models.TextChoices):
    NOMINATION_FORM = "nomination_form", _("Nomination form")
    CURRICULUM_VITAE = "curriculum_vitae", _("Curriculum vitae")
    CONTRIBUTIONS = "contributions", _("Evidence of contributions")
    SHANGHAI_WORK = "shanghai_work", _("Evidence of the years worked in Shanghai")
    OTHER = "other", _("Other document")


class Award(TimeStampedModel):
    """An award and its nomination rules."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    level = models.CharField(_("level"), max_length=20, choices=AwardLevel.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    prerequisite = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requires the award"),
    )
    years_after_prerequisite = models.PositiveSmallIntegerField(
        _("at least this many years after it"), null=True, blank=True
    )
    min_years_in_shanghai = models.PositiveSmallIntegerField(
        _("years worked in Shanghai (normally)"),
        null=True,
        blank=True,
        help_text=_("Stated by the employer with evidence; fewer years need a stated reason."),
    )
    max_ranked_per_round = models.PositiveSmallIntegerField(
        _("ranked nominees per round (at most)"), null=True, blank=True
    )
    single_channel = models.BooleanField(
        _("one nomination channel per person"),
        default=False,
        help_text=_("A person may be nominated through one organisation only in a round."),
    )
    excludes_previous_laureates = models.BooleanField(_("no previous laureates"), default=True)
    required_materials = models.JSONField(_("required materials"), default=list, blank=True)
    source_note = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(prerequisite__isnull=True, years_after_prerequisite__isnull=True)
                | Q(prerequisite__isnull=False, years_after_prerequisite__isnull=False),
                name="award_ladder_complete",
            ),
        ]

    def __str__(self):
        return self.name


class AwardRound(TimeStampedModel):
    """A year's nominations for one award."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year"))
    nominations_open_on = models.DateField(_("nominations open on"))
    nominations_close_on = models.DateField(_("nominations close on (inclusive)"))

    class Meta:
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        ordering = ["-year", "award__position"]
        constraints = [
            models.UniqueConstraint(fields=["award", "year"], name="award_round_once_a_year"),
            models.CheckConstraint(
                condition=Q(nominations_close_on__gte=F("nominations_open_on")),
                name="award_round_period_valid",
            ),
        ]

    def __str__(self):
        return f"{self.award} {self.year}"

    def is_open(self, on) -> bool:
        return self.nominations_open_on <= on <= self.nominations_close_on


class AwardGrant(TimeStampedModel):
    """A laureate: who received an award in which year (entered by administrators for past years,
    written by the commission when a nomination is awarded)."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="grants")
    laureate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="award_grants"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    nomination = models.OneToOneField(
        "outreach.Nomination", on_delete=models.PROTECT, null=True, blank=True, related_name="grant"
    )

    class Meta:
        verbose_name = _("laureate")
        verbose_name_plural = _("laureates")
        ordering = ["-year", "award__position"]
        constraints = [models.UniqueConstraint(fields=["award", "laureate"], name="award_grant_once")]

    def __str__(self):
        return f"{self.laureate} — {self.award} {self.year}"


class SupervisingUnit(TimeStampedModel):
    """An organisation flagged by administrators as a supervising unit: its members endorse the
    nominations filed by the employers it supervises."""

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="supervising_unit"
    )
    is_active = models.BooleanField(_("active"), default=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("supervising unit")
        verbose_name_plural = _("supervising units")
        ordering = ["organization__name_zh"]

    def __str__(self):
        return self.organization.display_name


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the supervising unit's endorsement")
    ENDORSED = "endorsed", _("Endorsed, awaiting the commission's review")
    DECLINED = "declined", _("Endorsement declined by the supervising unit")
    RECOMMENDED = "recommended", _("Recommended by the commission")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended by the commission")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    WITHDRAWN = "withdrawn", _("Withdrawn by the employer")


# A nomination in these states holds the person's channel in its round.
ACTIVE_NOMINATION_STATES = (
    NominationStatus.SUBMITTED,
    NominationStatus.ENDORSED,
    NominationStatus.RECOMMENDED,
    NominationStatus.AWARDED,
)
WITHDRAWABLE_NOMINATION_STATES = (NominationStatus.SUBMITTED, NominationStatus.ENDORSED)


class Nomination(TimeStampedModel):
    """An employer's nomination of an expert for an award round."""

    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT, related_name="nominations")
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nominations"
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="nominations")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    supervising_unit = models.ForeignKey(
        SupervisingUnit, on_delete=models.PROTECT, related_name="nominations"
    )
    post = models.CharField(_("the expert's post"), max_length=200)
    citation = models.TextField(_("contributions"))
    shanghai_since = models.DateField(_("working in Shanghai since"), null=True, blank=True)
    exception_reason = models.TextField(_("reason for fewer years in Shanghai"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=NominationStatus.choices,
        default=NominationStatus.SUBMITTED,
        db_index=True,
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    endorsed_at = models.DateTimeField(_("endorsed"), null=True, blank=True)
    endorsement_note = models.TextField(_("supervising unit's note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("commission's note"), blank=True)
    decided_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["round", "status"], name="nomination_review_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "nominee", "organization"],
                condition=Q(status__in=["submitted", "endorsed", "recommended", "awarded"]),
                name="nomination_once_per_channel",
            ),
            models.UniqueConstraint(
                fields=["round", "rank"], condition=Q(rank__isnull=False), name="nomination_rank_unique"
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(status__in=["recommended", "awarded", "not_awarded"]),
                name="nomination_rank_when_recommended",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["declined"]) | ~Q(endorsement_note=""),
                name="nomination_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["not_recommended"]) | ~Q(review_note=""),
                name="nomination_not_recommended_has_reason",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.round} — {self.nominee}"

    @property
    def award(self) -> Award:
        return self.round.award


def material_path(instance, filename: str) -> str:
    # Never the uploaded name: it may carry personal data or path tricks.
    return f"outreach/nominations/{instance.nomination_id}/{uuid.uuid4().hex}"


class NominationMaterial(TimeStampedModel):
    """A file of a nomination. Stored privately; served only through a permission-checked view."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=30, choices=MaterialKind.choices)
    file = models.FileField(_("file"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("nomination material")
        verbose_name_plural = _("nomination materials")
        ordering = ["nomination", "kind", "pk"]

    def __str__(self):
        return self.original_name
