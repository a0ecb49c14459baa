"""The authorisation policy: for every URL of the portal, what each kind of actor gets.

Read a row as: the URL name, the objects its arguments point at (keys of the test's world, all
owned by applicant B or B's sponsor), and for each method the expected answer — a default
followed by the exceptions per actor (or per group of actors, see ``GROUPS``).

The vocabulary of answers:

``OK``            2xx, or a redirect to anything but the sign-in page
``LOGIN``         a redirect to the sign-in page (pages), or 401 (API)
``DENIED``        403: the actor may know the object exists but may not do this
``HIDDEN``        404: the object does not exist *for this actor* (its existence is private)
``NOT_ALLOWED``   405 (method) or 409 (not in the object's current state): permission passed
``INVALID``       400: permission passed, the (empty) input was refused
``REFUSED``       a page took the request and answered with an error message (2xx/3xx): the
                  action refused it — not this actor's to do, or not now
``OK_OR_INVALID`` either OK or INVALID: the permission checks were passed
``ADMIN_DECIDES`` (admin site, administrator) anything but the sign-in page or a server error

Pages answer most refusals with a message rather than a status, so the matrix proves for pages
who may reach an object (404 for everyone else) and that a refused action says so; the API rows
prove the 403/404/409 of each decision, and ``test_officer_only_fields.py`` that nothing changed.

The test (``test_authorization_matrix.py``) fails for any URL pattern missing here, for any
method a view accepts that a row does not list, and for every answer that differs.
"""

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse

OK = "OK"
LOGIN = "LOGIN"
DENIED = "DENIED"
HIDDEN = "HIDDEN"
NOT_ALLOWED = "NOT_ALLOWED"
INVALID = "INVALID"
REFUSED = "REFUSED"
OK_OR_INVALID = "OK_OR_INVALID"

# Inside the admin site, what the administrator may do is each model admin's business (many are
# read-only): anything but the sign-in page or a server error.
ADMIN_DECIDES = "ADMIN_DECIDES"

_ACCEPTS = {OK_OR_INVALID: {OK, INVALID}, ADMIN_DECIDES: {OK, INVALID, DENIED, HIDDEN, NOT_ALLOWED}}


def matches(expected: str, got: str) -> bool:
    return got in _ACCEPTS.get(expected, {expected})


ACTORS = (
    "anonymous",
    "applicant_a",  # someone else: a signed-in person with no tie to the objects
    "applicant_b",  # the owner of the application, documents, claim, registration, ...
    "sponsor_staff",  # administrator of B's sponsor (the organisation of the objects)
    "other_employer",  # administrator of another, verified employer
    "work_permit_officer",  # holds B's work-permit track (claimed, under review)
    "exit_entry_officer",  # holds B's residence track (claimed, under review)
    "lead_officer",  # work-permit officer and lead officer, not assigned to the case
    "station_staff",  # staff of the service station B asked for help
    "administrator",  # portal administrator (superuser, staff)
)

GROUPS = {
    "signed_in": ACTORS[1:],
    "employers": ("sponsor_staff", "other_employer"),
    "wp_officers": ("work_permit_officer", "lead_officer"),
    "officers": ("work_permit_officer", "exit_entry_officer", "lead_officer", "administrator"),
    # Who sees B's case (work-permit side): B, B's sponsor, the work-permit officers.
    "case_parties": ("applicant_b", "sponsor_staff", "work_permit_officer", "lead_officer"),
    # The residence side adds the exit-entry officer.
    "track_parties": (
        "applicant_b",
        "sponsor_staff",
        "work_permit_officer",
        "exit_entry_officer",
        "lead_officer",
    ),
    "filers": ("applicant_b", "sponsor_staff"),
    # The commission's reviewers of nominations and statistics.
    "commission": ("lead_officer", "administrator"),
}


def expect(default: str, **exceptions: str) -> dict:
    """Every actor gets ``default`` except those named (actors or ``GROUPS``; later wins)."""
    answers = dict.fromkeys(ACTORS, default)
    for who, answer in exceptions.items():
        for actor in GROUPS.get(who, (who,)):
            if actor not in answers:
                raise ValueError(f"Unknown actor {actor!r}")
            answers[actor] = answer
    return answers


# Shorthands for the common shapes.
def public() -> dict:
    return expect(OK)


def signed_in(answer: str = OK) -> dict:
    return expect(answer, anonymous=LOGIN)


@dataclass(frozen=True)
class Rule:
    name: str
    methods: dict  # method -> {actor: answer}
    kwargs: dict = field(default_factory=dict)  # URL argument -> key of the world's values
    api: bool = False
    body: str = ""  # key of the world's values holding a minimal body (e.g. the version seen)
    path_template: str = ""  # for unnamed (admin) patterns: the path, with {key} placeholders

    def path(self, values: dict) -> str:
        if self.path_template:
            return self.path_template.format(**values)
        if self.name.startswith("/"):  # an unnamed pattern, listed by its (English) path
            return self.name
        return reverse(self.name, kwargs={arg: values[key] for arg, key in self.kwargs.items()})


def page(*, kwargs=None, body="", **methods) -> dict:
    return {"kwargs": kwargs or {}, "methods": methods, "api": False, "body": body}


def api(*, kwargs=None, body="", **methods) -> dict:
    return {"kwargs": kwargs or {}, "methods": methods, "api": True, "body": body}


