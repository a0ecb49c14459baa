"""The category engine: a profile in, the class, the deciding rule, the points and a hint out.

``assess`` is a pure read. It uses the points table, the local average wage and the catalogue
entries in force on the given date, so an assessment can be repeated for any past date and a
table published later never changes it. ``permits`` calls it when an application is filed.

Order of the rules (DOMAIN.md): direct class A criteria → recognised catalogue category →
salary multiple → points → direct class B criteria → Shanghai shortage-post catalogue. The
person gets the highest class any rule grants; the first rule in that order granting it is
reported as deciding. Class B needs an age within the table's limit, unless the post is in the
shortage catalogue (then the catalogue rule is reported, as class B would not be granted
without it).
"""

from dataclasses import asdict, dataclass, field, fields
from datetime import date

from django.utils.translation import gettext as _

from talent_portal.core.errors import InvalidInput

from .hints import next_category_hint
from .models import (
    CLASS_ORDER,
    EDUCATION_RANK,
    DirectCriterionCode,
    Education,
    Extra,
    FactorKind,
    LocalAverageWage,
    Rule,
    ShortagePost,
    TalentCategory,
    TalentClass,
    WorkLocation,
)
from .rules import RuleSet, rules_in_force

SET_FIELDS = ("extras", "direct_a_criteria", "direct_b_criteria", "recognised_category_codes")


@dataclass(frozen=True)
class Profile:
    """What the engine needs to know about a person. The fields follow the API contract."""

    annual_salary_cny: int
    education: str
    related_experience_years: int
    months_in_china_per_year: int
    hsk_level: int
    former_chinese_national: bool
    degree_taught_in_chinese: bool
    work_location: str
    age: int
    extras: frozenset = frozenset()
    local_bonus: int = 0
    direct_a_criteria: frozenset = frozenset()
    direct_b_criteria: frozenset = frozenset()
    shortage_post_code: str | None = None
    recognised_category_codes: frozenset = frozenset()

    def __post_init__(self):
        for name in SET_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, frozenset):
                object.__setattr__(self, name, frozenset(value or ()))

    def as_dict(self) -> dict:
        """Plain JSON values (sets as sorted lists), e.g. for a session or a snapshot."""
        data = asdict(self)
        for name in SET_FIELDS:
            data[name] = sorted(data[name])
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Profile":
        """The reverse of ``as_dict``; unknown keys are ignored."""
        names = {item.name for item in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in names})


@dataclass(frozen=True)
class FactorResult:
    code: str
    points: int
    max: int
    label: str


@dataclass(frozen=True)
class Assessment:
    profile: Profile
    assessed_on: date
    table_version: str
    points: int
    category: str
    decided_by: str
    breakdown: list[FactorResult]
    next_category_hint: str
    notes: list[str]
    max_points: int = 0
    threshold_a: int = 0
    threshold_b: int = 0
    quota_exempt: bool = False
    granted_by: dict = field(default_factory=dict)

    def as_snapshot(self) -> dict:
        """What an application stores: inputs, table version, result and breakdown, as JSON values."""
        return {
            "inputs": self.profile.as_dict(),
            "table_version": self.table_version,
            "points": self.points,
            "category": self.category,
            "decided_by": self.decided_by,
            "breakdown": [
                {"factor": item.code, "points": item.points, "max": item.max} for item in self.breakdown
            ],
            "quota_exempt": self.quota_exempt,
            "computed_at": self.assessed_on.isoformat(),
        }


# --- Validation ---------------------------------------------------------------------------------


