"""Single window: who may use it, the residence permit's fee bands and validity (data, not code).

Sources (DOMAIN, "Single window" and "Residence permit"): Shanghai single window opened
2 December 2019 for class A, extended to class B in the free-trade and Yangtze-River-Delta
zones in June 2023; residence permit (work type) valid 90 days to 5 years, usually matching the
work permit; fee CNY 400 under 1 year, 800 from 1 year to under 3 years, 1,000 from 3 to 5
years; statutory 15 working days, Shanghai's single window 7 working days for the whole case.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from talent_portal.accounts.models import Zone

from . import classify
from .models import BusinessType


@dataclass(frozen=True)
class Eligibility:
    # New permits for someone in China (in-country, or the card after entry on a notice) and
    # transfers to a new employer (an in-country new permit with ``changing_employer``).
    business_types: frozenset
    # Classes eligible wherever the employer is.
    classes_everywhere: frozenset
    # Classes eligible only when the employer is in one of ``designated_zones``.
    classes_in_designated_zones: frozenset
    designated_zones: frozenset


ELIGIBILITY = Eligibility(
    business_types=frozenset({BusinessType.NEW_IN_COUNTRY, BusinessType.NEW_CARD}),
    classes_everywhere=frozenset({"A"}),
    classes_in_designated_zones=frozenset({"B"}),
    designated_zones=frozenset(
        {Zone.PUDONG_FREE_TRADE_ZONE, Zone.LINGANG, Zone.HONGQIAO, Zone.YANGTZE_DELTA_DEMO_ZONE}
    ),
)

# Fee bands of the residence permit: (validity shorter than this many years, fee in CNY).
FEE_BANDS = ((1, 400), (3, 800), (5, 1000))
MIN_VALIDITY = timedelta(days=90)
MAX_VALIDITY_YEARS = 5

# Rescheduling the passport hand-over is allowed until the day before the appointment.
RESCHEDULE_UNTIL_DAYS_BEFORE = 1
APPOINTMENT_SLOTS = ("09:00-10:30", "10:30-12:00", "13:30-15:00", "15:00-16:30")


def eligibility_problems(application, *, on: date, rules: Eligibility = ELIGIBILITY) -> list[str]:
    """Every reason this case cannot go through the single window (empty when it can)."""
    problems = []
    if application.business_type == BusinessType.NEW_NOTICE:
        problems.append(
            _(
                "Someone still abroad first applies for the work-permit notice; the single window "
                "is open after entry into China."
            )
        )
    elif application.business_type not in rules.business_types:
        problems.append(
            _(
                "The single window is for new permits of people already in China and for transfers "
                "to a new employer."
            )
        )
    talent_class = classify.talent_class(application, on=on)
    zone = application.organization.zone
    if not talent_class:
        problems.append(_("The class of the case is not known yet: complete the applicant's part first."))
    elif talent_class in rules.classes_everywhere:
        pass
    elif talent_class in rules.classes_in_designated_zones:
        if zone not in rules.designated_zones:
            problems.append(
                _(
                    "Class B talent can use the single window only when the employer is in a "
                    "free-trade or Yangtze River Delta zone."
                )
            )
    else:
        problems.append(
            _("The single window is for class A talent and, in designated zones, class B talent.")
        )
    return problems


def fee_for(valid_from: date, valid_until: date) -> int:
    """The residence permit's fee band for this validity (the last day included)."""
    end = valid_until + timedelta(days=1)
    for years, fee in FEE_BANDS:
        if end < valid_from + relativedelta(years=years):
            return fee
    return FEE_BANDS[-1][1]


def residence_valid_until(track, *, start: date, work_permit_valid_until: date) -> date:
    """The residence permit's last day: as requested, never past the work permit's (nor 5 years)."""
    months = min(track.requested_validity_months, MAX_VALIDITY_YEARS * 12)
    requested = start + relativedelta(months=months) - timedelta(days=1)
    return min(requested, work_permit_valid_until)


# A family member is a child (PIPL: a minor; information about children under 14 is sensitive)
# when declared as one or when under this age on the day the data is given.
ADULT_AGE = 18


def is_child(member: dict, *, on: date) -> bool:
    """Whether a family member's data (``relationship``, ``date_of_birth``) is a child's."""
    if member.get("relationship") == "child":
        return True
    born = member.get("date_of_birth")
    return born is not None and born > on - relativedelta(years=ADULT_AGE)


def guardian_consent_problem(family_members, *, consent: bool, on: date) -> str | None:
    """The translated field error when children's data comes without the guardian's consent."""
    if consent or not any(is_child(member, on=on) for member in family_members):
        return None
    return _(
        "The data of an accompanying child can be saved only with your consent as the child's parent "
        "or guardian: tick the box to give it."
    )


# The relationship of a family member as typed in the single-window form's list: its code or this
# word in any of the portal's languages (a Korean reader types 배우자, not "spouse").
RELATIONSHIP_WORDS = {
    "spouse": pgettext_lazy("family relationship, as typed in a list", "spouse"),
    "child": pgettext_lazy("family relationship, as typed in a list", "child"),
    "parent": pgettext_lazy("family relationship, as typed in a list", "parent"),
}
# The separators of that list's items: the ASCII semicolon, or the full-width one of CJK input.
FAMILY_LIST_SEPARATORS = (";", "；")


def relationship_from_typed(text: str) -> str | None:
    """The relationship code (``spouse``, ``child``, ``parent``) of a typed word, or None."""
    typed = " ".join(text.split()).casefold()
    for code, word in RELATIONSHIP_WORDS.items():
        if typed == code:
            return code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                if typed == str(word).casefold():
                    return code
    return None
