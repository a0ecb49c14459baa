"""Writes started from the dashboards; each goes through the owning app's own action."""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from permits import actions as permit_actions
from permits import deadlines
from permits.models import BusinessType
from talent_portal.accounts import selectors as account_selectors
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import DomainError, InvalidInput, NotFound

from .selectors import EXTENSION_WINDOWS, extension_candidates

logger = logging.getLogger(__name__)


@dataclass
class BulkExtensionResult:
    started: list = field(default_factory=list)  # the new applications
    skipped: list = field(default_factory=list)  # (permit, message)


def extensions_start_for_expiring(*, actor, organization_id: int, within_days: int) -> BulkExtensionResult:
    """Start one extension application per valid card of the organisation ending within ``within_days``.

    Each is a separate case created by ``application_start_by_employer`` with that person's data
    carried forward from their permit; people with an extension already under way are left out.
    A case the action refuses (say, a permit changed meanwhile) is reported, the others go on.
    """
    organization = account_selectors.organization_for_member(actor, organization_id)
    if organization is None:
        raise NotFound()
    if within_days not in EXTENSION_WINDOWS:
        raise InvalidInput(fields={"within_days": [_("Choose one of the offered periods.")]})
    result = BulkExtensionResult()
    for permit in extension_candidates(actor, organization, within_days=within_days, today=deadlines.today()):
        holder = permit.holder
        try:
            application = permit_actions.application_start_by_employer(
                actor=actor,
                organization=organization,
                business_type=BusinessType.EXTENSION,
                employee_email=holder.email,
                employee_language=holder.preferred_language or "zh-hans",
                source_permit=permit,
            )
        except DomainError as error:
            result.skipped.append((permit, str(error.message)))
            continue
        result.started.append(application)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="extensions_started_in_bulk",
            target=organization,
            data={
                "within_days": within_days,
                "started": [application.reference for application in result.started],
                "skipped": [permit.number for permit, _message in result.skipped],
            },
        )
    logger.info(
        "extensions_started_in_bulk",
        extra={
            "organization": organization.pk,
            "started": len(result.started),
            "skipped": len(result.skipped),
        },
    )
    return result
