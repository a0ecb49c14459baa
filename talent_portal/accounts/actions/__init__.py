"""Every write on people, organisations, memberships and API tokens, by responsibility.

Each action is guard-first, does its whole change in one transaction, and appends an audit
event in that transaction.
"""

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
from .tokens import API_TOKEN_MAX_DAYS, api_token_create, api_token_revoke
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
    "invitation_accept",
    "invitation_create",
    "invitation_find",
    "membership_remove",
    "membership_transfer_administrator",
    "organization_ensure_can_sponsor",
    "organization_register",
    "organization_set_credit_standing",
    "organization_verify",
    "user_confirm_email_change",
    "user_grant_duty",
    "user_register",
    "user_request_email_change",
    "user_send_verification",
    "user_set_language",
    "user_update_profile",
    "user_verify_email",
]
