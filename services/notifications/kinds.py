"""The message kinds: what each one is called, who may switch its e-mail off, what it needs.

Adding a kind takes two steps: ``register(Kind(...))`` here or in the app that sends it (in its
``AppConfig.ready``), and the template triplet ``templates/emails/<code>.subject.txt``, ``.txt``
and ``.html`` (the HTML extends ``emails/notification.html``, the text ``emails/notification.txt``).
The rendering tests pick every registered kind up with its ``example`` context and render it in
the four languages.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# What every case event carries (permits' ``notify_case``); a kind declares the keys its
# templates need, which may be fewer.
CASE_KEYS = ("reference", "applicant_name", "organization", "state")


@dataclass(frozen=True)
class Kind:
    code: str
    label: object
    # Context keys the templates need; ``notification_create`` refuses a row without them.
    keys: tuple = ()
    # Legal notices go out by e-mail whatever the recipient's preferences say.
    legal: bool = False
    # Sent to an e-mail address without an account (no inbox, no preferences).
    email_only: bool = False
    # Context keys holding one-time links: blanked once the message went out.
    secret_keys: tuple = ()
    # A context of the right shape, for the rendering tests and previews.
    example: dict = field(default_factory=dict)
    # An example ``link`` (path without language prefix).
    example_link: str = "/applications/7a1c1c62-4d0b-4d8e-9a64-0d9a3c1f1e11/"


_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Declare a kind (once per code)."""
    if kind.code in _REGISTRY and _REGISTRY[kind.code] != kind:
        raise ValueError(f"Notification kind {kind.code!r} is registered twice.")
    _REGISTRY[kind.code] = kind
    return kind


def get(code: str) -> Kind:
    """The kind registered under ``code`` (``KeyError`` if none)."""
    return _REGISTRY[code]


def all_kinds() -> list[Kind]:
    return list(_REGISTRY.values())


_CASE = {
    "reference": "SH2026-7K3M-Q9TX",
    "applicant_name": "KIM MINJUN",
    "organization": "上海示例科技有限公司 (Shanghai Example Technology)",
    "state": "submitted",
}
_DEFECTS = [
    {"code": "photo_unusable", "text": "The photo does not show the whole face."},
    {"code": "contract_unsigned", "text": "The employment contract is not signed by the employer."},
]
_REASONS = [
    {"code": "salary_below_threshold", "text": "The salary is below the threshold of the claimed class."},
    {"code": "degree_unverified", "text": "The degree could not be verified."},
]

