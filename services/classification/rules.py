"""The points table in force on a date, loaded once into plain frozen objects, and the scoring.

Nothing here knows a number of the table: bands, points, maxima and thresholds come from the
rows of ``PointsTable`` (see the data migration that loads the 2017 version).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from talent_portal.core.errors import NotAllowed

from .models import FactorKind, PointsTable


def _as_choice(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class BandRule:
    input: str
    lower: int | None
    upper: int | None
    choice: str
    points: int

    @property
    def is_range(self) -> bool:
        return not self.choice

    def matches(self, value) -> bool:
        if self.choice:
            if isinstance(value, frozenset | set | tuple | list):
                return self.choice in value
            return _as_choice(value) == self.choice
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return self.lower <= value and (self.upper is None or value < self.upper)


@dataclass(frozen=True)
class FactorRule:
    code: str
    kind: str
    max_points: int
    label: str
    explanation: str
    bands: tuple[BandRule, ...]
    direct_input: str = ""

    @property
    def inputs(self) -> tuple[str, ...]:
        if self.kind == FactorKind.DIRECT:
            return (self.direct_input,)
        return tuple(dict.fromkeys(band.input for band in self.bands))

    def score(self, profile) -> int:
        """Per input, the best matching band (every matching flag, for a set); summed; capped."""
        if self.kind == FactorKind.DIRECT:
            return max(0, min(int(getattr(profile, self.direct_input)), self.max_points))
        total = 0
        for name in self.inputs:
            value = getattr(profile, name)
            matching = [band.points for band in self.bands if band.input == name and band.matches(value)]
            if isinstance(value, frozenset):
                total += sum(matching)
            elif matching:
                total += max(matching)
        return min(total, self.max_points)


@dataclass(frozen=True)
class DirectRule:
    code: str
    grants_class: str
    is_derived: bool
    min_education: str
    min_experience_years: int | None
    age_below: int | None


@dataclass(frozen=True)
class RuleSet:
    """One version of the points table, as the engine uses it."""

    version: str
    title: str
    effective_from: date
    threshold_a: int
    threshold_b: int
    salary_multiple_a: object  # Decimal or None
    salary_multiple_b: object
    minimum_age: int
    class_b_max_age: int
    class_b_max_age_exception: int
    factors: tuple[FactorRule, ...]
    direct_criteria: tuple[DirectRule, ...]

    @property
    def max_points(self) -> int:
        return sum(factor.max_points for factor in self.factors)

    def score(self, profile) -> list[tuple[FactorRule, int]]:
        return [(factor, factor.score(profile)) for factor in self.factors]

    def total(self, profile) -> int:
        return sum(points for _factor, points in self.score(profile))

    def bands_for(self, name: str) -> Iterable[BandRule]:
        for factor in self.factors:
            yield from (band for band in factor.bands if band.input == name)

    def factor_for(self, name: str) -> FactorRule | None:
        return next((factor for factor in self.factors if name in factor.inputs), None)


def rule_set_from(table: PointsTable) -> RuleSet:
    """Freeze a table (with its factors, bands and criteria prefetched) into a ``RuleSet``."""
    factors = tuple(
        FactorRule(
            code=factor.code,
            kind=factor.kind,
            max_points=factor.max_points,
            label=factor.label,
            explanation=factor.explanation,
            bands=tuple(
                BandRule(
                    input=band.input,
                    lower=band.lower,
                    upper=band.upper,
                    choice=band.choice,
                    points=band.points,
                )
                for band in factor.bands.all()
            ),
            # A factor of kind "direct" has no bands: it reads the input named by its code.
            direct_input=factor.code if factor.kind == FactorKind.DIRECT else "",
        )
        for factor in sorted(table.factors.all(), key=lambda f: f.position)
    )
    direct = tuple(
        DirectRule(
            code=criterion.code,
            grants_class=criterion.grants_class,
            is_derived=criterion.is_derived,
            min_education=criterion.min_education,
            min_experience_years=criterion.min_experience_years,
            age_below=criterion.age_below,
        )
        for criterion in table.direct_criteria.all()
    )
    return RuleSet(
        version=table.version,
        title=table.title,
        effective_from=table.effective_from,
        threshold_a=table.threshold_a,
        threshold_b=table.threshold_b,
        salary_multiple_a=table.salary_multiple_a,
        salary_multiple_b=table.salary_multiple_b,
        minimum_age=table.minimum_age,
        class_b_max_age=table.class_b_max_age,
        class_b_max_age_exception=table.class_b_max_age_exception,
        factors=factors,
        direct_criteria=direct,
    )


def table_in_force(on: date) -> PointsTable | None:
    """The published points table in force on ``on``, with its rows prefetched."""
    return PointsTable.objects.in_force(on).prefetch_related("factors__bands", "direct_criteria").first()


def rules_in_force(on: date) -> RuleSet:
    table = table_in_force(on)
    if table is None:
        raise NotAllowed(
            _("No points table is in force on {date}.").format(date=on.isoformat()), code="no_points_table"
        )
    return rule_set_from(table)