def _validate(profile: Profile, rules: RuleSet) -> None:
    """Refuse a profile the rules cannot score, naming each field."""
    problems: dict[str, list[str]] = {}

    def problem(name, message):
        problems.setdefault(name, []).append(message)

    if profile.education not in Education.values:
        problem("education", _("Choose one of the offered values."))
    if profile.work_location not in WorkLocation.values:
        problem("work_location", _("Choose one of the offered values."))
    if unknown := profile.extras - set(Extra.values):
        problem("extras", _("Unknown codes: {codes}.").format(codes=", ".join(sorted(unknown))))
    for name in ("direct_a_criteria", "direct_b_criteria"):
        if unknown := getattr(profile, name) - set(DirectCriterionCode.values):
            problem(name, _("Unknown codes: {codes}.").format(codes=", ".join(sorted(unknown))))
    for name in ("annual_salary_cny", "related_experience_years", "months_in_china_per_year", "hsk_level"):
        if getattr(profile, name) < 0:
            problem(name, _("Enter zero or more."))
    if profile.age < rules.minimum_age:
        problem(
            "age",
            _("Work permits are for adults: the age must be at least {age}.").format(age=rules.minimum_age),
        )
    for factor in rules.factors:
        if factor.kind == FactorKind.DIRECT:
            value = getattr(profile, factor.direct_input)
            if not 0 <= value <= factor.max_points:
                problem(
                    factor.direct_input,
                    _("Enter a number from 0 to {max}.").format(max=factor.max_points),
                )
    if problems:
        raise InvalidInput(fields=problems)


# --- The rules ----------------------------------------------------------------------------------


def _meets(profile: Profile, *, min_education: str, min_experience_years) -> bool:
    if min_education and EDUCATION_RANK[profile.education] < EDUCATION_RANK[min_education]:
        return False
    return min_experience_years is None or profile.related_experience_years >= min_experience_years


def _direct_grants(profile: Profile, rules: RuleSet, notes: list) -> dict[str, bool]:
    """Which classes the direct criteria grant: derived ones from the data, the others when claimed."""
    granted = {TalentClass.A: False, TalentClass.B: False}
    claimed = profile.direct_a_criteria | profile.direct_b_criteria
    known = {criterion.code for criterion in rules.direct_criteria}
    for criterion in rules.direct_criteria:
        label = DirectCriterionCode(criterion.code).label
        if not criterion.is_derived and criterion.code not in claimed:
            continue
        if criterion.is_derived and not _meets(
            profile,
            min_education=criterion.min_education,
            min_experience_years=criterion.min_experience_years,
        ):
            continue
        if criterion.age_below is not None and profile.age >= criterion.age_below:
            notes.append(
                _("The criterion “{criterion}” applies only below the age of {age}.").format(
                    criterion=label, age=criterion.age_below
                )
            )
            continue
        granted[criterion.grants_class] = True
    notes.extend(
        _("The criterion “{criterion}” is not part of points table {version}.").format(
            criterion=DirectCriterionCode(code).label, version=rules.version
        )
        for code in sorted(claimed - known)
    )
    return granted


def _recognised_categories(profile: Profile, on: date) -> list[TalentCategory]:
    """The latest version, by ``on``, of each category recognised for the person."""
    if not profile.recognised_category_codes:
        return []
    latest = {}
    rows = TalentCategory.objects.filter(
        code__in=profile.recognised_category_codes, effective_from__lte=on
    ).order_by("code", "-effective_from")
    for category in rows:
        latest.setdefault(category.code, category)
    return list(latest.values())


