"""Reads of cases and permits, always scoped to the requesting user."""

from datetime import timedelta

from django.db.models import BooleanField, DateField, F, Func, Prefetch, Q, QuerySet, Value

from talent_portal.accounts.models import Duty, Membership
from talent_portal.core.workdays import is_provisional

from . import deadlines, parts, rules, workflow
from .models import (
    Application,
    BusinessType,
    Document,
    DocumentVersion,
    Permit,
    PermitState,
    State,
    Transition,
)
from .validity import GRANTING_TYPES


def _officer(user) -> bool:
    return user.has_duty(Duty.WORK_PERMIT_OFFICER) or user.has_duty(Duty.LEAD_OFFICER)


def _member_organization_ids(user):
    return Membership.objects.active().filter(user=user).values("organization_id")


def applications_visible_to(user) -> QuerySet[Application]:
    """Cases the user may see: their own, their organisations' and, for officers, every filed case."""
    if not user.is_authenticated:
        return Application.objects.none()
    condition = (
        Q(applicant=user)
        | Q(organization_id__in=_member_organization_ids(user))
        | Q(requested_by_id__in=_member_organization_ids(user))
    )
    if _officer(user):
        condition |= ~Q(state=State.DRAFT)
    return Application.objects.filter(condition).select_related("organization", "applicant", "source_permit")


def application_detail(user, public_id) -> Application | None:
    """One case with what its page needs, or None when the user may not see it."""
    documents = Document.objects.prefetch_related(
        Prefetch(
            "versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
        )
    )
    return (
        applications_visible_to(user)
        .prefetch_related(Prefetch("documents", queryset=documents), "pauses")
        .filter(public_id=public_id)
        .first()
    )


