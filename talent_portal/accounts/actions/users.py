"""People: registration, e-mail verification and change, profile, duties."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound
from talent_portal.core.mail import send_email_on_commit

from ..models import (
    Duty,
    User,
)
from .common import EMAIL_CHANGE_SALT, EMAIL_VERIFICATION_SALT, _email_taken, _language_url
from .privacy import privacy_consent_record
from .two_factor import confirmed_totp, two_factor_open_enrolment


def user_register(
    *,
    actor,
    email: str,
    password: str,
    full_name: str,
    preferred_language: str,
    privacy_notice_version: str | None = None,
) -> User:
    """Create an applicant account and send the e-mail verification link.

    ``actor`` is the anonymous visitor registering. The password must already be validated.
    ``privacy_notice_version``: the version of the privacy notice the person agreed to on the
    sign-up form, recorded with the time in the same transaction.
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
        if privacy_notice_version is not None:
            privacy_consent_record(actor=user, user=user, notice_version=privacy_notice_version)
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
        if confirmed_totp(user) is None:
            # A new officer adds an authenticator at their next sign-in.
            two_factor_open_enrolment(actor=actor, user=user)
