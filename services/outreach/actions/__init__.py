"""Every write of outreach, split by responsibility: events and registrations (``events``), hiring
intentions (``intentions``), award nominations (``nominations``; the commission's part in
``reviews``) and service requests (``service_requests``). Each action is guard-first, does its
whole change in one transaction, and appends an audit event and its notification rows in that
transaction."""

from .events import (
    check_in_token,
    event_cancel,
    event_fill_places,
    event_publish,
    event_remind,
    registration_cancel,
    registration_check_in,
    registration_create,
)
from .intentions import hiring_intention_confirm, hiring_intention_decline, hiring_intention_record
from .nominations import (
    nomination_create,
    nomination_decline,
    nomination_endorse,
    nomination_material_open,
    nomination_withdraw,
    supervising_unit_flag,
)
from .reviews import nomination_rank, nomination_recommend, nomination_record_outcome, nomination_reject
from .service_requests import (
    service_request_close,
    service_request_create,
    service_request_follow_up,
    service_request_reply,
)

__all__ = [
    "check_in_token",
    "event_cancel",
    "event_fill_places",
    "event_publish",
    "event_remind",
    "hiring_intention_confirm",
    "hiring_intention_decline",
    "hiring_intention_record",
    "nomination_create",
    "nomination_decline",
    "nomination_endorse",
    "nomination_material_open",
    "nomination_rank",
    "nomination_recommend",
    "nomination_record_outcome",
    "nomination_reject",
    "nomination_withdraw",
    "registration_cancel",
    "registration_check_in",
    "registration_create",
    "service_request_close",
    "service_request_create",
    "service_request_follow_up",
    "service_request_reply",
    "supervising_unit_flag",
]