for _kind in (
    # --- Filing ------------------------------------------------------------------------------
    Kind(
        "application_submitted",
        _("Application submitted"),
        keys=CASE_KEYS,
        example={**_CASE},
    ),
    Kind(
        "application_withdrawn",
        _("Application withdrawn"),
        keys=CASE_KEYS,
        example={**_CASE, "state": "withdrawn"},
    ),
    Kind(
        "employer_confirmation_needed",
        _("An applicant asks your organisation to sponsor them"),
        keys=("reference", "organization"),
        example={**_CASE, "state": "draft"},
    ),
    Kind(
        "sponsorship_confirmed",
        _("The employer confirmed the sponsorship"),
        keys=("reference", "organization"),
        example={**_CASE, "state": "draft", "note": "Welcome to the team."},
    ),
    Kind(
        "sponsorship_declined",
        _("The employer declined the sponsorship"),
        keys=("reference", "organization"),
        example={**_CASE, "state": "draft", "note": "The position has been filled."},
    ),
    Kind(
        "application_invitation",
        _("Invitation to complete an application"),
        keys=("organization", "inviter", "reference", "accept_url"),
        email_only=True,
        secret_keys=("accept_url",),
        example={
            "organization": _CASE["organization"],
            "inviter": "Wang Fang",
            "reference": _CASE["reference"],
            "business_type": "new_notice",
            "business_type_label": "New permit: notice before entry (applicant abroad)",
            "accept_url": "/ko/applications/invitations/Zm9vYmFyYmF6cXV4LXRva2VuLWV4YW1wbGU/",
        },
        example_link="",
    ),
    Kind(
        "documents_answered",
        _("The applicant answered a request for documents"),
        keys=("reference",),
        example={"reference": _CASE["reference"]},
    ),
    # --- Decisions (the first three are legal notices: they cannot be switched off) ----------
    Kind(
        "application_returned",
        _("Application returned for correction"),
        keys=("reference", "applicant_name", "defects"),
        # Administrative Licensing Law art. 32: every correction must be told at once, in writing.
        legal=True,
        example={**_CASE, "state": "returned", "defects": _DEFECTS, "note": "Please correct both."},
    ),
    Kind(
        "application_accepted",
        _("Application accepted"),
        keys=("reference", "applicant_name", "target_date", "statutory_limit"),
        example={**_CASE, "state": "accepted", "target_date": "2026-03-16", "statutory_limit": "2026-03-30"},
    ),
    Kind(
        "documents_requested",
        _("Documents requested"),
        keys=("reference", "applicant_name", "requested", "respond_by", "days_left"),
        legal=True,
        example={
            **_CASE,
            "state": "awaiting_documents",
            "message": "Please send the authenticated degree certificate.",
            "requested": ["Highest degree (authenticated)", "Proof of work experience"],
            "respond_by": "2026-04-01",
            "days_left": 30,
        },
    ),
    Kind(
        "application_approved",
        _("Application approved"),
        keys=("reference", "applicant_name", "valid_until"),
        example={**_CASE, "state": "approved", "valid_until": "2028-03-31"},
    ),
    Kind(
        "application_refused",
        _("Application refused"),
        keys=(*CASE_KEYS, "reasons"),
        legal=True,
        example={**_CASE, "state": "refused", "reasons": _REASONS, "note": "The file was examined twice."},
    ),
    Kind(
        "permit_issued",
        _("Permit issued"),
        keys=("reference", "permit_number", "valid_until"),
        legal=True,
        example={
            **_CASE,
            "state": "issued",
            "permit_number": "156000000000000042",
            "valid_until": "2028-03-31",
        },
        example_link="/applications/permits/42/pdf/",
    ),
    # Used by the review code already (taken in by issue 6). `single_window_issued` is registered
    # by permits itself (PermitsConfig.ready); its templates are here with the others.
    Kind(
        "limit_extended",
        _("Time limit for the decision extended"),
        keys=("reference", "applicant_name", "statutory_limit"),
        # Administrative Licensing Law art. 42: the extension and its reason are told to the applicant.
        legal=True,
        example={
            **_CASE,
            "state": "under_review",
            "statutory_limit": "2026-04-13",
            "reason": "Expert opinion needed.",
        },
    ),
    Kind(
        "permit_revoked",
        _("Permit revoked"),
        keys=("reference", "applicant_name", "permit_number"),
        legal=True,
        example={**_CASE, "state": "issued", "permit_number": "156000000000000042"},
    ),
    # --- Reminders ---------------------------------------------------------------------------
    Kind(
        "permit_expiring",
        _("Work permit expiring"),
        keys=("permit_number", "holder_name", "valid_until", "days"),
        example={
            "permit_number": "156000000000000042",
            "holder_name": "KIM MINJUN",
            "valid_until": "2026-06-30",
            "days": 90,
            "days_left": 88,
        },
        example_link="/applications/",
    ),
    Kind(
        "notice_lapsing",
        _("Work-permit notice lapsing"),
        keys=("permit_number", "lapses_on"),
        example={
            "permit_number": "156000000000000043",
            "holder_name": "KIM MINJUN",
            "lapses_on": "2026-09-02",
        },
        example_link="/applications/",
    ),
    Kind(
        "entry_deadline",
        _("Deadline after entry into China"),
        keys=("which", "deadline"),
        example={**_CASE, "state": "issued", "which": "card", "deadline": "2026-03-17"},
    ),
    Kind(
        "document_expiring",
        _("Document expiring"),
        keys=("document", "lapses_on"),
        example={**_CASE, "document": "Health certificate", "lapses_on": "2026-03-20"},
    ),
    # --- Officers ----------------------------------------------------------------------------
    Kind(
        "target_passed",
        _("Target date passed"),
        keys=("reference", "target_date"),
        example={**_CASE, "target_date": "2026-03-09"},
    ),
    Kind(
        "statutory_near",
        _("Statutory time limit near"),
        keys=("reference", "statutory_limit", "working_days_left"),
        example={**_CASE, "state": "under_review", "statutory_limit": "2026-03-30", "working_days_left": 3},
    ),
    Kind(
        "statutory_breached",
        _("Statutory time limit breached"),
        keys=("reference", "statutory_limit"),
        example={**_CASE, "state": "under_review", "statutory_limit": "2026-03-30"},
    ),
    # --- Organisations -----------------------------------------------------------------------
    Kind(
        "organization_verified",
        _("Organisation verified"),
        keys=("organization",),
        example={"organization": _CASE["organization"], "note": ""},
        example_link="/accounts/organisations/12/",
    ),
    Kind(
        "organization_refused",
        _("Organisation verification refused"),
        keys=("organization", "note"),
        example={"organization": _CASE["organization"], "note": "The business licence is unreadable."},
        example_link="/accounts/organisations/12/",
    ),
    Kind(
        "hr_invitation",
        _("Invitation to join an organisation as HR staff"),
        keys=("organization", "inviter", "accept_url", "expires"),
        email_only=True,
        secret_keys=("accept_url",),
        example={
            "organization": _CASE["organization"],
            "inviter": "Wang Fang",
            "accept_url": "/ja/accounts/invitations/Zm9vYmFyYmF6cXV4LXRva2VuLWV4YW1wbGU/",
            "expires": "2026-03-16",
        },
        example_link="",
    ),
):
    register(_kind)
