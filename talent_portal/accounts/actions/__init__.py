"""Every write on people, organisations, memberships and API tokens, by responsibility.

Each action is guard-first, does its whole change in one transaction, and appends an audit
event in that transaction.
"""

from .drafts import form_draft_save, form_draft_take
from .memberships import (
    invitation_accept,
    invitation_create,
    invitation_find,
    membership_remove,
    membership_transfer_administrator,
)
from .organizations import (
    organization_ensure_can_sponsor,
    organization_register,
    organization_set_credit_standing,
    organization_verify,
)
from .privacy import (
    correction_request_answer,
    correction_request_create,
    personal_data_export,
    privacy_consent_record,
)
from .tokens import API_TOKEN_MAX_DAYS, api_token_create, api_token_revoke
from .two_factor import (
    backup_codes_left,
    confirmed_totp,
    enrolment_open,
    requires_two_factor,
    two_factor_enrolment_confirm,
    two_factor_enrolment_start,
    two_factor_new_backup_codes,
    two_factor_open_enrolment,
    two_factor_reset,
    two_factor_verify,
)
from .users import (
    user_confirm_email_change,
    user_grant_duty,
    user_register,
    user_request_email_change,
    user_send_verification,
    user_set_language,
    user_update_profile,
    user_verify_email,
)

__all__ = [
    "API_TOKEN_MAX_DAYS",
    "api_token_create",
    "api_token_revoke",
    "correction_request_answer",
    "correction_request_create",
    "backup_codes_left",
    "confirmed_totp",
    "enrolment_open",
    "form_draft_save",
    "form_draft_take",
    "invitation_accept",
    "invitation_create",
    "invitation_find",
    "membership_remove",
    "membership_transfer_administrator",
    "organization_ensure_can_sponsor",
    "organization_register",
    "organization_set_credit_standing",
    "organization_verify",
    "personal_data_export",
    "privacy_consent_record",
    "requires_two_factor",
    "two_factor_enrolment_confirm",
    "two_factor_enrolment_start",
    "two_factor_new_backup_codes",
    "two_factor_open_enrolment",
    "two_factor_reset",
    "two_factor_verify",
    "user_confirm_email_change",
    "user_grant_duty",
    "user_register",
    "user_request_email_change",
    "user_send_verification",
    "user_set_language",
    "user_update_profile",
    "user_verify_email",
]
