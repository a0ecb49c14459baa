"""Issuing permits, and what happens to them afterwards: follow-ups, cancellation, revocation, expiry."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.classification.selectors import benefits_of
from talent_portal.accounts.models import Duty
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed

from .. import notices, numbering, validity
from ..models import (
    Application,
    BusinessType,
    NoticeKind,
    Permit,
    PermitHolder,
    PermitKind,
    PermitState,
    ReasonCode,
    ReasonKind,
)
from .door import _today, application_transition, notify_case

NEW_KINDS = {
    BusinessType.NEW_NOTICE: PermitKind.NOTICE,
    BusinessType.NEW_CARD: PermitKind.CARD,
    BusinessType.NEW_IN_COUNTRY: PermitKind.CARD,
}


def _holder_name(case) -> str:
    return case.applicant_name or (case.source_permit.holder_name if case.source_permit_id else "")


def _new_permit(case, *, valid_until: date, holder: PermitHolder) -> Permit:
    today = _today()
    kind = NEW_KINDS[case.business_type]
    benefits = benefits_of(case.applicant, on=today)
    return Permit.objects.create(
        number=holder.number,
        holder_record=holder,
        kind=kind,
        holder=case.applicant,
        organization=case.organization,
        application=case,
        talent_class=validity.granted_class(case),
        post_title=case.post_title,
        holder_name=_holder_name(case),
        nationality=case.nationality,
        date_of_birth=case.date_of_birth,
        passport_digest=case.passport_digest,
        passport_last_digits=(case.passport_number or "")[-3:],
        valid_from=today,
        valid_until=validity.notice_valid_until(today) if kind == PermitKind.NOTICE else valid_until,
        category_code=",".join(sorted(benefits.category_codes)),
        category_name=" / ".join(str(name) for name in benefits.category_names),
    )


def _follow_up(case, *, valid_until: date) -> Permit:
    """Extension, change and re-issue update the permit they start from; cancellation ends it."""
    permit = Permit.objects.select_for_update().get(pk=case.source_permit_id)
    if case.business_type == BusinessType.CANCELLATION:
        if permit.state == PermitState.VALID:
            _end_permit(permit, PermitState.CANCELLED, reason=_("Cancelled at the employer's request."))
        return permit
    if case.business_type == BusinessType.EXTENSION:
        permit.valid_until = valid_until
    if case.business_type == BusinessType.CHANGE:
        permit.holder_name = _holder_name(case)
        permit.post_title = case.post_title or permit.post_title
        if case.passport_digest and case.passport_digest != permit.passport_digest:
            permit.passport_digest = case.passport_digest
            permit.passport_last_digits = (case.passport_number or "")[-3:]
            if permit.holder_record_id:
                holder = permit.holder_record
                holder.passport_digests = [*holder.passport_digests, case.passport_digest]
                holder.save(update_fields=["passport_digests", "updated_at"])
    permit.save()
    return permit


def _end_permit(permit: Permit, state: str, *, reason: str) -> None:
    permit.state = state
    permit.state_changed_at = timezone.now()
    permit.state_reason = reason
    permit.save(update_fields=["state", "state_changed_at", "state_reason", "updated_at"])


def issue_after_approval(*, actor, application: Application, notify_holder: bool = True) -> Application:
    """Issue (or update) the permit of an approved case, with its PDF and one notification.

    A single-window case sends its own one notification for both permits (``notify_holder=False``).
    """
    data = application.proposal_data or {}
    valid_until = date.fromisoformat(data["valid_until"]) if data.get("valid_until") else None
    issued = {}

    def effects(case):
        if case.business_type in NEW_KINDS:
            if case.business_type == BusinessType.NEW_CARD and case.source_permit_id:
                holder = case.source_permit.holder_record
                _end_permit(case.source_permit, PermitState.LAPSED, reason=_("Used: the card was issued."))
            else:
                returning = (
                    PermitHolder.objects.filter(pk=data.get("holder_id")).first()
                    if data.get("holder_id")
                    else None
                )
                holder = numbering.holder_for(case, returning=returning, year=_today().year)
            permit = _new_permit(case, valid_until=valid_until, holder=holder)
        else:
            permit = _follow_up(case, valid_until=valid_until)
        if case.business_type != BusinessType.CANCELLATION:
            notices.permit_notice_create(permit=permit, application=case)
        issued["permit"] = permit

    def notify(case, transition):
        permit = issued["permit"]
        if not notify_holder:
            return
        notify_case(
            case,
            actor=actor,
            kind="permit_issued",
            key=f"issued:{permit.pk}:{case.version}",
            extra={"permit_number": permit.number, "valid_until": permit.valid_until.isoformat()},
        )

    return application_transition(
        actor=actor,
        application=application,
        action="issue",
        expected_version=None,
        effects=effects,
        notify=notify,
    )


def cancellation_take_effect(case) -> None:
    """A cancellation filed by the employer under its pledge takes effect at submission."""
    if (
        case.business_type == BusinessType.CANCELLATION
        and case.source_permit_id
        and case.declaration_kind == "pledge"
    ):
        permit = Permit.objects.select_for_update().get(pk=case.source_permit_id)
        if permit.state == PermitState.VALID:
            _end_permit(
                permit,
                PermitState.CANCELLED,
                reason=_("Cancelled by the employer under its commitment pledge."),
            )


def permit_revoke(*, actor, permit: Permit, reason_codes, comment: str = "") -> Permit:
    """An officer revokes a permit with coded reasons; a written decision goes to the holder."""
    if not (actor.has_duty(Duty.WORK_PERMIT_OFFICER) or actor.has_duty(Duty.LEAD_OFFICER)):
        raise Forbidden()
    codes = list(reason_codes)
    if not codes or ReasonCode.objects.filter(code__in=codes, kind=ReasonKind.REVOCATION).count() != len(
        set(codes)
    ):
        raise InvalidInput(fields={"reason_codes": [_("Choose the grounds for revocation.")]})
    with transaction.atomic():
        permit = Permit.objects.select_for_update().get(pk=permit.pk)
        if permit.state != PermitState.VALID:
            raise NotAllowed(_("Only a valid permit can be revoked."), code="permit_not_valid")
        _end_permit(permit, PermitState.REVOKED, reason=comment.strip())
        if permit.application_id:
            notices.notice_create(
                application=permit.application,
                kind=NoticeKind.REVOCATION,
                on=_today(),
                data={"reason_codes": codes, "note": comment.strip()},
                permit=permit,
            )
            notify_case(
                permit.application,
                actor=actor,
                kind="permit_revoked",
                key=f"revoked:{permit.pk}",
                extra={"permit_number": permit.number},
            )
        audit_record(actor=actor, action="permit_revoked", target=permit, data={"reasons": codes})
    return permit


def permits_expire_due(*, actor, on: date | None = None) -> int:
    """Periodic (system actor): valid permits past their last day become expired; notices lapse."""
    on = on or _today()
    count = 0
    with transaction.atomic():
        for permit in Permit.objects.select_for_update().filter(state=PermitState.VALID, valid_until__lt=on):
            state = PermitState.LAPSED if permit.kind == PermitKind.NOTICE else PermitState.EXPIRED
            _end_permit(permit, state, reason="")
            audit_record(actor=actor, action=f"permit_{state}", target=permit)
            count += 1
    return count
