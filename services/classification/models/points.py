"""The points rules as versioned data: the engine's vocabulary, the points table (factors, bands,
direct criteria) and the local average wage.

Every number of the national points table (bands, points, maxima, thresholds, salary multiples,
age limits) lives in these tables, loaded by a data migration; none is a literal in code. A
table is changed only by publishing a new version with a later date of effect.
"""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talent_portal.core.models import TimeStampedModel

# --- Vocabulary of the engine's inputs and rules ------------------------------------------------


class TalentClass(models.TextChoices):
    A = "A", _("Class A — high-end talent")
    B = "B", _("Class B — professional talent")
    C = "C", _("Class C — ordinary staff")


# Highest first: the engine grants the highest class that any rule grants.
CLASS_ORDER = (TalentClass.A, TalentClass.B, TalentClass.C)


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate, or a top international vocational certificate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    NONE = "none", _("Below a bachelor's degree")


# Ordinal rank of each level, for rules such as "a bachelor's degree or higher".
EDUCATION_RANK = {
    Education.NONE: 0,
    Education.BACHELOR: 1,
    Education.MASTER: 2,
    Education.DOCTORATE: 3,
}


class WorkLocation(models.TextChoices):
    SHANGHAI = "shanghai", _("Shanghai")
    WESTERN_REGION = "western_region", _("Western region")
    NORTHEAST_INDUSTRIAL_BASE = "northeast_industrial_base", _("North-east old industrial base")
    POVERTY_COUNTY = "poverty_county", _("Poverty-alleviation county")


class Extra(models.TextChoices):
    TOP_UNIVERSITY = "top_university", _("Degree from a top foreign university")
    FORTUNE_500 = "fortune_500", _("Work experience at a Fortune 500 company")
    PATENT = "patent", _("A patent or other intellectual property of your own")
    FIVE_YEARS_IN_CHINA = "five_years_in_china", _("At least 5 years' continuous work in China")


class DirectCriterionCode(models.TextChoices):
    """Direct criteria. Class A ones, then class B ones; the table version says which grants what."""

    TALENT_PROGRAMME = (
        "talent_programme",
        _("Selected for a talent programme at deputy-provincial level or above"),
    )
    LISTED_ACHIEVEMENT = (
        "listed_achievement",
        _("A listed international achievement (a major prize, academy membership, a world title…)"),
    )
    ENCOURAGED_POST = "encouraged_post", _("A senior post the market encourages")
    INNOVATION_TALENT = "innovation_talent", _("An innovation or entrepreneurship talent")
    YOUNG_POSTDOC = "young_postdoc", _("An outstanding young post-doctoral researcher from a top university")
    BACHELOR_WITH_EXPERIENCE = (
        "bachelor_with_experience",
        _("A bachelor's degree or higher with the required years of related experience"),
    )
    SKILL_CERTIFICATE = "skill_certificate", _("An internationally recognised vocational skill certificate")
    LANGUAGE_TEACHER = "language_teacher", _("A qualified native-speaker language teacher")


DIRECT_A_CODES = (
    DirectCriterionCode.TALENT_PROGRAMME,
    DirectCriterionCode.LISTED_ACHIEVEMENT,
    DirectCriterionCode.ENCOURAGED_POST,
    DirectCriterionCode.INNOVATION_TALENT,
    DirectCriterionCode.YOUNG_POSTDOC,
)
# Claimable class B codes; ``bachelor_with_experience`` is derived from the filed data instead.
DIRECT_B_CLAIM_CODES = (DirectCriterionCode.SKILL_CERTIFICATE, DirectCriterionCode.LANGUAGE_TEACHER)


class Rule(models.TextChoices):
    """The engine's rules, in the order that decides which one is reported."""

    DIRECT_A = "direct_a", _("Direct class A criterion")
    RECOGNISED_CATEGORY = "recognised_category", _("Recognised Shanghai catalogue category")
    SALARY_MULTIPLE = "salary_multiple", _("Salary as a multiple of the local average wage")
    POINTS = "points", _("Points")
    DIRECT_B = "direct_b", _("Direct class B criterion")
    SHORTAGE_CATALOGUE = "shortage_catalogue", _("Shanghai shortage-post catalogue")


RULE_ORDER = tuple(Rule)


class FactorKind(models.TextChoices):
    RANGE = "range", _("Numeric range")
    CHOICE = "choice", _("Choice")
    FLAGS = "flags", _("Any of several flags")
    DIRECT = "direct", _("Value as given")


class ProfileInput(models.TextChoices):
    """The inputs of a profile a band can read."""

    ANNUAL_SALARY_CNY = "annual_salary_cny", _("Annual salary paid in China (CNY)")
    EDUCATION = "education", _("Education")
    RELATED_EXPERIENCE_YEARS = "related_experience_years", _("Years of related work experience")
    MONTHS_IN_CHINA_PER_YEAR = "months_in_china_per_year", _("Months a year worked in China")
    HSK_LEVEL = "hsk_level", _("HSK level")
    FORMER_CHINESE_NATIONAL = "former_chinese_national", _("Former Chinese national")
    DEGREE_TAUGHT_IN_CHINESE = "degree_taught_in_chinese", _("Degree taught in Chinese")
    WORK_LOCATION = "work_location", _("Work location")
    AGE = "age", _("Age")
    EXTRAS = "extras", _("Extras")
    LOCAL_BONUS = "local_bonus", _("Local bonus")


# --- The points table ---------------------------------------------------------------------------


class PointsTableQuerySet(models.QuerySet):
    def in_force(self, on: date):
        """The published versions that had taken effect by ``on``, latest first."""
        return self.filter(is_published=True, effective_from__lte=on).order_by("-effective_from")