def my_applications(user) -> QuerySet[Application]:
    """The applicant's own cases, newest first."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(applicant=user).select_related("organization").order_by("-created_at")


def permits_of(user) -> QuerySet[Permit]:
    """The permits a person holds."""
    if not user.is_authenticated:
        return Permit.objects.none()
    return (
        Permit.objects.filter(holder=user)
        .select_related("organization", "application")
        .order_by("-valid_from")
    )


def permits_visible_to(user) -> QuerySet[Permit]:
    if not user.is_authenticated:
        return Permit.objects.none()
    condition = Q(holder=user) | Q(organization_id__in=_member_organization_ids(user))
    if _officer(user):
        return Permit.objects.all().select_related("organization", "holder")
    return Permit.objects.filter(condition).select_related("organization", "holder")


def timeline(user, application) -> list[Transition]:
    """The history shown to this user: officers also see internal steps."""
    transitions = application.transitions.select_related("actor").order_by("at", "id")
    if not _officer(user):
        transitions = transitions.filter(internal=False)
    return list(transitions)


def is_sponsor_member(user, application) -> bool:
    """Whether ``user`` acts for the employer side of the case (or the new employer that asked)."""
    organizations = [application.organization_id]
    if application.requested_by_id:
        organizations.append(application.requested_by_id)
    return Membership.objects.active().filter(user=user, organization_id__in=organizations).exists()


def allowed_steps(user, application) -> list:
    """The declared steps this user could fire now (their guards are checked on submission)."""
    parties = workflow.parties_of(application, user, is_sponsor_member=is_sponsor_member(user, application))
    return [
        step
        for step in workflow.STEPS
        if application.state in step.sources
        and workflow.acting_party(step, parties) is not None
        and workflow.Party.SYSTEM not in parties
    ]


def parties_of(user, application) -> frozenset:
    return workflow.parties_of(application, user, is_sponsor_member=is_sponsor_member(user, application))


def what_is_needed(user, application) -> dict:
    """What the case waits for, from whom and by when — for the case page."""
    today = deadlines.today()
    info = {
        "employer_missing": parts.employer_missing(application),
        "applicant_missing": parts.applicant_missing(application),
        "submission_problems": [],
        "respond_by": application.respond_by,
        "target_date": application.target_date,
        "statutory_limit": application.statutory_limit,
        # A date in a year whose State Council schedule is not published yet is an estimate.
        "provisional": any(
            day is not None and is_provisional(day)
            for day in (application.target_date, application.statutory_limit)
        ),
    }
    if application.state in (State.DRAFT, State.RETURNED):
        info["submission_problems"] = rules.submission_problems(
            application, on=today
        ) + rules.single_window_problems(application, on=today)
    return info


def checklist_rows(application) -> list[dict]:
    """Each required document with its current version and its earlier ones."""
    from .checklist import hint_for
    from .models import DocumentKind

    today = deadlines.today()
    labels = dict(DocumentKind.choices)
    by_kind = {document.kind: document for document in application.documents.all()}
    rows = []
    for kind in rules.required_documents(application, on=today):
        document = by_kind.get(kind)
        versions = list(document.versions.all()) if document else []
        current = versions[0] if versions else None
        rows.append(
            {
                "kind": kind,
                "label": labels[kind],
                "hint": hint_for(kind),
                "current": current,
                "earlier": versions[1:],
                "dated": kind in rules.DATED_KINDS,
                "lapse_date": rules.lapse_date(current.issue_date)
                if current and current.issue_date
                else None,
            }
        )
    return rows


def document_version_for(user, public_id, version_id) -> DocumentVersion | None:
    """A document version the user may download, or None."""
    application = applications_visible_to(user).filter(public_id=public_id).first()
    if application is None:
        application = _single_window_case_for_exit_entry(user, public_id)
    if application is None:
        return None
    return DocumentVersion.objects.filter(pk=version_id, document__application=application).first()


def _single_window_case_for_exit_entry(user, public_id) -> Application | None:
    """For an exit-entry officer, a case with a filed residence track (its documents are shared).

    Ordinary cases (no residence track) are never reached this way.
    """
    if not _exit_entry(user):
        return None
    return (
        Application.objects.filter(public_id=public_id, residence_track__isnull=False)
        .exclude(residence_track__state=State.DRAFT)
        .first()
    )


def sponsored_staff(user, organization, *, state=None, expiring_within_days=None) -> dict:
    """An employer's view: its cases and its valid permits, with filters."""
    if not Membership.objects.active().filter(user=user, organization=organization).exists():
        return {"applications": Application.objects.none(), "permits": Permit.objects.none()}
    applications = Application.objects.filter(organization=organization).select_related("applicant")
    if state:
        applications = applications.filter(state=state)
    permits = (
        Permit.objects.filter(organization=organization).select_related("holder").order_by("valid_until")
    )
    if expiring_within_days:
        limit = deadlines.today() + timedelta(days=expiring_within_days)
        permits = permits.filter(state=PermitState.VALID, valid_until__lte=limit)
    return {"applications": applications.order_by("-created_at"), "permits": permits}


def public_status(reference: str, date_of_birth) -> Application | None:
    """The case matching a reference and the applicant's date of birth (nothing personal is shown)."""
    reference = reference.strip().upper()
    return (
        Application.objects.filter(reference=reference, date_of_birth=date_of_birth)
        .exclude(state=State.DRAFT)
        .first()
    )


# --- The officers' queue ------------------------------------------------------------------------

QUEUE_STATES = (State.SUBMITTED, State.ACCEPTED, State.UNDER_REVIEW, State.AWAITING_DOCUMENTS, State.APPROVED)
NEAR_BREACH_WORKING_DAYS = 3


