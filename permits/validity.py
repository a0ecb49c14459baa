"""How long a permit may be granted for (DOMAIN: "Validity").

Class A up to 5 years, class B up to 2 years, class C up to 1 year; a first grant justified only
by a salary commitment at most 1 year; never past the end of the contract or the passport. A
recognised Shanghai high-end category may allow longer, as its catalogue entry says.
Sources: Notice on the full implementation of the foreigner work-permit system (2017);
Shanghai measures for the Yangtze River Delta demonstration zone (2020).
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .models import NEW_PERMIT_TYPES

MAX_YEARS = {"A": 5, "B": 2, "C": 1}
# The business types whose approval grants a period of validity (the others keep the permit's).
GRANTING_TYPES = frozenset({"new_notice", "new_card", "new_in_country", "extension"})
SALARY_ONLY_FIRST_GRANT_YEARS = 1
# A notice before entry is valid for 6 months (DOMAIN: "Work-permit notice").
NOTICE_VALIDITY = relativedelta(months=6)


def granted_class(application) -> str:
    """The class after the officer's review (or as computed, before it)."""
    record = application.assessment
    if record is None:
        return application.source_permit.talent_class if application.source_permit_id else ""
    return record.confirmed_category or record.computed_category


def latest_valid_until(application, *, start: date, extra_years: int = 0) -> date | None:
    """The last day a permit granted from ``start`` may run to."""
    talent_class = granted_class(application)
    if talent_class not in MAX_YEARS:
        return None
    years = max(MAX_YEARS[talent_class], extra_years)
    record = application.assessment
    if (
        record is not None
        and record.decided_by_rule == "salary_multiple"
        and application.business_type in NEW_PERMIT_TYPES
        and application.source_permit_id is None
    ):
        years = SALARY_ONLY_FIRST_GRANT_YEARS
    limit = start + relativedelta(years=years) - timedelta(days=1)
    for bound in (application.contract_end, application.passport_expiry):
        if bound is not None:
            limit = min(limit, bound)
    return limit


def notice_valid_until(issued_on: date) -> date:
    return issued_on + NOTICE_VALIDITY - timedelta(days=1)