# === The table ================================================================================
# The world (see ``build_world`` in the test): ``case`` is B's single-window case, in review on
# both tracks — the work-permit track held by the work-permit officer, the residence track by
# the exit-entry officer; ``draft`` is B's draft; ``sponsor`` is B's employer; ``claim``,
# ``registration``, ``notification``, ``service_request``, ``token_key`` are B's; ``nomination``
# is the sponsor's nomination of B. Bodies named by ``body=`` carry the version the caller saw
# (and the least else an action needs), so that a state change reaches its permission check.

SIGNED_IN = signed_in(OK)
# Only the owner (or the owning organisation) sees it; everyone else: 404, never 403.
ONLY_B = expect(HIDDEN, anonymous=LOGIN, applicant_b=OK)
ONLY_SPONSOR = expect(HIDDEN, anonymous=LOGIN, sponsor_staff=OK)
# B's case, work-permit side: its parties see it.
CASE = expect(HIDDEN, anonymous=LOGIN, case_parties=OK)
# Officer-only pages: 404 for everyone else (no hint that the page exists).
WP_OFFICERS = expect(HIDDEN, anonymous=LOGIN, wp_officers=OK)
EXIT_ENTRY = expect(HIDDEN, anonymous=LOGIN, exit_entry_officer=OK)
COMMISSION = expect(HIDDEN, anonymous=LOGIN, commission=OK)
STATION = expect(HIDDEN, anonymous=LOGIN, station_staff=OK)
# An officer's decision on B's case (API): the filers see the case, so they are refused (403);
# the other officers and strangers do not see it (404).
WP_DECISION = expect(HIDDEN, anonymous=LOGIN, filers=DENIED, wp_officers=OK)
WP_DECISION_NOT_NOW = expect(HIDDEN, anonymous=LOGIN, filers=DENIED, wp_officers=NOT_ALLOWED)
# The same on the residence track: only the exit-entry officer decides.
EE_DECISION = expect(HIDDEN, anonymous=LOGIN, case_parties=DENIED, exit_entry_officer=OK)
EE_DECISION_NOT_NOW = expect(HIDDEN, anonymous=LOGIN, case_parties=DENIED, exit_entry_officer=NOT_ALLOWED)

