"""Every write on people, organisations, memberships and API tokens.

Each action is guard-first, does its whole change in one transaction, and appends an audit
event in that transaction.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from talent_portal.core import outbox
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound
from talent_portal.core.mail import send_email_on_commit

from .models import (
    ApiToken,
    CreditStanding,
    Duty,
    Invitation,
    Membership,
    MembershipRole,
    Organization,
    User,
    VerificationStatus,
)
from .validators import clean_uscc

EMAIL_VERIFICATION_SALT = "accounts.email-verification"
EMAIL_CHANGE_SALT = "accounts.email-change"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _language_url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return _absolute(reverse(name, kwargs=kwargs))


def _email_taken(email: str, *, exclude_pk=None) -> bool:
    users = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    return users.exists()


# --- Users --------------------------------------------------------------------------------------


def user_register(*, actor, email: str, password: str, full_name: str, preferred_language: str) -> User:
    """Create an applicant account and send the e-mail verification link.

    ``actor`` is the anonymous visitor registering. The password must already be validated.
    """
    email = email.strip().lower()
    if _email_taken(email):
        raise InvalidInput(fields={"email": [_("An account with this e-mail address already exists.")]})
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    full_name=full_name.strip(),
                    preferred_language=preferred_language,
                )
        except IntegrityError:
            raise InvalidInput(
                fields={"email": [_("An account with this e-mail address already exists.")]}
            ) from None
        audit_record(actor=user, action="user_registered", target=user)
        user_send_verification(actor=user, user=user)
    return user


def user_send_verification(*, actor, user: User) -> None:
    """(Re)send the link that confirms ``user``'s e-mail address."""
    if user.email_verified:
        return
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_VERIFICATION_SALT)
    send_email_on_commit(
        name="verify_email",
        to=user.email,
        language=user.preferred_language,
        context={
            "name": user.full_name,
            "link": _language_url("accounts:verify_email", user.preferred_language, token=token),
            "days": settings.EMAIL_VERIFICATION_MAX_AGE.days,
        },
    )


def user_verify_email(*, actor, token: str) -> User:
    """Mark the e-mail address in a verification link as confirmed."""
    try:
        payload = signing.loads(
            token,
            salt=EMAIL_VERIFICATION_SALT,
            max_age=settings.EMAIL_VERIFICATION_MAX_AGE,
        )
    except signing.SignatureExpired:
        raise NotAllowed(
            _("This link has expired. Sign in and ask for a new one."), code="link_expired"
        ) from None
    except signing.BadSignature:
        raise NotFound(_("This link is not valid."), code="link_invalid") from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=payload["u"], email=payload["e"]).first()
        if user is None:
            raise NotFound(_("This link is not valid."), code="link_invalid")
        if not user.email_verified:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            audit_record(actor=user, action="email_verified", target=user)
    return user


def user_update_profile(*, actor: User, full_name: str, preferred_language: str) -> User:
    """Change one's own name and preferred language."""
    if preferred_language not in dict(settings.LANGUAGES):
        raise InvalidInput(fields={"preferred_language": [_("Choose one of the offered languages.")]})
    with transaction.atomic():
        actor.full_name = full_name.strip()
        actor.preferred_language = preferred_language
        actor.save(update_fields=["full_name", "preferred_language"])
        audit_record(actor=actor, action="profile_updated", target=actor)
    return actor


def user_set_language(*, actor: User, language: str) -> None:
    """Store the language a signed-in person chose with the switcher."""
    if language not in dict(settings.LANGUAGES) or actor.preferred_language == language:
        return
    User.objects.filter(pk=actor.pk).update(preferred_language=language)
    actor.preferred_language = language


def user_request_email_change(*, actor: User, new_email: str) -> None:
    """Send a confirmation link to the new address; nothing changes until it is opened."""
    new_email = new_email.strip().lower()
    if new_email == actor.email:
        raise InvalidInput(fields={"new_email": [_("This is already your e-mail address.")]})
    if _email_taken(new_email):
        raise InvalidInput(fields={"new_email": [_("An account with this e-mail address already exists.")]})
    token = signing.dumps({"u": actor.pk, "e": new_email, "old": actor.email}, salt=EMAIL_CHANGE_SALT)
    with transaction.atomic():
        audit_record(actor=actor, action="email_change_requested", target=actor)
        send_email_on_commit(
            name="confirm_email_change",
            to=new_email,
            language=actor.preferred_language,
            context={
                "name": actor.full_name,
                "link": _language_url("accounts:confirm_email_change", actor.preferred_language, token=token),
                "days": settings.EMAIL_VERIFICATION_MAX_AGE.days,
            },
        )


def user_confirm_email_change(*, actor, token: str) -> User:
    """Apply an e-mail change from the link sent to the new address."""
    try:
        payload = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise NotAllowed(_("This link has expired. Please ask for a new one."), code="link_expired") from None
    except signing.BadSignature:
        raise NotFound(_("This link is not valid."), code="link_invalid") from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=payload["u"], email=payload["old"]).first()
        if user is None:
            raise NotFound(_("This link is not valid."), code="link_invalid")
        if _email_taken(payload["e"], exclude_pk=user.pk):
            raise NotAllowed(_("An account with this e-mail address already exists."), code="email_taken")
        user.email = payload["e"]
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "email_verified_at"])
        audit_record(
            actor=user,
            action="email_changed",
            target=user,
            data={"old_domain": payload["old"].split("@")[-1]},
        )
    return user


def user_grant_duty(*, actor: User, user: User, duty: Duty) -> None:
    """Give a person an officer duty. Only portal administrators may."""
    if not (actor.is_superuser or actor.has_duty(Duty.ADMINISTRATOR)):
        raise Forbidden()
    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=duty.value)
        user.groups.add(group)
        user.__dict__.pop("duties", None)
        audit_record(actor=actor, action="duty_granted", target=user, data={"duty": duty.value})


# --- Organisations ------------------------------------------------------------------------------


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


# --- Memberships and invitations ----------------------------------------------------------------


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


# --- API tokens ---------------------------------------------------------------------------------

API_TOKEN_MAX_DAYS = 365


def api_token_create(*, actor: User, name: str, days: int) -> tuple[ApiToken, str]:
    """Create a personal API token; the clear token is returned once and never stored."""
    if not name.strip():
        raise InvalidInput(fields={"name": [_("Give the token a name.")]})
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise InvalidInput(
            fields={"days": [_("Choose between 1 and %(max)d days.") % {"max": API_TOKEN_MAX_DAYS}]}
        )
    with transaction.atomic():
        token, clear = ApiToken.objects.create(user=actor, expiry=timedelta(days=days), name=name.strip())
        audit_record(
            actor=actor, action="api_token_created", target=actor, data={"token_key": token.token_key}
        )
    return token, clear


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke (delete) one of one's own tokens."""
    if token.user_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        audit_record(
            actor=actor, action="api_token_revoked", target=actor, data={"token_key": token.token_key}
        )
        token.delete()
