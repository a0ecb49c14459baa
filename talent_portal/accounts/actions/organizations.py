"""Organisations: registration, verification, credit standing, the sponsoring guard."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_portal.core import outbox
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed

from ..models import (
    CreditStanding,
    Duty,
    Membership,
    MembershipRole,
    Organization,
    User,
    VerificationStatus,
)
from ..validators import clean_uscc


def organization_register(
    *,
    actor: User,
    kind: str,
    uscc: str,
    name_zh: str,
    name_en: str,
    district: str,
    address: str,
    industry: str,
    zone: str,
) -> Organization:
    """Register an organisation; ``actor`` becomes its first administrator. It starts unverified."""
    try:
        code = clean_uscc(uscc)
    except ValidationError as error:
        raise InvalidInput(fields={"uscc": error.messages}) from None
    if Organization.objects.filter(uscc=code).exists():
        raise InvalidInput(
            fields={
                "uscc": [_("An organisation with this unified social credit code is already registered.")]
            }
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                organization = Organization.objects.create(
                    kind=kind,
                    uscc=code,
                    name_zh=name_zh.strip(),
                    name_en=name_en.strip(),
                    district=district,
                    address=address.strip(),
                    industry=industry,
                    zone=zone,
                )
        except IntegrityError:
            raise InvalidInput(
                fields={
                    "uscc": [_("An organisation with this unified social credit code is already registered.")]
                }
            ) from None
        Membership.objects.create(user=actor, organization=organization, role=MembershipRole.ADMINISTRATOR)
        audit_record(actor=actor, action="organization_registered", target=organization)
    return organization


def _ensure_officer(actor: User, duty: Duty = Duty.WORK_PERMIT_OFFICER) -> None:
    if not (actor.has_duty(duty) or actor.has_duty(Duty.LEAD_OFFICER)):
        raise Forbidden()


def organization_verify(
    *, actor: User, organization: Organization, approve: bool, note: str = ""
) -> Organization:
    """A work-permit officer's real-name check: verify the organisation or refuse with a note."""
    _ensure_officer(actor)
    if not approve and not note.strip():
        raise InvalidInput(fields={"note": [_("Say why the verification is refused.")]})
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        organization.verification_status = (
            VerificationStatus.VERIFIED if approve else VerificationStatus.REFUSED
        )
        organization.verification_note = note.strip()
        organization.verified_at = timezone.now()
        organization.verified_by = actor
        organization.save(
            update_fields=[
                "verification_status",
                "verification_note",
                "verified_at",
                "verified_by",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="organization_verified" if approve else "organization_verification_refused",
            target=organization,
        )
        kind = "organization_verified" if approve else "organization_refused"
        administrators = (
            Membership.objects.active()
            .filter(organization=organization, role=MembershipRole.ADMINISTRATOR, user__is_active=True)
            .select_related("user")
        )
        for membership in administrators:
            outbox.notify(
                actor=actor,
                kind=kind,
                recipient=membership.user,
                context={"organization": organization.display_name, "note": organization.verification_note},
                dedupe_key=f"{kind}:{organization.pk}:{organization.verified_at.isoformat()}:{membership.user_id}",
                link=reverse("accounts:organization", kwargs={"pk": organization.pk}),
            )
    return organization


def organization_set_credit_standing(
    *, actor: User, organization: Organization, standing: str, reason: str
) -> Organization:
    """An officer sets the credit standing; a blacklisting needs a reason."""
    _ensure_officer(actor)
    if standing not in CreditStanding.values:
        raise InvalidInput(fields={"standing": [_("Choose one of the offered values.")]})
    if not reason.strip():
        raise InvalidInput(fields={"reason": [_("Give the reason for this credit standing.")]})
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        previous = organization.credit_standing
        organization.credit_standing = standing
        organization.credit_reason = reason.strip()
        organization.save(update_fields=["credit_standing", "credit_reason", "updated_at"])
        audit_record(
            actor=actor,
            action="organization_credit_changed",
            target=organization,
            data={"from": previous, "to": standing},
        )
    return organization


def organization_ensure_can_sponsor(*, organization: Organization, entrepreneur: bool = False) -> None:
    """Raise ``NotAllowed`` unless the organisation may sponsor (entrepreneurs: incubators and parks)."""
    refusal = organization.sponsorship_refusal()
    if refusal:
        raise NotAllowed(refusal, code="organization_cannot_sponsor")
    if entrepreneur and not organization.may_sponsor_entrepreneurs:
        raise NotAllowed(
            _("Only a registered incubator or park may sponsor entrepreneurs."),
            code="organization_cannot_sponsor_entrepreneurs",
        )