TABLE = {
    # --- Root: health, permit verification, language, API schema --------------------------------
    "healthz": page(GET=public(), POST=public()),
    # A permit's QR token nobody issued: not found, for everyone.
    "verify": page(kwargs={"token": "bogus_token"}, GET=expect(HIDDEN), POST=expect(HIDDEN)),
    "healthz-live": page(GET=public(), POST=public()),
    "healthz-ready": page(GET=public(), POST=public()),
    # Scraped from an allowed network (the test client's loopback address) or with a token;
    # from anywhere else it is a 404 (tests/operations cover that side).
    "metrics": page(GET=public()),
    "set_language": page(POST=public()),
    "api-schema": api(GET=public()),
    "api-docs": api(GET=public()),
    # The admin's sign-in page is the portal's (officers sign in with two factors there).
    "/en/admin/login/": page(
        GET=expect(LOGIN), POST=expect(LOGIN), PUT=expect(LOGIN), PATCH=expect(LOGIN), DELETE=expect(LOGIN)
    ),
    # --- Operations: reference data for the portal administrator ---------------------------------
    "operations:reference_data": page(
        GET=expect(HIDDEN, anonymous=LOGIN, administrator=OK),
        POST=expect(HIDDEN, anonymous=LOGIN, administrator=OK),
    ),
    # --- Dashboards -----------------------------------------------------------------------------
    "dashboards:public_home": page(GET=public(), POST=public()),
    "dashboards:home": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "dashboards:nomination_permits": page(kwargs={"pk": "nomination"}, GET=COMMISSION, POST=COMMISSION),
    "dashboards:statistics": page(
        GET=expect(HIDDEN, anonymous=LOGIN, officers=OK), POST=expect(HIDDEN, anonymous=LOGIN, officers=OK)
    ),
    "dashboards:statistics_csv": page(
        GET=expect(HIDDEN, anonymous=LOGIN, officers=OK), POST=expect(HIDDEN, anonymous=LOGIN, officers=OK)
    ),
    "dashboards:statistics_xlsx": page(
        GET=expect(HIDDEN, anonymous=LOGIN, officers=OK), POST=expect(HIDDEN, anonymous=LOGIN, officers=OK)
    ),
    "dashboards:employer": page(kwargs={"organization_id": "sponsor"}, GET=ONLY_SPONSOR, POST=ONLY_SPONSOR),
    "dashboards:employer_extensions": page(
        kwargs={"organization_id": "sponsor"}, body="extensions_window", POST=ONLY_SPONSOR
    ),
    # B's permit document: B's alone (B's permit of the world has no document yet: refused).
    "dashboards:holder_document": page(
        kwargs={"number": "permit_number"},
        GET=expect(HIDDEN, anonymous=LOGIN, applicant_b=REFUSED),
        POST=expect(HIDDEN, anonymous=LOGIN, applicant_b=REFUSED),
    ),
    # --- Accounts: registration, sign-in, two-factor, profile, privacy --------------------------
    "accounts:register": page(GET=public(), POST=public()),
    "accounts:register_employer": page(GET=public(), POST=public()),
    "accounts:verify_email": page(kwargs={"token": "bogus_token"}, GET=expect(HIDDEN), POST=expect(HIDDEN)),
    # Always "if an account uses this address, a link is on its way", then the sign-in page.
    "accounts:resend_verification": page(POST=expect(LOGIN)),
    "accounts:login": page(GET=public(), POST=public()),
    "accounts:logout": page(POST=public()),
    # The second step of signing in: only for someone half-way through it (nobody here is).
    "accounts:two_factor": page(GET=expect(LOGIN), POST=expect(LOGIN)),
    "accounts:two_factor_enrol": page(GET=expect(LOGIN), POST=expect(LOGIN)),
    "accounts:two_factor_backup_codes": page(
        GET=expect(HIDDEN, anonymous=LOGIN, officers=OK), POST=expect(HIDDEN, anonymous=LOGIN, officers=OK)
    ),
    "accounts:session_keepalive": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "accounts:form_draft": page(POST=signed_in(INVALID)),
    "accounts:form_draft_restore": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "accounts:profile": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "accounts:confirm_email_change": page(
        kwargs={"token": "bogus_token"}, GET=expect(HIDDEN), POST=expect(HIDDEN)
    ),
    "accounts:privacy_notice": page(GET=public(), POST=public()),
    "accounts:personal_data": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "accounts:personal_data_download": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "accounts:correction_requests": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "accounts:password_change": page(GET=SIGNED_IN, POST=SIGNED_IN, PUT=SIGNED_IN),
    "accounts:password_reset": page(GET=public(), POST=public(), PUT=public()),
    "accounts:password_reset_done": page(GET=public()),
    # A reset link nobody was sent: the page says the link is invalid.
    "accounts:password_reset_confirm": page(
        kwargs={"uidb64": "bogus_uid", "token": "bogus_token"}, GET=public(), POST=public(), PUT=public()
    ),
    "accounts:password_reset_complete": page(GET=public()),
    # --- Accounts: API tokens (B's token) -------------------------------------------------------
    "accounts:api_tokens": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "accounts:api_token_revoke": page(kwargs={"token_key": "token_key"}, POST=ONLY_B),
    "api:tokens": api(GET=SIGNED_IN),
    # From a browser session only (a leaked token cannot mint more); DRF answers 403, not 401,
    # to a caller without a session, as session authentication has no challenge to offer.
    "api:token-create": api(POST=expect(INVALID, anonymous=DENIED)),
    "api:token": api(kwargs={"token_key": "token_key"}, DELETE=ONLY_B),
    "api:me": api(GET=SIGNED_IN),
    # --- Accounts: organisations (the sponsor; a colleague's membership) -----------------------
    "accounts:organization": page(kwargs={"pk": "sponsor"}, GET=ONLY_SPONSOR, POST=ONLY_SPONSOR),
    "accounts:member_remove": page(
        kwargs={"pk": "sponsor", "membership_id": "colleague_membership"}, POST=ONLY_SPONSOR
    ),
    "accounts:member_make_administrator": page(
        kwargs={"pk": "sponsor", "membership_id": "colleague_membership"}, POST=ONLY_SPONSOR
    ),
    # An invitation to join the sponsor, addressed to B. The link's holder learns which
    # organisation invites; only B may accept it (others are told it is for another address;
    # a visitor is asked to sign in first).
    "accounts:accept_invitation": page(
        kwargs={"token": "membership_invitation"},
        GET=public(),
        POST=expect(REFUSED, anonymous=OK, applicant_b=OK),
    ),
    "accounts:organizations_to_verify": page(GET=WP_OFFICERS, POST=WP_OFFICERS),
    "accounts:organization_review": page(
        kwargs={"pk": "pending_organization"}, GET=WP_OFFICERS, POST=WP_OFFICERS
    ),
    "api:organizations": api(GET=SIGNED_IN, POST=signed_in(INVALID)),
    "api:organization": api(kwargs={"pk": "sponsor"}, GET=ONLY_SPONSOR),
    "api:organization-members": api(kwargs={"pk": "sponsor"}, GET=ONLY_SPONSOR),
    "api:organization-member": api(
        kwargs={"pk": "sponsor", "membership_id": "colleague_membership"}, DELETE=ONLY_SPONSOR
    ),
    "api:organization-transfer-administrator": api(
        kwargs={"pk": "sponsor"}, POST=expect(HIDDEN, anonymous=LOGIN, sponsor_staff=INVALID)
    ),
    "api:organization-invitations": api(
        kwargs={"pk": "sponsor"}, POST=expect(HIDDEN, anonymous=LOGIN, sponsor_staff=INVALID)
    ),
    # --- Work permits: lists, starting, public look-ups, queues ---------------------------------
    "permits:my_applications": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "permits:application_start": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "permits:status_lookup": page(GET=public(), POST=public()),
    "permits:verify_lookup": page(GET=public(), POST=public()),
    "permits:queue": page(GET=WP_OFFICERS, POST=WP_OFFICERS),
    "permits:residence_queue": page(GET=EXIT_ENTRY, POST=EXIT_ENTRY),
    "api:applications": api(GET=SIGNED_IN, POST=signed_in(INVALID)),
    "api:permits": api(GET=SIGNED_IN),
    "api:status-lookup": api(POST=expect(INVALID)),
    "api:teams": api(POST=signed_in(INVALID)),
    "api:cancellation-requests": api(POST=signed_in(INVALID)),
    "api:queue": api(GET=WP_OFFICERS),
    "api:residence-queue": api(GET=EXIT_ENTRY),
    # --- Work permits: the sponsor's pages ------------------------------------------------------
    "permits:employer_staff": page(
        kwargs={"organization_id": "sponsor"}, GET=ONLY_SPONSOR, POST=ONLY_SPONSOR
    ),
    "permits:employer_start": page(
        kwargs={"organization_id": "sponsor"}, GET=ONLY_SPONSOR, POST=ONLY_SPONSOR
    ),
    "permits:team_new": page(kwargs={"organization_id": "sponsor"}, GET=ONLY_SPONSOR, POST=ONLY_SPONSOR),
    "permits:cancellation_request": page(
        kwargs={"organization_id": "sponsor"}, GET=ONLY_SPONSOR, POST=ONLY_SPONSOR
    ),
    # The sponsor's invitation to B to take the applicant's part of a draft: only B accepts.
    "permits:accept_invitation": page(
        kwargs={"token": "application_invitation"},
        GET=public(),
        POST=expect(DENIED, anonymous=OK, applicant_b=OK),
    ),
    "api:application-invitation-accept": api(
        kwargs={"token": "application_invitation"}, POST=expect(DENIED, anonymous=LOGIN, applicant_b=OK)
    ),
    # B reports entering China on B's permit.
    "permits:permit_entry": page(kwargs={"permit_id": "permit"}, POST=ONLY_B),
    "api:permit-entry": api(
        kwargs={"permit_id": "permit"}, POST=expect(HIDDEN, anonymous=LOGIN, applicant_b=INVALID)
    ),
    # --- Work permits: B's case, pages ----------------------------------------------------------
    "permits:application": page(kwargs={"public_id": "case"}, GET=CASE, POST=CASE),
    "permits:review": page(kwargs={"public_id": "case"}, GET=CASE, POST=CASE),
    # The applicant's part of B's draft: B's alone to edit.
    "permits:part_step": page(
        kwargs={"public_id": "draft", "slug": "part_identity"}, GET=ONLY_B, POST=ONLY_B
    ),
    # Reading B's passport on B's draft: the parties of the draft reach it (an empty post is
    # refused with a message); a reading nobody started is not found.
    "permits:passport_reading": page(
        kwargs={"public_id": "draft"}, POST=expect(HIDDEN, anonymous=LOGIN, filers=REFUSED)
    ),
    "permits:passport_reading_status": page(
        kwargs={"public_id": "draft", "reading_id": "bogus_token"},
        GET=expect(HIDDEN, anonymous=LOGIN),
        POST=expect(HIDDEN, anonymous=LOGIN),
    ),
    # The filers' buttons on a case in review: refused with a message (not now), for the parties.
    "permits:declare": page(
        kwargs={"public_id": "case"},
        body="case_version",
        POST=expect(HIDDEN, anonymous=LOGIN, case_parties=REFUSED),
    ),
    "permits:submit": page(
        kwargs={"public_id": "case"},
        body="case_version",
        POST=expect(HIDDEN, anonymous=LOGIN, case_parties=REFUSED),
    ),
    # The filers may withdraw a case in review; the officers may not.
    "permits:withdraw": page(
        kwargs={"public_id": "case"},
        body="case_version",
        POST=expect(HIDDEN, anonymous=LOGIN, filers=OK, wp_officers=REFUSED),
    ),
    "permits:answer": page(
        kwargs={"public_id": "case"},
        body="case_version",
        POST=expect(HIDDEN, anonymous=LOGIN, case_parties=REFUSED),
    ),
    "permits:sponsorship": page(
        kwargs={"public_id": "case"}, POST=expect(HIDDEN, anonymous=LOGIN, case_parties=REFUSED)
    ),
    "permits:document_upload": page(
        kwargs={"public_id": "case"}, POST=expect(HIDDEN, anonymous=LOGIN, case_parties=REFUSED)
    ),
    # The passport is shared with the residence track: the exit-entry officer opens it too.
    "permits:document_download": page(
        kwargs={"public_id": "case", "version_id": "version"},
        GET=expect(HIDDEN, anonymous=LOGIN, track_parties=OK),
        POST=expect(HIDDEN, anonymous=LOGIN, track_parties=OK),
    ),
    "permits:notice_download": page(kwargs={"public_id": "case", "notice_id": "notice"}, GET=CASE, POST=CASE),
    "permits:decide": page(
        kwargs={"public_id": "case", "action": "decide_approve"}, body="approve_case", POST=WP_OFFICERS
    ),
    "permits:residence_track": page(kwargs={"public_id": "case"}, GET=EXIT_ENTRY, POST=EXIT_ENTRY),
    "permits:single_window": page(
        kwargs={"public_id": "case"},
        GET=expect(HIDDEN, anonymous=LOGIN, filers=OK),
        POST=expect(HIDDEN, anonymous=LOGIN, filers=OK),
    ),
    # One door for every residence button: the parties of the track reach it, the action refuses
    # all but the exit-entry officer (a visitor gets 404 rather than the sign-in page).
    "permits:residence_decide": page(
        kwargs={"public_id": "case", "action": "residence_approve"},
        body="track_version",
        POST=expect(HIDDEN, case_parties=REFUSED, exit_entry_officer=OK),
    ),
    # --- Work permits: B's case, API (filers) ---------------------------------------------------
    "api:application": api(kwargs={"public_id": "case"}, GET=CASE),
    # The pre-check report: whoever may see the case (as its detail's submission problems).
    "api:application-precheck": api(kwargs={"public_id": "case"}, GET=CASE),
    # B's draft: B edits the applicant's part, the sponsor the employer's; officers never see
    # a draft.
    "api:application-applicant-part": api(
        kwargs={"public_id": "draft"},
        body="draft_applicant_part",
        PATCH=expect(HIDDEN, anonymous=LOGIN, applicant_b=OK, sponsor_staff=DENIED),
    ),
    "api:application-employer-part": api(
        kwargs={"public_id": "draft"},
        body="draft_employer_part",
        PATCH=expect(HIDDEN, anonymous=LOGIN, applicant_b=DENIED, sponsor_staff=OK),
    ),
    # The employer declares; the case is past that stage.
    "api:application-declare": api(
        kwargs={"public_id": "case"},
        body="case_version",
        POST=expect(
            HIDDEN, anonymous=LOGIN, applicant_b=DENIED, sponsor_staff=NOT_ALLOWED, wp_officers=DENIED
        ),
    ),
    "api:application-submit": api(
        kwargs={"public_id": "case"},
        body="case_version",
        POST=expect(HIDDEN, anonymous=LOGIN, filers=NOT_ALLOWED, wp_officers=DENIED),
    ),
    "api:application-withdraw": api(
        kwargs={"public_id": "case"},
        body="case_version",
        POST=expect(HIDDEN, anonymous=LOGIN, filers=OK, wp_officers=DENIED),
    ),
    "api:application-answer": api(
        kwargs={"public_id": "case"},
        body="case_version",
        POST=expect(HIDDEN, anonymous=LOGIN, filers=NOT_ALLOWED, wp_officers=DENIED),
    ),
    # Only members of the named employer decide sponsorship; to anyone else the door is not there.
    "api:application-sponsorship": api(
        kwargs={"public_id": "case"}, POST=expect(HIDDEN, anonymous=LOGIN, sponsor_staff=NOT_ALLOWED)
    ),
    # An empty upload is refused as input once the caller may see the case.
    "api:application-documents": api(
        kwargs={"public_id": "case"}, POST=expect(HIDDEN, anonymous=LOGIN, case_parties=INVALID)
    ),
    "api:application-document": api(
        kwargs={"public_id": "case", "version_id": "version"},
        GET=expect(HIDDEN, anonymous=LOGIN, track_parties=OK),
    ),
    # --- Work permits: B's case, API (officers' decisions) -------------------------------------
    "api:application-document-review": api(
        kwargs={"public_id": "case", "version_id": "version"}, body="accept_document", POST=WP_DECISION
    ),
    # Held by the work-permit officer already: the lead officer cannot claim it.
    "api:application-claim": api(
        kwargs={"public_id": "case"},
        POST=expect(HIDDEN, anonymous=LOGIN, filers=DENIED, work_permit_officer=OK, lead_officer=NOT_ALLOWED),
    ),
    "api:application-release": api(kwargs={"public_id": "case"}, POST=WP_DECISION),
    # Lead officers reassign.
    "api:application-reassign": api(
        kwargs={"public_id": "case"},
        body="reassign_to_lead",
        POST=expect(HIDDEN, anonymous=LOGIN, filers=DENIED, work_permit_officer=DENIED, lead_officer=OK),
    ),
    "api:application-accept": api(
        kwargs={"public_id": "case"}, body="case_version", POST=WP_DECISION_NOT_NOW
    ),
    "api:application-return": api(kwargs={"public_id": "case"}, body="case_note", POST=WP_DECISION_NOT_NOW),
    "api:application-start_review": api(
        kwargs={"public_id": "case"}, body="case_version", POST=WP_DECISION_NOT_NOW
    ),
    "api:application-request_documents": api(
        kwargs={"public_id": "case"}, body="ask_for_documents", POST=WP_DECISION
    ),
    "api:application-approve": api(kwargs={"public_id": "case"}, body="approve_case", POST=WP_DECISION),
    "api:application-propose_refusal": api(
        kwargs={"public_id": "case"}, body="case_note", POST=WP_DECISION_NOT_NOW
    ),
    # Lead officers confirm or send back proposals (there is none on this case).
    "api:application-confirm_proposal": api(
        kwargs={"public_id": "case"},
        body="case_version",
        POST=expect(
            HIDDEN, anonymous=LOGIN, filers=DENIED, work_permit_officer=DENIED, lead_officer=NOT_ALLOWED
        ),
    ),
    "api:application-send_back_proposal": api(
        kwargs={"public_id": "case"},
        body="case_note",
        POST=expect(
            HIDDEN, anonymous=LOGIN, filers=DENIED, work_permit_officer=DENIED, lead_officer=NOT_ALLOWED
        ),
    ),
    "api:application-extend_limit": api(kwargs={"public_id": "case"}, body="case_note", POST=WP_DECISION),
    "api:application-confirm_class": api(kwargs={"public_id": "case"}, POST=WP_DECISION),
    "api:application-override_class": api(
        kwargs={"public_id": "case"}, body="override_class", POST=WP_DECISION
    ),
    # --- Single window: the residence track (API) -----------------------------------------------
    "api:application-single-window": api(
        kwargs={"public_id": "case"}, POST=expect(HIDDEN, anonymous=LOGIN, filers=NOT_ALLOWED)
    ),
    "api:application-residence": api(
        kwargs={"public_id": "case"}, GET=expect(HIDDEN, anonymous=LOGIN, track_parties=OK)
    ),
    "api:application-residence-claim": api(
        kwargs={"public_id": "case"}, body="track_version", POST=EE_DECISION
    ),
    "api:application-residence-start_review": api(
        kwargs={"public_id": "case"}, body="track_version", POST=EE_DECISION_NOT_NOW
    ),
    "api:application-residence-request_documents": api(
        kwargs={"public_id": "case"}, body="track_ask_for_documents", POST=EE_DECISION
    ),
    # The filers answer a request for documents (there is none open).
    "api:application-residence-answer": api(
        kwargs={"public_id": "case"},
        body="track_note",
        POST=expect(
            HIDDEN, anonymous=LOGIN, filers=NOT_ALLOWED, wp_officers=DENIED, exit_entry_officer=DENIED
        ),
    ),
    "api:application-residence-approve": api(
        kwargs={"public_id": "case"}, body="track_version", POST=EE_DECISION
    ),
    "api:application-residence-propose_refusal": api(
        kwargs={"public_id": "case"}, body="track_note", POST=EE_DECISION_NOT_NOW
    ),
    "api:application-residence-confirm_refusal": api(
        kwargs={"public_id": "case"}, body="track_version", POST=EE_DECISION_NOT_NOW
    ),
    "api:application-residence-send_back_proposal": api(
        kwargs={"public_id": "case"}, body="track_note", POST=EE_DECISION_NOT_NOW
    ),
    # Fees and appointments come after approval: not now, for those who may.
    "api:application-residence-pay_fee": api(
        kwargs={"public_id": "case"},
        body="pay_fee",
        POST=expect(HIDDEN, anonymous=LOGIN, filers=NOT_ALLOWED, exit_entry_officer=NOT_ALLOWED),
    ),
    "api:application-residence-book_appointment": api(
        kwargs={"public_id": "case"},
        body="book_appointment",
        POST=expect(HIDDEN, anonymous=LOGIN, filers=NOT_ALLOWED, exit_entry_officer=NOT_ALLOWED),
    ),
    "api:application-residence-passport_returned": api(
        kwargs={"public_id": "case"}, body="track_version", POST=EE_DECISION_NOT_NOW
    ),
    "api:application-residence-review_document": api(
        kwargs={"public_id": "case"}, body="track_review_document", POST=EE_DECISION
    ),
    # --- Classification: B's recognition claim through the sponsor -----------------------------
    "classification:self_assessment": page(GET=public(), POST=public()),
    "classification:start_application": page(POST=public()),
    "classification:catalogue": page(GET=public(), POST=public()),
    "classification:claims": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "classification:claim_create": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "classification:claim": page(kwargs={"pk": "claim"}, GET=CASE, POST=CASE),
    "classification:claim_add_evidence": page(
        kwargs={"pk": "claim"}, POST=expect(HIDDEN, anonymous=LOGIN, case_parties=REFUSED)
    ),
    "classification:claim_evidence": page(
        kwargs={"pk": "claim", "evidence_pk": "evidence"}, GET=CASE, POST=CASE
    ),
    # The sponsor certifies; B and the officers are refused.
    "classification:claim_certify": page(
        kwargs={"pk": "claim"},
        POST=expect(HIDDEN, anonymous=LOGIN, case_parties=REFUSED, sponsor_staff=OK),
    ),
    # Not certified yet: the officers' decision is refused (not now).
    "classification:claim_decide": page(
        kwargs={"pk": "claim"}, POST=expect(HIDDEN, anonymous=LOGIN, wp_officers=REFUSED)
    ),
    "classification:employer_claims": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "classification:officer_claims": page(GET=WP_OFFICERS, POST=WP_OFFICERS),
    "api:classification-assessments": api(POST=expect(INVALID)),
    "api:classification-catalogue": api(GET=public()),
    "api:classification-claims": api(GET=SIGNED_IN, POST=signed_in(INVALID)),
    "api:classification-claim": api(kwargs={"pk": "claim"}, GET=CASE),
    "api:classification-claim-certify": api(
        kwargs={"pk": "claim"}, POST=expect(HIDDEN, anonymous=LOGIN, case_parties=DENIED, sponsor_staff=OK)
    ),
    "api:classification-claim-recognise": api(
        kwargs={"pk": "claim"}, POST=expect(HIDDEN, anonymous=LOGIN, filers=DENIED, wp_officers=NOT_ALLOWED)
    ),
    "api:classification-claim-refuse": api(
        kwargs={"pk": "claim"},
        body="refuse_claim",
        POST=expect(HIDDEN, anonymous=LOGIN, filers=DENIED, wp_officers=NOT_ALLOWED),
    ),
    "api:classification-claim-evidence": api(kwargs={"pk": "claim", "evidence_id": "evidence"}, GET=CASE),
    # --- Notifications: B's inbox entry ---------------------------------------------------------
    "notifications:inbox": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "notifications:bell": page(GET=public(), POST=public()),
    "notifications:mark_all_read": page(POST=SIGNED_IN),
    "notifications:preferences": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "notifications:open": page(kwargs={"pk": "notification"}, POST=ONLY_B),
    "notifications:mark_read": page(kwargs={"pk": "notification"}, POST=ONLY_B),
    "api:notifications": api(GET=SIGNED_IN),
    "api:notifications-unread": api(GET=SIGNED_IN),
    "api:notifications-read-all": api(POST=SIGNED_IN),
    "api:notification-read": api(kwargs={"pk": "notification"}, POST=ONLY_B),
    # --- Outreach: events, B's registration, the sponsor's intention to hire B ------------------
    "outreach:events": page(GET=public(), POST=public()),
    "outreach:calendar": page(GET=public(), POST=public()),
    "outreach:events_feed": page(GET=public(), POST=public()),
    "outreach:event": page(kwargs={"pk": "event"}, GET=public(), POST=public()),
    "outreach:event_ics": page(kwargs={"pk": "event"}, GET=public(), POST=public()),
    # B is registered already.
    "outreach:event_register": page(
        kwargs={"pk": "event"}, POST=expect(OK, anonymous=LOGIN, applicant_b=REFUSED)
    ),
    "outreach:intention_create": page(
        kwargs={"pk": "event"},
        GET=expect(HIDDEN, anonymous=LOGIN, employers=OK),
        POST=expect(HIDDEN, anonymous=LOGIN, employers=OK),
    ),
    "outreach:my_registrations": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "outreach:registration": page(kwargs={"pk": "registration"}, GET=ONLY_B, POST=ONLY_B),
    "outreach:registration_cancel": page(kwargs={"pk": "registration"}, POST=ONLY_B),
    "outreach:intention_answer": page(kwargs={"pk": "intention"}, POST=ONLY_B),
    "outreach:check_in": page(
        GET=expect(HIDDEN, anonymous=LOGIN, station_staff=OK, administrator=OK),
        POST=expect(HIDDEN, anonymous=LOGIN, station_staff=OK, administrator=OK),
    ),
    "outreach:intention_report": page(GET=COMMISSION, POST=COMMISSION),
    "api:outreach-events": api(GET=public()),
    "api:outreach-event": api(kwargs={"pk": "event"}, GET=public()),
    "api:outreach-event-register": api(
        kwargs={"pk": "event"}, POST=expect(OK, anonymous=LOGIN, applicant_b=NOT_ALLOWED)
    ),
    "api:outreach-registrations": api(GET=SIGNED_IN),
    "api:outreach-registration": api(kwargs={"pk": "registration"}, GET=ONLY_B),
    "api:outreach-registration-cancel": api(kwargs={"pk": "registration"}, POST=ONLY_B),
    "api:outreach-check-in": api(POST=signed_in(INVALID)),
    "api:outreach-liaison-offices": api(GET=public()),
    "api:outreach-service-stations": api(GET=public()),
    # --- Outreach: the sponsor's nomination of B (the nominee does not see it) ------------------
    "outreach:nominations": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "outreach:nomination_create": page(
        GET=expect(HIDDEN, anonymous=LOGIN, employers=OK), POST=expect(HIDDEN, anonymous=LOGIN, employers=OK)
    ),
    "outreach:nomination": page(
        kwargs={"pk": "nomination"},
        GET=expect(HIDDEN, anonymous=LOGIN, sponsor_staff=OK, commission=OK),
        POST=expect(HIDDEN, anonymous=LOGIN, sponsor_staff=OK, commission=OK),
    ),
    "outreach:nomination_material": page(
        kwargs={"pk": "nomination", "material_pk": "material"},
        GET=expect(HIDDEN, anonymous=LOGIN, sponsor_staff=OK, commission=OK),
        POST=expect(HIDDEN, anonymous=LOGIN, sponsor_staff=OK, commission=OK),
    ),
    # Endorsing and declining are the supervising unit's (not an actor here): refused.
    "outreach:nomination_endorse": page(
        kwargs={"pk": "nomination"},
        POST=expect(HIDDEN, anonymous=LOGIN, sponsor_staff=REFUSED, commission=REFUSED),
    ),
    "outreach:nomination_decline": page(
        kwargs={"pk": "nomination"},
        POST=expect(HIDDEN, anonymous=LOGIN, sponsor_staff=REFUSED, commission=REFUSED),
    ),
    "outreach:nomination_withdraw": page(
        kwargs={"pk": "nomination"},
        POST=expect(HIDDEN, anonymous=LOGIN, sponsor_staff=OK, commission=REFUSED),
    ),
    # Not endorsed yet: the commission's review and outcome are refused (not now).
    "outreach:nomination_review": page(
        kwargs={"pk": "nomination"}, POST=expect(HIDDEN, anonymous=LOGIN, commission=REFUSED)
    ),
    "outreach:nomination_outcome": page(
        kwargs={"pk": "nomination"}, POST=expect(HIDDEN, anonymous=LOGIN, commission=REFUSED)
    ),
    "outreach:nomination_review_list": page(GET=COMMISSION, POST=COMMISSION),
    # --- Outreach: directory and B's service request to the station -----------------------------
    "outreach:liaison_offices": page(GET=public(), POST=public()),
    "outreach:service_stations": page(GET=public(), POST=public()),
    "outreach:service_requests": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "outreach:service_request_create": page(GET=SIGNED_IN, POST=SIGNED_IN),
    "outreach:service_request": page(
        kwargs={"pk": "service_request"},
        GET=expect(HIDDEN, anonymous=LOGIN, applicant_b=OK, station_staff=OK),
        POST=expect(HIDDEN, anonymous=LOGIN, applicant_b=OK, station_staff=OK),
    ),
    "outreach:service_request_close": page(
        kwargs={"pk": "service_request"},
        POST=expect(HIDDEN, anonymous=LOGIN, applicant_b=OK, station_staff=OK),
    ),
    "outreach:station_queue": page(GET=STATION, POST=STATION),
}