def officer_queue(user, *, filters: dict | None = None) -> QuerySet[Application]:
    """Cases waiting for work-permit officers, in deadline order (target date, then id)."""
    from talent_portal.core.crypto import keyed_digest

    if not _officer(user):
        return Application.objects.none()
    filters = filters or {}
    today = deadlines.today()
    cases = Application.objects.filter(state__in=filters.get("states") or QUEUE_STATES).select_related(
        "organization", "assigned_officer", "assessment"
    )
    if filters.get("business_type"):
        cases = cases.filter(business_type=filters["business_type"])
    if filters.get("route"):
        cases = cases.filter(route=filters["route"])
    if filters.get("talent_class"):
        cases = cases.filter(
            Q(assessment__confirmed_category=filters["talent_class"])
            | Q(assessment__confirmed_category="", assessment__computed_category=filters["talent_class"])
        )
    if filters.get("organization"):
        cases = cases.filter(organization_id=filters["organization"])
    if filters.get("assigned") == "me":
        cases = cases.filter(assigned_officer=user)
    elif filters.get("assigned") == "nobody":
        cases = cases.filter(assigned_officer__isnull=True)
    if filters.get("overdue"):
        cases = cases.filter(target_date__lt=today)
    if filters.get("in_breach"):
        cases = cases.filter(statutory_limit__lt=today)
    if filters.get("due_within_days") is not None:
        cases = cases.filter(target_date__lte=deadlines.add_working_days(today, filters["due_within_days"]))
    query = (filters.get("q") or "").strip()
    if query:
        cases = cases.filter(
            Q(reference__iexact=query)
            | Q(organization__name_zh__icontains=query)
            | Q(organization__name_en__icontains=query)
            | Q(surname__icontains=query)
            | Q(given_names__icontains=query)
            | Q(passport_digest=keyed_digest(query))
        )
    return cases.order_by("target_date", "id")


def queue_flags(application, *, today) -> dict:
    """How urgent a case is, computed without queries (for the queue's highlighting)."""
    record = application.assessment
    return _flags(
        target_date=application.target_date,
        statutory_limit=application.statutory_limit,
        claimed=record.claimed_category if record else "",
        computed=record.computed_category if record else "",
        confirmed=record.confirmed_category if record else "",
        has_record=record is not None,
        today=today,
        near_limit=_near_limit(today) if application.statutory_limit else None,
    )


def _near_limit(today):
    """The last day a statutory limit counts as near: ``NEAR_BREACH_WORKING_DAYS`` working days on."""
    return deadlines.add_working_days(today, NEAR_BREACH_WORKING_DAYS)


def _flags(*, target_date, statutory_limit, claimed, computed, confirmed, has_record, today, near_limit):
    return {
        "overdue": bool(target_date and target_date < today),
        "in_breach": bool(statutory_limit and statutory_limit < today),
        "near_breach": bool(statutory_limit and today <= statutory_limit <= near_limit),
        "class_mismatch": bool(has_record and claimed and claimed != computed),
        "talent_class": (confirmed or computed) if has_record else "",
    }


# A queue row is read as the columns it shows (``values()``): no model instances (a case, its
# employer, its officer and its assessment per row), and no decryption (no encrypted column is
# shown). ``QueueRow`` gives templates and callers attribute access to them.
QUEUE_COLUMNS = (
    "id",
    "public_id",
    "reference",
    "business_type",
    "route",
    "state",
    "version",
    "surname",
    "given_names",
    "sponsorship",
    "submitted_at",
    "target_date",
    "statutory_limit",
    "created_at",
    "assessment_id",
)
# Joined columns, by the name a row gives them (plain look-ups compile faster than annotations).
QUEUE_RELATED_COLUMNS = {
    "organization_name": "organization__name_zh",
    "officer_name": "assigned_officer__full_name",
    "assessment_claimed": "assessment__claimed_category",
    "assessment_computed": "assessment__computed_category",
    "assessment_confirmed": "assessment__confirmed_category",
}


class QueueRow(dict):
    """One case of the queue as a dict of its shown columns, also readable as attributes."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def get_state_display(self) -> str:
        """Like the model's: shared includes (``permits/_state.html``) render a row as a case."""
        return self["state_label"]

    def get_business_type_display(self) -> str:
        return self["business_type_label"]


def queue_values(cases: QuerySet[Application]) -> QuerySet[dict]:
    """The queue's cases (``officer_queue``) as the columns a row shows, in the queue's order."""
    return cases.values(*QUEUE_COLUMNS, *QUEUE_RELATED_COLUMNS.values())


