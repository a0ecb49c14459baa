"""The case: applications, documents, history and issued permits."""

from .applications import Application, EntrepreneurTeam, new_reference
from .choices import (
    EDITABLE_STATES,
    FINAL_STATES,
    FOLLOW_UP_TYPES,
    NEW_PERMIT_TYPES,
    OPEN_STATES,
    UNDECIDED_STATES,
    BusinessType,
    ChangeKind,
    DeclarationKind,
    DeltaOrigin,
    Education,
    Route,
    Sex,
    SponsorshipStatus,
    State,
    TalentClass,
)
from .documents import DATED_KINDS, Document, DocumentKind, DocumentVersion, ReviewStatus
from .history import Pause, Transition
from .permits import Permit, PermitKind, PermitState

__all__ = [
    "DATED_KINDS",
    "EDITABLE_STATES",
    "FINAL_STATES",
    "FOLLOW_UP_TYPES",
    "NEW_PERMIT_TYPES",
    "OPEN_STATES",
    "UNDECIDED_STATES",
    "Application",
    "BusinessType",
    "ChangeKind",
    "DeclarationKind",
    "DeltaOrigin",
    "Document",
    "DocumentKind",
    "DocumentVersion",
    "Education",
    "EntrepreneurTeam",
    "Pause",
    "Permit",
    "PermitKind",
    "PermitState",
    "ReviewStatus",
    "Route",
    "Sex",
    "SponsorshipStatus",
    "State",
    "TalentClass",
    "Transition",
    "new_reference",
]
