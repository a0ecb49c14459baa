"""The award rules, read from the ``Award`` rows (data, never literals): who may be nominated.

Pure functions over plain values, so that the nomination action, the pages and the tests share
one reading of the rules.
"""

from datetime import date

from django.utils.translation import gettext as _

from .models import Award


def whole_years_between(start: date, end: date) -> int:
    """Full years from ``start`` to ``end`` (a birthday-style count)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def eligibility_problems(award: Award, *, year: int, grants: dict[int, int]) -> list[str]:
    """Why a person holding ``grants`` (award id → year received) may not be nominated for ``award``
    in ``year``: a previous laureate, or a ladder step missing or too recent. Empty when eligible."""
    problems = []
    if award.excludes_previous_laureates and award.pk in grants:
        problems.append(
            _("The expert already received the {award} (in {year}).").format(
                award=award.name, year=grants[award.pk]
            )
        )
    if award.prerequisite_id is not None:
        prerequisite = award.prerequisite
        latest = year - award.years_after_prerequisite
        received = grants.get(prerequisite.pk)
        if received is None:
            problems.append(
                _("The {award} requires the {prerequisite}, received in {latest} or before.").format(
                    award=award.name, prerequisite=prerequisite.name, latest=latest
                )
            )
        elif received > latest:
            problems.append(
                _(
                    "The {award} requires the {prerequisite} at least {years} years earlier: it was received "
                    "in {received}, so the first possible year is {first}."
                ).format(
                    award=award.name,
                    prerequisite=prerequisite.name,
                    years=award.years_after_prerequisite,
                    received=received,
                    first=received + award.years_after_prerequisite,
                )
            )
    return problems


def shanghai_years_problem(
    award: Award, *, since: date | None, on: date, exception_reason: str
) -> str | None:
    """The problem with the stated years in Shanghai, or None. Fewer years than the award normally
    needs are accepted with a stated reason (the reviewing officer sees it)."""
    if award.min_years_in_shanghai is None:
        return None
    if since is None:
        return _("State since when the expert has worked in Shanghai.")
    if since > on:
        return _("This date is in the future.")
    if whole_years_between(since, on) < award.min_years_in_shanghai and not exception_reason.strip():
        return _(
            "The {award} normally needs at least {years} years of work in Shanghai; give the reason for "
            "the exception."
        ).format(award=award.name, years=award.min_years_in_shanghai)
    return None


def missing_materials(award: Award, kinds_given) -> list[str]:
    """The material kinds the award requires that are not among ``kinds_given``."""
    given = set(kinds_given)
    return [kind for kind in award.required_materials if kind not in given]
