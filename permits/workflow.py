"""The case workflow, declared once.

``STEPS`` is the whole transition table: for each action, the states it may start from, the
state it leads to, who may fire it, the guards that must pass, and what it does to the clock.
The same table drives the checks in ``permits.actions``, the buttons each person sees, the
API's allowed actions and the state diagram in ``docs/`` (``manage.py workflow_diagram``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talent_portal.accounts.models import Duty
from talent_portal.core.actors import is_system_actor

from . import rules
from .models import State


class Party(StrEnum):
    """The capacity in which someone acts on a case."""

    APPLICANT = "applicant"
    SPONSOR = "sponsor"
    OFFICER = "officer"
    LEAD_OFFICER = "lead_officer"
    EXIT_ENTRY_OFFICER = "exit_entry_officer"
    SYSTEM = "system"


PARTY_LABELS = {
    Party.APPLICANT: pgettext_lazy("party", "Applicant"),
    Party.SPONSOR: pgettext_lazy("party", "Employer"),
    Party.OFFICER: pgettext_lazy("party", "Work-permit officer"),
    Party.LEAD_OFFICER: pgettext_lazy("party", "Lead officer"),
    Party.EXIT_ENTRY_OFFICER: pgettext_lazy("party", "Exit-entry officer"),
    Party.SYSTEM: pgettext_lazy("party", "System"),
}


class Clock(StrEnum):
    """What a step does to the deadline clock."""

    NONE = "none"
    START_PRECHECK = "start_precheck"  # submission: the pre-check target starts
    START_REVIEW = "start_review"  # acceptance: review target and statutory limit start
    STOP = "stop"  # waiting for the applicant: the request's day is the last counted day
    RESUME = "resume"  # the applicant answered: counting resumes the next working day
    END = "end"  # decided or ended


# A guard returns None when the step may go ahead, else the translated reason it may not.
Guard = Callable[..., object]


@dataclass(frozen=True)
class Step:
    action: str
    label: object
    sources: frozenset
    target: State | None  # None: the case stays in its state
    parties: frozenset
    guards: tuple = ()
    clock: Clock = Clock.NONE
    # Steps that need a reason code or a comment from the actor.
    needs_reasons: bool = False
    needs_comment: bool = False
    # Shown to the applicant on the timeline (officers' internal steps are not).
    public: bool = True
    extra: dict = field(default_factory=dict)


OPEN_BEFORE_DECISION = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.RETURNED,
        State.ACCEPTED,
        State.UNDER_REVIEW,
        State.AWAITING_DOCUMENTS,
    }
)
FILERS = frozenset({Party.APPLICANT, Party.SPONSOR})
OFFICERS = frozenset({Party.OFFICER, Party.LEAD_OFFICER})

STEPS = (
    Step(
        "submit",
        _("Submit"),
        frozenset({State.DRAFT}),
        State.SUBMITTED,
        FILERS,
        guards=(rules.ready_to_submit,),
        clock=Clock.START_PRECHECK,
    ),
    Step(
        "resubmit",
        _("Submit again"),
        frozenset({State.RETURNED}),
        State.SUBMITTED,
        FILERS,
        guards=(rules.ready_to_submit,),
        clock=Clock.START_PRECHECK,
    ),
    Step(
        "withdraw",
        _("Withdraw"),
        OPEN_BEFORE_DECISION,
        State.WITHDRAWN,
        FILERS,
        clock=Clock.END,
    ),
    Step(
        "accept",
        _("Accept the file"),
        frozenset({State.SUBMITTED}),
        State.ACCEPTED,
        OFFICERS,
        guards=(rules.every_document_accepted,),
        clock=Clock.START_REVIEW,
    ),
    Step(
        "return",
        _("Return with the list of defects"),
        frozenset({State.SUBMITTED}),
        State.RETURNED,
        OFFICERS,
        guards=(rules.has_defects,),
        needs_reasons=True,
        clock=Clock.END,
    ),
    Step(
        "start_review",
        _("Start the review"),
        frozenset({State.ACCEPTED}),
        State.UNDER_REVIEW,
        OFFICERS,
        guards=(rules.assigned_to_actor,),
    ),
    Step(
        "request_documents",
        _("Ask for more documents"),
        frozenset({State.UNDER_REVIEW}),
        State.AWAITING_DOCUMENTS,
        OFFICERS,
        guards=(rules.assigned_to_actor,),
        needs_comment=True,
        clock=Clock.STOP,
    ),
    Step(
        "answer",
        _("Send the requested documents"),
        frozenset({State.AWAITING_DOCUMENTS}),
        State.UNDER_REVIEW,
        FILERS,
        guards=(rules.requested_documents_uploaded,),
        clock=Clock.RESUME,
    ),
    Step(
        "approve",
        _("Approve"),
        frozenset({State.UNDER_REVIEW}),
        State.APPROVED,
        OFFICERS,
        guards=(rules.assigned_to_actor, rules.no_second_officer_needed),
        clock=Clock.END,
    ),
    Step(
        "propose_approval",
        _("Propose approval to the lead officer"),
        frozenset({State.UNDER_REVIEW}),
        State.UNDER_REVIEW,
        OFFICERS,
        guards=(rules.assigned_to_actor, rules.second_officer_needed, rules.no_pending_proposal),
        public=False,
    ),
    Step(
        "propose_refusal",
        _("Propose refusal to the lead officer"),
        frozenset({State.UNDER_REVIEW, State.AWAITING_DOCUMENTS}),
        None,
        OFFICERS,
        guards=(rules.assigned_to_actor, rules.no_pending_proposal, rules.refusal_grounds_available),
        needs_reasons=True,
        public=False,
    ),
    Step(
        "confirm_proposal",
        _("Confirm the proposed decision"),
        frozenset({State.UNDER_REVIEW, State.AWAITING_DOCUMENTS}),
        None,
        frozenset({Party.LEAD_OFFICER}),
        guards=(rules.pending_proposal_by_someone_else,),
        clock=Clock.END,
    ),
    Step(
        "send_back_proposal",
        _("Send the proposal back"),
        frozenset({State.UNDER_REVIEW, State.AWAITING_DOCUMENTS}),
        None,
        frozenset({Party.LEAD_OFFICER}),
        guards=(rules.pending_proposal_by_someone_else,),
        needs_comment=True,
        public=False,
    ),
    Step(
        "extend_limit",
        _("Extend the statutory limit"),
        frozenset({State.ACCEPTED, State.UNDER_REVIEW, State.AWAITING_DOCUMENTS}),
        None,
        OFFICERS,
        guards=(rules.not_extended_yet,),
        needs_comment=True,
    ),
    Step(
        "issue",
        _("Issue the permit"),
        frozenset({State.APPROVED}),
        State.ISSUED,
        frozenset({Party.OFFICER, Party.LEAD_OFFICER, Party.SYSTEM}),
    ),
    Step(
        "close",
        _("Close"),
        OPEN_BEFORE_DECISION | {State.APPROVED},
        State.CLOSED,
        frozenset({Party.SYSTEM}),
        clock=Clock.END,
    ),
)

STEPS_BY_ACTION = {step.action: step for step in STEPS}

# --- Single window: the residence track ---------------------------------------------------------
# The work-permit track of a single-window case is the case itself (``STEPS``). The residence
# track runs beside it from acceptance, decided by exit-entry officers; its refusal needs a
# second exit-entry officer. ``issue``, ``close`` and ``withdraw`` are fired by the system when
# the case is issued or ends (rules between the tracks: ``permits.actions.residence``).
EXIT_ENTRY = frozenset({Party.EXIT_ENTRY_OFFICER})
TRACK_OPEN = frozenset(
    {State.DRAFT, State.ACCEPTED, State.UNDER_REVIEW, State.AWAITING_DOCUMENTS, State.APPROVED}
)

RESIDENCE_STEPS = (
    Step(
        "accept",
        _("Accept the file"),
        frozenset({State.DRAFT}),
        State.ACCEPTED,
        OFFICERS | {Party.SYSTEM},
        clock=Clock.START_REVIEW,
    ),
    Step(
        "start_review",
        _("Start the review"),
        frozenset({State.ACCEPTED}),
        State.UNDER_REVIEW,
        EXIT_ENTRY,
        guards=(rules.track_assigned_to_actor,),
    ),
    Step(
        "request_documents",
        _("Ask for more documents"),
        frozenset({State.UNDER_REVIEW}),
        State.AWAITING_DOCUMENTS,
        EXIT_ENTRY,
        guards=(rules.track_assigned_to_actor,),
        needs_comment=True,
        clock=Clock.STOP,
    ),
    Step(
        "answer",
        _("Send the requested documents"),
        frozenset({State.AWAITING_DOCUMENTS}),
        State.UNDER_REVIEW,
        FILERS,
        guards=(rules.track_requested_documents_uploaded,),
        clock=Clock.RESUME,
    ),
    Step(
        "approve",
        _("Approve"),
        frozenset({State.UNDER_REVIEW}),
        State.APPROVED,
        EXIT_ENTRY,
        guards=(
            rules.track_assigned_to_actor,
            rules.track_no_pending_proposal,
            rules.track_no_rejected_document,
        ),
        clock=Clock.END,
    ),
    Step(
        "propose_refusal",
        _("Propose refusal to a second exit-entry officer"),
        frozenset({State.UNDER_REVIEW, State.AWAITING_DOCUMENTS}),
        None,
        EXIT_ENTRY,
        guards=(
            rules.track_assigned_to_actor,
            rules.track_no_pending_proposal,
            rules.refusal_grounds_available,
        ),
        needs_reasons=True,
        public=False,
    ),
    Step(
        "confirm_refusal",
        _("Confirm the refusal"),
        frozenset({State.UNDER_REVIEW, State.AWAITING_DOCUMENTS}),
        State.REFUSED,
        EXIT_ENTRY,
        guards=(rules.track_pending_proposal_by_someone_else,),
        clock=Clock.END,
    ),
    Step(
        "send_back_proposal",
        _("Send the proposal back"),
        frozenset({State.UNDER_REVIEW, State.AWAITING_DOCUMENTS}),
        None,
        EXIT_ENTRY,
        guards=(rules.track_pending_proposal_by_someone_else,),
        needs_comment=True,
        public=False,
    ),
    Step(
        "issue",
        _("Issue the residence permit"),
        frozenset({State.APPROVED}),
        State.ISSUED,
        frozenset({Party.SYSTEM}),
    ),
    Step(
        "close",
        _("Close"),
        TRACK_OPEN,
        State.CLOSED,
        frozenset({Party.SYSTEM}),
        clock=Clock.END,
    ),
    Step(
        "withdraw",
        _("Withdraw"),
        TRACK_OPEN,
        State.WITHDRAWN,
        frozenset({Party.SYSTEM}),
        clock=Clock.END,
    ),
)

RESIDENCE_STEPS_BY_ACTION = {step.action: step for step in RESIDENCE_STEPS}

# Steps whose target depends on the decision being confirmed.
PROPOSAL_TARGETS = {"approval": State.APPROVED, "refusal": State.REFUSED}

ACTION_LABELS = {step.action: step.label for step in STEPS}


def step(action: str) -> Step:
    """The declared step for ``action`` (KeyError for an unknown action)."""
    return STEPS_BY_ACTION[action]


def residence_step(action: str) -> Step:
    """The declared step of the residence track for ``action`` (KeyError for an unknown action)."""
    return RESIDENCE_STEPS_BY_ACTION[action]


def parties_of(application, user, *, is_sponsor_member: bool) -> frozenset:
    """The capacities in which ``user`` may act on ``application``."""
    if user is None:
        return frozenset()
    if is_system_actor(user):
        return frozenset({Party.SYSTEM})
    parties = set()
    if application.applicant_id is not None and application.applicant_id == user.pk:
        parties.add(Party.APPLICANT)
    if is_sponsor_member:
        parties.add(Party.SPONSOR)
    if user.has_duty(Duty.WORK_PERMIT_OFFICER):
        parties.add(Party.OFFICER)
    if user.has_duty(Duty.LEAD_OFFICER):
        parties.add(Party.LEAD_OFFICER)
    if user.has_duty(Duty.EXIT_ENTRY_OFFICER):
        parties.add(Party.EXIT_ENTRY_OFFICER)
    return frozenset(parties)


def acting_party(step_: Step, parties: frozenset) -> Party | None:
    """The capacity the actor uses for this step (the most specific one they hold)."""
    for party in (
        Party.SYSTEM,
        Party.LEAD_OFFICER,
        Party.OFFICER,
        Party.EXIT_ENTRY_OFFICER,
        Party.SPONSOR,
        Party.APPLICANT,
    ):
        if party in parties and party in step_.parties:
            return party
    return None


def diagram() -> str:
    """The state diagram as Mermaid text, generated from ``STEPS``."""
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    for item in STEPS:
        for source in sorted(item.sources):
            targets = [item.target] if item.target is not None else [source]
            if item.action == "confirm_proposal":
                targets = list(PROPOSAL_TARGETS.values())
            for target in targets:
                who = ", ".join(sorted(item.parties))
                lines.append(f"    {source} --> {target}: {item.action} ({who})")
    lines.extend(f"    {final} --> [*]" for final in ("issued", "refused", "withdrawn", "closed"))
    return "\n".join(lines) + "\n"


def residence_diagram() -> str:
    """The residence track's state diagram as Mermaid text, generated from ``RESIDENCE_STEPS``."""
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    for item in RESIDENCE_STEPS:
        for source in sorted(item.sources):
            target = item.target if item.target is not None else source
            who = ", ".join(sorted(item.parties))
            lines.append(f"    {source} --> {target}: {item.action} ({who})")
    lines.extend(f"    {final} --> [*]" for final in ("issued", "refused", "withdrawn", "closed"))
    return "\n".join(lines) + "\n"


# The residence track's own steps on the one timeline (the shared names keep their labels).
for _step in RESIDENCE_STEPS:
    ACTION_LABELS.setdefault(_step.action, _step.label)