# === The admin site ===========================================================================
# Every admin URL (listed programmatically from the URL configuration, one rule for all): only
# the portal administrator (a superuser) gets in; everyone else is sent to sign in.

ADMIN_ANSWERS = {
    "GET": expect(LOGIN, administrator=ADMIN_DECIDES),
    "POST": expect(LOGIN, administrator=ADMIN_DECIDES),
}
ADMIN_SPECIAL = {
    # Shadowed by ``/en/admin/login/``, which sends everyone to the portal's sign-in page.
    "admin:login": {"GET": expect(LOGIN), "POST": expect(LOGIN)},
    # Signing out is POST-only for the administrator and harmless for anyone.
    "admin:logout": {"GET": expect(OK, administrator=NOT_ALLOWED), "POST": expect(OK)},
}
ADMIN_PLACEHOLDERS = {
    "object_id": "{admin_object}",
    "id": "{admin_object}",
    "pk": "{admin_object}",
    "content_type_id": "1",
    "app_label": "accounts",
    "url": "no-such-admin-page/",
}


def _admin_path(route: str) -> str:
    """A concrete path for an admin route (``<path:object_id>``, ``(?P<app_label>...)``...)."""

    def converter(match):
        return ADMIN_PLACEHOLDERS[match.group(1).split(":")[-1]]

    def group(match):
        return ADMIN_PLACEHOLDERS[match.group(1)]

    path = re.sub(r"\(\?P<(\w+)>[^()]*\)", group, route)
    path = re.sub(r"<([^>]+)>", converter, path)
    return "/" + path.lstrip("^").replace("^", "").replace("$", "")


