"""Memberships and HR invitations."""

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from talent_portal.core import outbox
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound

from ..models import (
    ApiToken,
    Invitation,
    Membership,
    MembershipRole,
    Organization,
    User,
)


def _ensure_organization_administrator(actor: User, organization: Organization) -> None:
    is_admin = (
        Membership.objects.active()
        .filter(user=actor, organization=organization, role=MembershipRole.ADMINISTRATOR)
        .exists()
    )
    if not is_admin:
        raise Forbidden(_("Only an administrator of this organisation may do this."))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(*, actor: User, organization: Organization, email: str, language: str) -> Invitation:
    """An organisation administrator invites someone by e-mail to join as HR staff."""
    _ensure_organization_administrator(actor, organization)
    email = email.strip().lower()
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(fields={"language": [_("Choose one of the offered languages.")]})
    if Membership.objects.active().filter(organization=organization, user__email__iexact=email).exists():
        raise InvalidInput(fields={"email": [_("This person is already a member of the organisation.")]})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.filter(
            organization=organization, email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            organization=organization,
            email=email,
            role=MembershipRole.HR_STAFF,
            language=language,
            token_digest=_digest(token),
            invited_by=actor,
            expires_at=timezone.now() + settings.INVITATION_MAX_AGE,
        )
        audit_record(actor=actor, action="invitation_created", target=invitation)
        with translation.override(language):
            accept_url = reverse("accounts:accept_invitation", kwargs={"token": token})
        # Through the outbox, so that a mail-server outage loses no invitation. The clear token
        # lives only in the row's context, which delivery blanks once the mail went out.
        outbox.notify(
            actor=actor,
            kind="hr_invitation",
            email=email,
            language=language,
            context={
                "organization": organization.display_name,
                "inviter": actor.full_name,
                "accept_url": accept_url,
                "expires": timezone.localdate(invitation.expires_at).isoformat(),
            },
            dedupe_key=f"hr_invitation:{invitation.pk}",
        )
    return invitation


def invitation_find(*, token: str) -> Invitation:
    """The open invitation a link's token belongs to."""
    invitation = Invitation.objects.select_related("organization").filter(token_digest=_digest(token)).first()
    if invitation is None:
        raise NotFound(_("This invitation is not valid."), code="invitation_invalid")
    if not invitation.is_open:
        raise NotAllowed(
            _("This invitation has expired or was already used. Ask the organisation for a new one."),
            code="invitation_closed",
        )
    return invitation


def invitation_accept(*, actor: User, token: str) -> Membership:
    """The invited person, signed in with the invited address, joins the organisation."""
    invitation = invitation_find(token=token)
    if actor.email.lower() != invitation.email.lower():
        raise Forbidden(
            _("This invitation was sent to another e-mail address. Sign in with that address to accept it."),
            code="invitation_other_email",
        )
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise NotAllowed(_("This invitation was already used."), code="invitation_closed")
        membership, created = Membership.objects.get_or_create(
            user=actor,
            organization=invitation.organization,
            ended_at=None,
            defaults={"role": invitation.role},
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = actor
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        if not actor.email_verified:
            # Opening the mailed link proves the address.
            actor.email_verified_at = timezone.now()
            actor.save(update_fields=["email_verified_at"])
        audit_record(actor=actor, action="invitation_accepted", target=membership)
    return membership


def membership_remove(*, actor: User, membership: Membership) -> Membership:
    """End a member's place in the organisation; their API tokens are revoked at once."""
    _ensure_organization_administrator(actor, membership.organization)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if not membership.is_active:
            raise NotAllowed(_("This person is no longer a member."), code="membership_ended")
        if membership.role == MembershipRole.ADMINISTRATOR:
            raise NotAllowed(
                _("Hand the administrator role to another member before removing this person."),
                code="membership_is_administrator",
            )
        membership.ended_at = timezone.now()
        membership.save(update_fields=["ended_at", "updated_at"])
        revoked, _details = ApiToken.objects.filter(user_id=membership.user_id).delete()
        audit_record(
            actor=actor,
            action="membership_removed",
            target=membership,
            data={"tokens_revoked": revoked},
        )
    return membership


def membership_transfer_administrator(
    *, actor: User, organization: Organization, to: Membership
) -> Membership:
    """The administrator hands the role to another active member and becomes HR staff."""
    _ensure_organization_administrator(actor, organization)
    if to.organization_id != organization.pk or not to.is_active:
        raise NotFound()
    if to.user_id == actor.pk:
        raise InvalidInput(fields={"member": [_("Choose another member.")]})
    with transaction.atomic():
        mine = Membership.objects.select_for_update().active().get(user=actor, organization=organization)
        target = Membership.objects.select_for_update().get(pk=to.pk)
        mine.role = MembershipRole.HR_STAFF
        target.role = MembershipRole.ADMINISTRATOR
        mine.save(update_fields=["role", "updated_at"])
        target.save(update_fields=["role", "updated_at"])
        audit_record(
            actor=actor,
            action="organization_administrator_transferred",
            target=organization,
            data={"to_user": target.user_id},
        )
    return target