def local_average_wage_for(on: date) -> LocalAverageWage | None:
    """The figure on record for the year of ``on`` that was in use by that day (latest first)."""
    return (
        LocalAverageWage.objects.filter(year=on.year, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def _salary_multiple(profile: Profile, rules: RuleSet, on: date, notes: list) -> str | None:
    if rules.salary_multiple_a is None and rules.salary_multiple_b is None:
        return None
    wage = local_average_wage_for(on)
    if wage is None:
        notes.append(
            _(
                "The salary-multiple rules did not apply: no local average wage is on record for {year}."
            ).format(year=on.year)
        )
        return None
    if wage.is_example:
        notes.append(
            _(
                "The salary-multiple rules used an example local average wage for {year}, not an official figure."
            ).format(year=wage.year)
        )
    for multiple, granted in (
        (rules.salary_multiple_a, TalentClass.A),
        (rules.salary_multiple_b, TalentClass.B),
    ):
        if multiple is not None and profile.annual_salary_cny >= multiple * wage.annual_amount_cny:
            return granted
    return None


def _shortage_post(profile: Profile, on: date, notes: list) -> ShortagePost | None:
    """The catalogue post named by the profile, when it is in force and its requirements are met."""
    if not profile.shortage_post_code:
        return None
    post = ShortagePost.objects.in_force(on).filter(code=profile.shortage_post_code).first()
    if post is None:
        notes.append(
            _("The post code “{code}” is not in the Shanghai shortage catalogue in force.").format(
                code=profile.shortage_post_code
            )
        )
        return None
    if not _meets(profile, min_education=post.min_education, min_experience_years=post.min_experience_years):
        notes.append(
            _("The requirements of the shortage post “{post}” are not met: {requirements}").format(
                post=post.title, requirements=post.requirements
            )
        )
        return None
    return post


def _points_class(points: int, rules: RuleSet) -> str | None:
    if points >= rules.threshold_a:
        return TalentClass.A
    if points >= rules.threshold_b:
        return TalentClass.B
    return None


def assess(profile: Profile, *, on: date) -> Assessment:
    """Assess ``profile`` under the rules in force on ``on``. Reads only; raises ``InvalidInput``."""
    rules = rules_in_force(on)
    _validate(profile, rules)
    notes: list[str] = []
    scored = rules.score(profile)
    points = sum(value for _factor, value in scored)

    direct = _direct_grants(profile, rules, notes)
    recognised = _recognised_categories(profile, on)
    recognised_class = min((c.grants_class for c in recognised), key=CLASS_ORDER.index, default=None)
    post = _shortage_post(profile, on, notes)
    grants = {
        Rule.DIRECT_A: TalentClass.A if direct[TalentClass.A] else None,
        Rule.RECOGNISED_CATEGORY: recognised_class,
        Rule.SALARY_MULTIPLE: _salary_multiple(profile, rules, on, notes),
        Rule.POINTS: _points_class(points, rules),
        Rule.DIRECT_B: TalentClass.B if direct[TalentClass.B] else None,
        Rule.SHORTAGE_CATALOGUE: TalentClass.B if post is not None else None,
    }
    age_exception = post is not None or any(c.uses_shortage_posts for c in recognised)
    category, decided_by = _decide(profile, rules, grants, age_exception=age_exception, notes=notes)
    category = TalentClass(category).value
    quota_exempt = category == TalentClass.B and post is not None
    if quota_exempt:
        notes.append(
            _(
                "The post “{post}” is in the Shanghai shortage catalogue: class B up to the age of {age}, "
                "outside the market-demand quota."
            ).format(post=post.title, age=rules.class_b_max_age_exception)
        )
    return Assessment(
        profile=profile,
        assessed_on=on,
        table_version=rules.version,
        points=points,
        category=category,
        decided_by=decided_by,
        breakdown=[
            FactorResult(code=factor.code, points=value, max=factor.max_points, label=factor.label)
            for factor, value in scored
        ],
        next_category_hint=next_category_hint(profile, rules, category=category, points=points),
        notes=notes,
        max_points=rules.max_points,
        threshold_a=rules.threshold_a,
        threshold_b=rules.threshold_b,
        quota_exempt=quota_exempt,
        granted_by={rule.value: TalentClass(granted).value for rule, granted in grants.items() if granted},
    )


def _decide(profile: Profile, rules: RuleSet, grants: dict, *, age_exception: bool, notes: list):
    """The highest class granted and the first rule granting it, with class B's age limit applied."""
    a_rules = [rule for rule in Rule if grants[rule] == TalentClass.A]
    if a_rules:
        return TalentClass.A, a_rules[0].value
    b_rules = [rule for rule in Rule if grants[rule] == TalentClass.B and rule != Rule.SHORTAGE_CATALOGUE]
    if b_rules and profile.age <= rules.class_b_max_age:
        return TalentClass.B, b_rules[0].value
    if grants[Rule.SHORTAGE_CATALOGUE] and profile.age <= rules.class_b_max_age_exception:
        return TalentClass.B, Rule.SHORTAGE_CATALOGUE.value
    if b_rules and age_exception and profile.age <= rules.class_b_max_age_exception:
        return TalentClass.B, b_rules[0].value
    if b_rules or grants[Rule.SHORTAGE_CATALOGUE]:
        notes.append(
            _(
                "Class B was not granted: it needs an age of at most {age}, or {exception_age} for a post "
                "in the Shanghai shortage catalogue."
            ).format(age=rules.class_b_max_age, exception_age=rules.class_b_max_age_exception)
        )
    return TalentClass.C, Rule.POINTS.value