# === Walking the URL configuration ============================================================


def url_patterns():
    """(full name or None, route, pattern) for every pattern, recursively, i18n prefix included."""

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern, route, inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
                yield name, route, namespace, pattern

    yield from walk(get_resolver(), "", None)


def _admin_rules():
    for name, route, namespace, _pattern in url_patterns():
        if namespace != "admin":
            continue
        methods = ADMIN_SPECIAL.get(name, ADMIN_ANSWERS)
        if name:
            yield Rule(name=name, methods=methods, path_template=_admin_path(route))
        else:
            yield Rule(name=f"admin <{route}>", methods=methods, path_template=_admin_path(route))


def rules() -> list:
    table = [Rule(name=name, **entry) for name, entry in TABLE.items()]
    return table + list(_admin_rules())


def table_key(name, route) -> str:
    """How the table names a pattern: its full name, or ``/its/path/`` when it has none."""
    return name or f"/{route}"


def coverage() -> tuple[list, list]:
    """(URL patterns the table misses, table names that match no pattern)."""
    missing, seen = [], set()
    for name, route, namespace, _pattern in url_patterns():
        if namespace == "admin":
            continue
        key = table_key(name, route)
        seen.add(key)
        if key not in TABLE:
            missing.append(f"{key}: /{route}")
    unknown = sorted(set(TABLE) - seen)
    return missing, unknown