def queue_rows(values, *, today) -> list[QueueRow]:
    """Rows of ``queue_values`` with their names, labels and flags; the near-breach date once."""
    values = list(values)
    near_limit = _near_limit(today) if any(value["statutory_limit"] for value in values) else None
    business_types = {value: str(label) for value, label in BusinessType.choices}
    states = {value: str(label) for value, label in State.choices}
    rows = []
    for value in values:
        row = QueueRow(value)
        for name, lookup in QUEUE_RELATED_COLUMNS.items():
            row[name] = row.pop(lookup)
        row["pk"] = row["id"]
        row["applicant_name"] = " ".join(part for part in (row["surname"], row["given_names"]) if part)
        row["business_type_label"] = business_types.get(row["business_type"], row["business_type"])
        row["state_label"] = states.get(row["state"], row["state"])
        row["flags"] = _flags(
            target_date=row["target_date"],
            statutory_limit=row["statutory_limit"],
            claimed=row["assessment_claimed"],
            computed=row["assessment_computed"],
            confirmed=row["assessment_confirmed"],
            has_record=row["assessment_id"] is not None,
            today=today,
            near_limit=near_limit,
        )
        rows.append(row)
    return rows


class RowComparison(Func):
    """``(a, b) > (x, y)`` (or ``<``) as one SQL row comparison.

    PostgreSQL starts an index range scan on (a, b) at the given row, so that a keyset page at
    any depth reads one page of the index; ``a > x OR (a = x AND b > y)`` makes it start at the
    first entry of ``x`` and filter (SQLite understands row values too).
    """

    output_field = BooleanField()

    def __init__(self, columns, operator, values):
        if operator not in (">", "<") or len(columns) != len(values):
            raise ValueError("A row comparison takes as many columns as values, with > or <.")
        self.operator = operator
        super().__init__(*columns, *values)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        half = len(parts) // 2
        return f"({', '.join(parts[:half])}) {self.operator} ({', '.join(parts[half:])})", params


def queue_after(cases, *, target_date, pk, reverse=False):
    """The queue's cases after (or, reversed, before) the case at (target date, id)."""
    return cases.filter(
        RowComparison(
            (F("target_date"), F("id")),
            "<" if reverse else ">",
            (Value(target_date, output_field=DateField()), Value(pk)),
        )
    )


def officers(user) -> QuerySet:
    """Work-permit officers, for a lead officer's reassignment."""
    from talent_portal.accounts.models import User

    if not user.has_duty(Duty.LEAD_OFFICER):
        return User.objects.none()
    return (
        User.objects.filter(groups__name__in=[Duty.WORK_PERMIT_OFFICER, Duty.LEAD_OFFICER], is_active=True)
        .distinct()
        .order_by("full_name")
    )


def officer_panel(user, application) -> dict:
    """What an officer's case page needs beyond the applicant's view."""
    from . import numbering
    from .models import ReasonCode, ReasonKind

    if not _officer(user):
        return {}
    reasons = list(ReasonCode.objects.filter(active=True))
    return {
        "defect_reasons": [reason for reason in reasons if reason.kind == ReasonKind.DEFECT],
        "refusal_reasons": [reason for reason in reasons if reason.kind == ReasonKind.REFUSAL],
        "notes": list(application.internal_notes.select_related("author")),
        "holder_candidates": numbering.holder_candidates(application),
        "officers": officers(user),
        "flags": queue_flags(application, today=deadlines.today()),
        "grants_validity": application.business_type in GRANTING_TYPES,
        "audit": _document_views(application),
    }


def _document_views(application) -> list:
    from talent_portal.core.models import AuditEvent

    version_ids = [
        str(pk)
        for pk in DocumentVersion.objects.filter(document__application=application).values_list(
            "pk", flat=True
        )
    ]
    return list(
        AuditEvent.objects.filter(
            action="document_viewed", object_type="permits.documentversion", object_id__in=version_ids
        )
        .select_related("actor")
        .order_by("-at")[:50]
    )


