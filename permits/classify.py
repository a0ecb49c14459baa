"""The bridge from a case to the classification engine: what was filed, as the engine's profile."""

from datetime import date

from services.classification import engine
from services.classification.selectors import recognised_category_codes_for

from .models import BusinessType


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def profile_for(application, *, on: date) -> engine.Profile | None:
    """The engine's profile from the filed data, or None while the data is incomplete."""
    needed = (
        application.annual_salary_cny,
        application.education,
        application.related_experience_years,
        application.months_in_china_per_year,
        application.date_of_birth,
    )
    if any(value in (None, "") for value in needed):
        return None
    recognised = frozenset()
    if application.applicant_id:
        recognised = recognised_category_codes_for(application.applicant, on=on)
    return engine.Profile(
        annual_salary_cny=application.annual_salary_cny,
        education=application.education,
        related_experience_years=application.related_experience_years,
        months_in_china_per_year=application.months_in_china_per_year,
        hsk_level=application.hsk_level,
        former_chinese_national=application.former_chinese_national,
        degree_taught_in_chinese=application.degree_taught_in_chinese,
        work_location="shanghai",
        age=age_on(application.date_of_birth, on),
        extras=frozenset(application.extras),
        local_bonus=0,
        direct_a_criteria=frozenset(application.direct_a_criteria),
        direct_b_criteria=frozenset(application.direct_b_criteria),
        shortage_post_code=application.shortage_post_code or None,
        recognised_category_codes=recognised,
    )


def assess(application, *, on: date):
    """The engine's assessment of the case on ``on``, or None while data is missing."""
    profile = profile_for(application, on=on)
    return engine.assess(profile, on=on) if profile is not None else None


def talent_class(application, *, on: date) -> str:
    """The class that decides the checklist and the pledge: the permit's for follow-ups."""
    if (
        application.business_type
        in (
            BusinessType.EXTENSION,
            BusinessType.CHANGE,
            BusinessType.CANCELLATION,
            BusinessType.REISSUE,
        )
        and application.source_permit_id
    ):
        return application.source_permit.talent_class
    if application.route == "delta_recognition" and application.delta_permit_class:
        return application.delta_permit_class
    result = assess(application, on=on)
    return result.category if result is not None else ""
