"""Writes on hiring intentions agreed at recruitment fairs: the employer records one with the
talent's registration code, the talent confirms or declines it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_portal.accounts.models import Membership, Organization, VerificationStatus
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound

from ..models import (
    Event,
    EventStatus,
    EventType,
    HiringIntention,
    IntentionStatus,
    Registration,
    RegistrationStatus,
    SalaryBand,
)
from .common import notify, path


def hiring_intention_record(
    *, actor, organization: Organization, event: Event, code: str, post: str, salary_band: str
) -> HiringIntention:
    """A member of a verified employer records an intention agreed with a talent registered for a
    recruitment fair, identified by the registration code the talent gave; the talent confirms it."""
    if not Membership.objects.active().filter(user=actor, organization=organization).exists():
        raise Forbidden(_("Only staff of the organisation may record its hiring intentions."))
    if organization.verification_status != VerificationStatus.VERIFIED:
        raise NotAllowed(
            _("Only an organisation verified by the commission may record hiring intentions."),
            code="not_verified",
        )
    if event.event_type != EventType.RECRUITMENT_FAIR or event.status != EventStatus.PUBLISHED:
        raise NotAllowed(_("Hiring intentions are recorded at recruitment fairs only."), code="not_a_fair")
    problems = {}
    if not post.strip():
        problems["post"] = [_("Give the post.")]
    if salary_band not in SalaryBand.values:
        problems["salary_band"] = [_("Choose one of the offered values.")]
    registration = (
        Registration.objects.select_related("user")
        .filter(event=event, code=code.strip().upper(), status=RegistrationStatus.CONFIRMED)
        .first()
    )
    if registration is None:
        problems["code"] = [_("No confirmed registration for this fair has this code.")]
    elif registration.user_id == actor.pk:
        problems["code"] = [_("This is your own registration.")]
    if problems:
        raise InvalidInput(fields=problems)
    with transaction.atomic():
        Registration.objects.select_for_update().get(pk=registration.pk)
        if HiringIntention.objects.filter(
            registration=registration,
            organization=organization,
            status__in=[IntentionStatus.PROPOSED, IntentionStatus.CONFIRMED],
        ).exists():
            raise NotAllowed(
                _("Your organisation has already recorded an intention with this talent."),
                code="intention_exists",
            )
        intention = HiringIntention.objects.create(
            event=event,
            registration=registration,
            organization=organization,
            recorded_by=actor,
            post=post.strip(),
            salary_band=salary_band,
        )
        audit_record(actor=actor, action="hiring_intention_recorded", target=intention)
        notify(
            actor=actor,
            kind="hiring_intention_recorded",
            recipient=registration.user,
            context=lambda: {
                "event": event.title,
                "organization": organization.display_name,
                "post": intention.post,
                "salary": str(SalaryBand(intention.salary_band).label),
            },
            dedupe_key=f"hiring_intention_recorded:{intention.pk}",
            link=path("outreach:registration", pk=registration.pk),
        )
    return intention


def _answer(*, actor, intention: HiringIntention, status: str, action: str) -> HiringIntention:
    if intention.registration.user_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        intention = HiringIntention.objects.select_for_update().get(pk=intention.pk)
        if intention.status != IntentionStatus.PROPOSED:
            raise NotAllowed(_("This intention was already answered."), code="intention_answered")
        intention.status = status
        intention.answered_at = timezone.now()
        intention.save(update_fields=["status", "answered_at", "updated_at"])
        audit_record(actor=actor, action=action, target=intention)
    return intention


def hiring_intention_confirm(*, actor, intention: HiringIntention) -> HiringIntention:
    """The talent confirms an intention an employer recorded with them."""
    return _answer(
        actor=actor,
        intention=intention,
        status=IntentionStatus.CONFIRMED,
        action="hiring_intention_confirmed",
    )


def hiring_intention_decline(*, actor, intention: HiringIntention) -> HiringIntention:
    """The talent declines an intention recorded with them (it is not counted)."""
    return _answer(
        actor=actor, intention=intention, status=IntentionStatus.DECLINED, action="hiring_intention_declined"
    )
