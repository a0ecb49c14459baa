"""Which documents a case needs: computed from business type, route, class and pledge mode.

The table is data: one row per document kind with the business types it belongs to and the
conditions that add or waive it. Sources: the national work-permit service guide (2017),
Shanghai's no-meeting approval notices (2020–2021) and the Yangtze River Delta mutual
recognition notice (2020).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import BusinessType as T
from .models import DocumentKind as D
from .models import Route

NEW = frozenset({T.NEW_NOTICE, T.NEW_IN_COUNTRY})


@dataclass(frozen=True)
class Item:
    kind: str
    business_types: frozenset
    # Conditions, each a short name evaluated by ``_holds``.
    only_if: tuple = ()
    waived_if: tuple = ()
    hint: object = ""


CHECKLIST = (
    Item(
        D.PASSPORT,
        NEW | {T.NEW_CARD, T.EXTENSION, T.REISSUE},
        hint=_("The page with your photo and details."),
    ),
    Item(D.PASSPORT, frozenset({T.CHANGE}), only_if=("changes_passport",)),
    Item(
        D.PHOTO,
        NEW | {T.NEW_CARD, T.EXTENSION, T.REISSUE},
        hint=_("JPEG, at most 1 MB, at least 354 × 472 pixels, white background, taken within 6 months."),
    ),
    Item(D.HIGHEST_DEGREE, NEW, waived_if=("delta_recognition",)),
    Item(D.EXPERIENCE_PROOF, NEW, waived_if=("delta_recognition",)),
    Item(
        D.CRIMINAL_RECORD,
        NEW,
        waived_if=("delta_recognition", "pledge_at_good_employer"),
        hint=_("Issued within the last 6 months by the country of nationality or residence."),
    ),
    Item(D.HEALTH_CERTIFICATE, NEW | {T.NEW_CARD}, hint=_("Issued within the last 6 months.")),
    Item(D.EMPLOYMENT_CONTRACT, NEW | {T.EXTENSION}, waived_if=("entrepreneur",)),
    Item(D.EMPLOYMENT_CONTRACT, frozenset({T.CHANGE}), only_if=("changes_position",)),
    Item(D.TALENT_EVIDENCE, NEW, only_if=("claims_criteria",), waived_if=("delta_recognition",)),
    Item(D.VISA_OR_RESIDENCE, frozenset({T.NEW_IN_COUNTRY})),
    Item(D.ENTRY_RECORD, frozenset({T.NEW_CARD})),
    Item(D.RESIGNATION_PROOF, frozenset({T.NEW_IN_COUNTRY}), only_if=("changing_employer",)),
    Item(D.INCUBATION_AGREEMENT, NEW, only_if=("entrepreneur",)),
    Item(D.ORIGINAL_PERMIT, NEW, only_if=("delta_recognition",)),
    Item(D.CHANGE_PROOF, frozenset({T.CHANGE})),
    Item(D.JOB_END_PROOF, frozenset({T.CANCELLATION})),
    Item(D.LOSS_STATEMENT, frozenset({T.REISSUE})),
    # Single window: the residence track adds only what it alone needs (the rest is shared).
    Item(
        D.ACCOMMODATION_REGISTRATION,
        frozenset({T.NEW_IN_COUNTRY, T.NEW_CARD}),
        only_if=("single_window",),
        hint=_("The registration of temporary residence from the local police station."),
    ),
    # A health certificate issued abroad is not enough for the residence permit: it needs the
    # health-check record (or verification) of a Chinese exit-entry health centre.
    Item(
        D.HEALTH_CHECK_RECORD_CHINA,
        frozenset({T.NEW_IN_COUNTRY, T.NEW_CARD}),
        only_if=("single_window", "health_certificate_abroad"),
        hint=_(
            "Your health certificate was issued outside China: the residence permit needs the "
            "health-check record of a Chinese exit-entry health centre."
        ),
    ),
)


@dataclass(frozen=True)
class Facts:
    """What the checklist depends on, read from a case."""

    business_type: str
    route: str
    talent_class: str
    pledge: bool
    good_credit: bool
    claims_criteria: bool
    changing_employer: bool
    change_kinds: frozenset
    single_window: bool = False
    health_certificate_abroad: bool = False


def _holds(condition: str, facts: Facts) -> bool:
    return {
        "delta_recognition": facts.route == Route.DELTA_RECOGNITION,
        "entrepreneur": facts.route == Route.ENTREPRENEUR,
        "pledge_at_good_employer": facts.pledge and facts.good_credit,
        "claims_criteria": facts.claims_criteria or facts.talent_class == "A",
        "changing_employer": facts.changing_employer,
        "changes_passport": "passport" in facts.change_kinds,
        "changes_position": "position" in facts.change_kinds,
        "single_window": facts.single_window,
        "health_certificate_abroad": facts.health_certificate_abroad,
    }[condition]


def required_kinds(facts: Facts) -> list[str]:
    """The document kinds the case needs, in checklist order, each once."""
    kinds = []
    for item in CHECKLIST:
        if facts.business_type not in item.business_types:
            continue
        if not all(_holds(condition, facts) for condition in item.only_if):
            continue
        if any(_holds(condition, facts) for condition in item.waived_if):
            continue
        if item.kind not in kinds:
            kinds.append(item.kind)
    return kinds


def hint_for(kind: str):
    """The short guidance shown next to a document kind."""
    for item in CHECKLIST:
        if item.kind == kind and item.hint:
            return item.hint
    return ""
