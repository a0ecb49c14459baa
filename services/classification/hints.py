"""What would lift a person to the next class: the single changes that would reach its threshold.

Only what an applicant can change for a Shanghai post is suggested: salary, education,
experience, months in China, HSK level and the extras (not the work location, age or local
bonus). The candidate values come from the bands of the table in force, never from code.
"""

from dataclasses import replace

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .models import EDUCATION_RANK, Education, TalentClass

# Inputs that may be suggested, in the order the alternatives are listed.
HINT_INPUTS = (
    "annual_salary_cny",
    "education",
    "related_experience_years",
    "months_in_china_per_year",
    "hsk_level",
    "extras",
)


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _phrase(name: str, value) -> str:
    if name == "annual_salary_cny":
        return _("a salary of {amount} CNY").format(amount=_number(value))
    if name == "education":
        return {
            Education.DOCTORATE: _("a doctorate or a top international vocational certificate"),
            Education.MASTER: _("a master's degree"),
            Education.BACHELOR: _("a bachelor's degree"),
        }[value]
    if name == "related_experience_years":
        return ngettext(
            "%(count)s year of related experience", "%(count)s years of related experience", value
        ) % {"count": _number(value)}
    if name == "months_in_china_per_year":
        return ngettext("%(count)s month a year in China", "%(count)s months a year in China", value) % {
            "count": _number(value)
        }
    if name == "hsk_level":
        return _("HSK %(level)s") % {"level": value}
    return _("one of the extras, such as a patent of your own or a degree from a top foreign university")


def _candidates(name: str, current, rules) -> list:
    """Values of one input that the bands reward, in order from the smallest change."""
    bands = list(rules.bands_for(name))
    if isinstance(current, frozenset):
        return [current | {band.choice} for band in bands if band.choice and band.choice not in current]
    if isinstance(current, bool):
        return []
    if isinstance(current, int):
        values = {band.lower if band.is_range else int(band.choice) for band in bands}
        return sorted(value for value in values if value > current)
    if name == "education":
        values = {band.choice for band in bands}
        higher = [value for value in values if EDUCATION_RANK[value] > EDUCATION_RANK[current]]
        return sorted(higher, key=EDUCATION_RANK.__getitem__)
    return []


def _target(profile, rules, *, category: str, points: int) -> tuple[str, int] | None:
    if category == TalentClass.A:
        return None
    if category == TalentClass.C and points < rules.threshold_b and profile.age <= rules.class_b_max_age:
        return TalentClass.B, rules.threshold_b
    return TalentClass.A, rules.threshold_a


def next_category_hint(profile, rules, *, category: str, points: int) -> str:
    """One translated sentence: how many points are missing for the next class, and how to get them."""
    target = _target(profile, rules, category=category, points=points)
    if target is None:
        return ""
    next_class, threshold = target
    missing = threshold - points
    options = []
    for name in HINT_INPUTS:
        current = getattr(profile, name)
        for value in _candidates(name, current, rules):
            if rules.total(replace(profile, **{name: value})) >= threshold:
                options.append(_phrase(name, value))
                break
    if not options:
        return ngettext(
            "%(count)s more point for class %(category)s; no single change is enough.",
            "%(count)s more points for class %(category)s; no single change is enough.",
            missing,
        ) % {"count": _number(missing), "category": next_class}
    separator = pgettext("between alternatives in a list", ", or ")
    return ngettext(
        "%(count)s more point for class %(category)s: %(options)s",
        "%(count)s more points for class %(category)s: %(options)s",
        missing,
    ) % {"count": _number(missing), "category": next_class, "options": separator.join(options)}
