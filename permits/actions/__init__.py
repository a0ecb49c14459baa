"""Every write on a case, by responsibility: the door of state changes, filing, documents."""

from .cases import (
    application_accept_invitation,
    application_answer,
    application_decide_sponsorship,
    application_declare,
    application_start_by_applicant,
    application_start_by_employer,
    application_submit,
    application_update_applicant_part,
    application_update_employer_part,
    application_withdraw,
    permit_record_entry,
    team_create,
)
from .documents import EMPLOYER_DOCUMENTS, document_upload
from .door import application_transition, notify_case

__all__ = [
    "EMPLOYER_DOCUMENTS",
    "application_accept_invitation",
    "application_answer",
    "application_declare",
    "application_decide_sponsorship",
    "application_start_by_applicant",
    "application_start_by_employer",
    "application_submit",
    "application_transition",
    "application_update_applicant_part",
    "application_update_employer_part",
    "application_withdraw",
    "document_upload",
    "notify_case",
    "permit_record_entry",
    "team_create",
]