def accepted_methods(callback) -> set:
    """The methods a view answers (HEAD and OPTIONS aside).

    Class-based views (DRF or Django) answer the methods they have handlers for; function views
    wrapped in ``require_http_methods`` answer its list; other function views answer anything,
    which the table records as GET and POST.
    """
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        return {
            method.upper()
            for method in view_class.http_method_names
            if method not in ("options", "head", "trace") and hasattr(view_class, method)
        }
    function = callback
    while function is not None:
        for cell, name in zip(function.__closure__ or (), function.__code__.co_freevars, strict=False):
            if name == "request_method_list":
                return set(cell.cell_contents) - {"HEAD", "OPTIONS"}
        function = getattr(function, "__wrapped__", None)
    return {"GET", "POST"}


def method_problems() -> list:
    problems = []
    for name, route, namespace, pattern in url_patterns():
        name = table_key(name, route)
        if namespace == "admin" or name not in TABLE:
            continue
        accepted = accepted_methods(pattern.callback)
        listed = set(TABLE[name]["methods"])
        if accepted != listed:
            problems.append(f"{name}: the view accepts {sorted(accepted)}, the table lists {sorted(listed)}")
        for method, answers in TABLE[name]["methods"].items():
            if set(answers) != set(ACTORS):
                problems.append(f"{name} {method}: answers for {sorted(answers)} instead of every actor")
    return problems
