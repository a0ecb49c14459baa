"""The Shanghai high-end and shortage catalogue (高精尖缺): categories with their criteria, and the
catalogue of urgently needed posts, each versioned by date of effect."""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from talent_portal.accounts.models import Industry
from talent_portal.core.models import TimeStampedModel

from .points import Education, TalentClass


def _in_force(on: date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_until__isnull=True) | Q(effective_until__gt=on))


class VersionedQuerySet(models.QuerySet):
    def in_force(self, on: date):
        """Rows in force on ``on``: from their date of effect, until (excluding) their end date."""
        return self.filter(_in_force(on))


CATALOGUE_INDUSTRIES = [
    (code, label)
    for code, label in Industry.choices
    if code
    in (
        Industry.INTEGRATED_CIRCUITS,
        Industry.BIOMEDICINE,
        Industry.ARTIFICIAL_INTELLIGENCE,
        Industry.FINANCE,
    )
]


class TalentCategory(TimeStampedModel):
    """A category of the Shanghai catalogue, versioned by date of effect (same code, new row)."""

    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    grants_class = models.CharField(_("grants class"), max_length=1, choices=TalentClass.choices)
    green_channel = models.BooleanField(_("green channel"), default=False)
    max_validity_years = models.PositiveSmallIntegerField(_("longest permit validity (years)"))
    uses_shortage_posts = models.BooleanField(
        _("claims name a shortage post"),
        default=False,
        help_text=_("Claims of this category name a post of the shortage catalogue instead of a criterion."),
    )
    effective_from = models.DateField(_("takes effect on"))
    effective_until = models.DateField(_("ends on (exclusive)"), null=True, blank=True)
    is_example = models.BooleanField(_("example"), default=False)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue category")
        verbose_name_plural = _("catalogue categories")
        ordering = ["position", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="category_unique_version"),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gt=F("effective_from")),
                name="category_period_valid",
            ),
            models.CheckConstraint(condition=Q(grants_class__in=["A", "B"]), name="category_grants_a_or_b"),
        ]

    def __str__(self):
        return f"{self.name} ({self.effective_from:%Y-%m-%d})"

    def is_in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_until is None or on < self.effective_until)


class Criterion(models.Model):
    category = models.ForeignKey(TalentCategory, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("criterion"))
    evidence = models.TextField(_("evidence needed"))

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["category", "position", "pk"]

    def __str__(self):
        return self.text[:80]


class ShortagePost(TimeStampedModel):
    """A post of the Shanghai catalogue of urgently needed posts, versioned by date of effect."""

    code = models.SlugField(_("code"), max_length=40)
    industry = models.CharField(_("industry"), max_length=40, choices=CATALOGUE_INDUSTRIES)
    title = models.CharField(_("post"), max_length=200)
    requirements = models.TextField(_("requirements"))
    min_education = models.CharField(_("lowest education"), max_length=20, choices=Education.choices)
    min_experience_years = models.PositiveSmallIntegerField(_("fewest years of related experience"))
    effective_from = models.DateField(_("takes effect on"))
    effective_until = models.DateField(_("ends on (exclusive)"), null=True, blank=True)
    is_example = models.BooleanField(_("example"), default=False)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shortage post")
        verbose_name_plural = _("shortage posts")
        ordering = ["industry", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="shortage_post_unique_version"),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gt=F("effective_from")),
                name="shortage_post_period_valid",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.code})"

    def is_in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_until is None or on < self.effective_until)