def keyset_page(cases, *, after: str, size: int, today=None) -> tuple[list[QueueRow], str]:
    """One page of a queue ordered by (target date, id), after the cursor ``date_id``.

    The rows are ``QueueRow`` (see ``queue_rows``); the cursor condition is a row comparison,
    so a deep page starts in the index where its rows are.
    """
    from datetime import date

    if after:
        try:
            after_date, after_id = after.split("_")
            cursor_date, cursor_id = date.fromisoformat(after_date), int(after_id)
        except ValueError:
            cursor_date = cursor_id = None
        if cursor_id is not None:
            cases = queue_after(cases, target_date=cursor_date, pk=cursor_id)
    values = queue_values(cases.filter(target_date__isnull=False).order_by("target_date", "id"))
    rows = queue_rows(values[: size + 1], today=today or deadlines.today())
    next_cursor = ""
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = f"{last.target_date.isoformat()}_{last.pk}"
    return rows, next_cursor


# --- Single window: the residence track ---------------------------------------------------------

RESIDENCE_QUEUE_STATES = (State.ACCEPTED, State.UNDER_REVIEW, State.AWAITING_DOCUMENTS, State.APPROVED)


def _exit_entry(user) -> bool:
    return user.is_authenticated and user.has_duty(Duty.EXIT_ENTRY_OFFICER)


def residence_queue(user, *, assigned: str = "", state: str = "", overdue: bool = False):
    """The exit-entry officers' queue: residence tracks only, by target date then id.

    Filters: ``state`` (one of the queue's states; others are ignored), ``assigned`` ("me" or
    "nobody") and ``overdue`` (target date passed).
    """
    from .models import ResidenceTrack

    if not _exit_entry(user):
        return ResidenceTrack.objects.none()
    states = [state] if state in RESIDENCE_QUEUE_STATES else RESIDENCE_QUEUE_STATES
    tracks = ResidenceTrack.objects.filter(state__in=states).select_related(
        "application__organization", "assigned_officer"
    )
    if overdue:
        tracks = tracks.filter(target_date__lt=deadlines.today())
    if assigned == "me":
        tracks = tracks.filter(assigned_officer=user)
    elif assigned == "nobody":
        tracks = tracks.filter(assigned_officer__isnull=True)
    return tracks.order_by("target_date", "id")


def residence_track_for(user, public_id):
    """A case's residence track for the filers, officers of the case and exit-entry officers; else None.

    Exit-entry officers reach a case only through its residence track (never its work-permit side).
    """
    from .models import ResidenceTrack

    if not user.is_authenticated:
        return None
    tracks = ResidenceTrack.objects.select_related(
        "application__organization", "application__applicant", "assigned_officer", "proposal_by"
    ).prefetch_related("family_members")
    if _exit_entry(user):
        track = tracks.filter(application__public_id=public_id).exclude(state=State.DRAFT).first()
        if track is not None:
            return track
    case = applications_visible_to(user).filter(public_id=public_id).values_list("pk", flat=True).first()
    if case is None:
        return None
    return tracks.filter(application_id=case).first()


def residence_timeline(user, track) -> list[Transition]:
    transitions = track.application.transitions.filter(track="residence").select_related("actor")
    if not (_exit_entry(user) or _officer(user)):
        transitions = transitions.filter(internal=False)
    return list(transitions.order_by("at", "id"))


def residence_allowed_steps(user, track) -> list:
    parties = parties_of(user, track.application)
    if workflow.Party.SYSTEM in parties:
        return []
    return [
        step
        for step in workflow.RESIDENCE_STEPS
        if track.state in step.sources
        and workflow.acting_party(step, parties) is not None
        and step.action != "accept"
    ]


def reasons(kind: str) -> list:
    """The active reason codes of a kind (defects, grounds of refusal), for an officer's choice."""
    from .models import ReasonCode

    return list(ReasonCode.objects.filter(kind=kind, active=True))