class PointsTable(TimeStampedModel):
    """One version of the national points table. Published versions in force are never edited."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    source_note = models.TextField(_("source"), blank=True)
    effective_from = models.DateField(_("takes effect on"))
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published versions are used; a published version is read-only once in force."),
    )
    threshold_a = models.PositiveSmallIntegerField(_("points for class A (at least)"))
    threshold_b = models.PositiveSmallIntegerField(_("points for class B (at least)"))
    salary_multiple_a = models.DecimalField(
        _("salary multiple for class A"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    salary_multiple_b = models.DecimalField(
        _("salary multiple for class B"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"))
    class_b_max_age = models.PositiveSmallIntegerField(_("highest age for class B"))
    class_b_max_age_exception = models.PositiveSmallIntegerField(
        _("highest age for class B with a shortage-catalogue post")
    )

    objects = PointsTableQuerySet.as_manager()

    class Meta:
        verbose_name = _("points table")
        verbose_name_plural = _("points tables")
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=Q(is_published=True),
                name="points_table_one_published_per_date",
            ),
            models.CheckConstraint(
                condition=Q(threshold_a__gt=F("threshold_b")), name="points_table_a_above_b"
            ),
            models.CheckConstraint(
                condition=Q(class_b_max_age_exception__gte=F("class_b_max_age")),
                name="points_table_exception_age_not_lower",
            ),
        ]

    def __str__(self):
        return f"{self.version} ({self.effective_from:%Y-%m-%d})"

    @property
    def is_locked(self) -> bool:
        """A published version that has taken effect: changing it would change past results."""
        return self.is_published and self.effective_from <= timezone.localdate()


class Factor(models.Model):
    table = models.ForeignKey(PointsTable, on_delete=models.CASCADE, related_name="factors")
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=FactorKind.choices)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    label = models.CharField(_("label"), max_length=120)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("factor")
        verbose_name_plural = _("factors")
        ordering = ["table", "position"]
        constraints = [models.UniqueConstraint(fields=["table", "code"], name="factor_unique_code_per_table")]

    def __str__(self):
        return f"{self.table.version} · {self.code}"


class Band(models.Model):
    """One row of a factor: a range of an input (lower inclusive, upper exclusive or open), or a
    choice code (for booleans ``true``; for a set of flags, a flag the set holds), and its points."""

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="bands")
    input = models.CharField(_("input"), max_length=40, choices=ProfileInput.choices)
    lower = models.PositiveIntegerField(_("from (inclusive)"), null=True, blank=True)
    upper = models.PositiveIntegerField(_("to (exclusive)"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=40, blank=True)
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("band")
        verbose_name_plural = _("bands")
        ordering = ["factor", "input", "lower", "choice"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(choice="") & Q(lower__isnull=False)) | (~Q(choice="") & Q(lower__isnull=True)),
                name="band_range_or_choice",
            ),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gt=F("lower")), name="band_upper_above_lower"
            ),
        ]

    def __str__(self):
        if self.choice:
            return f"{self.input} = {self.choice} → {self.points}"
        return f"{self.lower} ≤ {self.input} < {self.upper or '∞'} → {self.points}"


class DirectCriterion(models.Model):
    """A direct criterion of a table version, with the conditions that can be checked on data."""

    table = models.ForeignKey(PointsTable, on_delete=models.CASCADE, related_name="direct_criteria")
    code = models.CharField(_("code"), max_length=40, choices=DirectCriterionCode.choices)
    grants_class = models.CharField(_("grants class"), max_length=1, choices=TalentClass.choices)
    is_derived = models.BooleanField(
        _("derived from the filed data"),
        default=False,
        help_text=_("Derived criteria are checked on the data; the others are claimed with evidence."),
    )
    min_education = models.CharField(
        _("lowest education"), max_length=20, choices=Education.choices, blank=True
    )
    min_experience_years = models.PositiveSmallIntegerField(
        _("fewest years of experience"), null=True, blank=True
    )
    age_below = models.PositiveSmallIntegerField(_("age below"), null=True, blank=True)
    evidence = models.TextField(_("evidence needed"), blank=True)

    class Meta:
        verbose_name = _("direct criterion")
        verbose_name_plural = _("direct criteria")
        ordering = ["table", "grants_class", "code"]
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="direct_criterion_unique_per_table"),
            models.CheckConstraint(condition=Q(grants_class__in=["A", "B"]), name="direct_criterion_a_or_b"),
        ]

    def __str__(self):
        return f"{self.table.version} · {self.code} → {self.grants_class}"


class LocalAverageWage(TimeStampedModel):
    """The local average wage used by the salary-multiple rules in a given year."""

    year = models.PositiveSmallIntegerField(_("year in which it is used"))
    annual_amount_cny = models.PositiveIntegerField(_("annual average wage (CNY)"))
    effective_from = models.DateField(_("used from"))
    source = models.CharField(_("source"), max_length=300)
    is_example = models.BooleanField(
        _("example figure"), default=False, help_text=_("Demonstration data, not an official figure.")
    )

    class Meta:
        verbose_name = _("local average wage")
        verbose_name_plural = _("local average wages")
        ordering = ["-year", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["year", "effective_from"], name="local_wage_unique_per_date"),
            models.CheckConstraint(condition=Q(annual_amount_cny__gt=0), name="local_wage_positive"),
        ]

    def __str__(self):
        label = f"{self.year}: {self.annual_amount_cny} CNY"
        return f"{label} (example)" if self.is_example else label