# Steps of the residence desk that a pending refusal proposal opens or closes.
_ON_A_PROPOSAL = frozenset({"confirm_refusal", "send_back_proposal"})
_CLOSED_BY_A_PROPOSAL = frozenset({"approve", "propose_refusal", "request_documents"})


def residence_desk_steps(user, track) -> list:
    """The buttons of the exit-entry officer's page: the allowed steps that make sense now.

    A second officer is offered the confirmation of someone else's proposal, and only then; while
    a proposal waits, nobody is offered a new decision on the track.
    """
    pending = bool(track.proposal_kind)
    return [
        step
        for step in residence_allowed_steps(user, track)
        if not (step.action in _ON_A_PROPOSAL and (not pending or track.proposal_by_id == user.pk))
        and not (step.action in _CLOSED_BY_A_PROPOSAL and pending)
    ]


def shared_documents(application) -> list[dict]:
    """The case's documents as the residence side sees them: kind, latest version, both sides' decisions."""
    from .models import ResidenceDocumentDecision

    decisions = dict(
        ResidenceDocumentDecision.objects.filter(track__application=application).values_list(
            "version_id", "status"
        )
    )
    rows = []
    for document in application.documents.prefetch_related("versions").order_by("kind"):
        versions = sorted(document.versions.all(), key=lambda version: version.number, reverse=True)
        if versions:
            rows.append(
                {
                    "kind": document.kind,
                    "label": document.get_kind_display(),
                    "version": versions[0],
                    "residence_status": decisions.get(versions[0].pk, ""),
                }
            )
    return rows


def tracks_side_by_side(application) -> list[dict] | None:
    """For one timeline: each track's state, what it waits for, its target date (its permit once
    issued); None for ordinary cases."""
    from .models import ResidencePermit, ResidenceTrack

    track = ResidenceTrack.objects.filter(application=application).first()
    if track is None:
        return None
    # Once issued (together), each card shows its permit instead of a target date.
    work_permit = (
        application.issued_permits.order_by("-id").first() if application.state == State.ISSUED else None
    )
    residence_permit = (
        ResidencePermit.objects.filter(track=track).first() if track.state == State.ISSUED else None
    )
    return [
        {
            "track": "work",
            "state": application.state,
            "state_label": application.get_state_display(),
            "target_date": application.target_date,
            "waiting_for": _waiting_for(application.state),
            "permit": work_permit,
        },
        {
            "track": "residence",
            "state": track.state,
            "state_label": track.get_state_display(),
            "target_date": track.target_date,
            "waiting_for": _waiting_for(track.state),
            "closed_reason": track.closed_reason,
            "permit": residence_permit,
        },
    ]


def _waiting_for(state: str) -> str:
    from django.utils.translation import gettext as _

    return {
        State.DRAFT: _("the filing"),
        State.SUBMITTED: _("the pre-check"),
        State.RETURNED: _("your corrections"),
        State.ACCEPTED: _("an officer to start the review"),
        State.UNDER_REVIEW: _("the officer's decision"),
        State.AWAITING_DOCUMENTS: _("the documents requested from you"),
        State.APPROVED: _("the other track, to issue both permits together"),
    }.get(state, "")


def expected_date(application):
    """The expected date of the whole case (a single-window case waits for its later track)."""
    return deadlines.expected_date(application)


def single_window_offered(application, parties) -> bool:
    """The filers of an editable new-permit case in China are offered the single window."""
    from .residence import ELIGIBILITY

    return (
        application.is_editable
        and application.business_type in ELIGIBILITY.business_types
        and bool(parties & workflow.FILERS)
    )


def invitation_preview(token: str) -> dict | None:
    """What an open invitation is about, for the person holding its link (None once used or invalid)."""
    import hashlib

    application = (
        Application.objects.select_related("organization")
        .filter(invitation_token_digest=hashlib.sha256(token.encode()).hexdigest(), applicant__isnull=True)
        .exclude(invitation_token_digest="")
        .first()
    )
    if application is None:
        return None
    return {
        "organization": application.organization.display_name,
        "business_type": application.get_business_type_display(),
        "reference": application.reference,
    }
