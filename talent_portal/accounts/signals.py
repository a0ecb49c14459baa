"""Sign-in failures go to the audit log (successes are recorded where the sign-in completes)."""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from talent_portal.core.audit import audit_record
from talent_portal.core.crypto import keyed_digest

from .lockout import username_of


@receiver(user_login_failed, dispatch_uid="accounts.audit_sign_in_failure")
def audit_sign_in_failure(sender, credentials, request=None, **kwargs):
    from .models import User

    account = username_of(request, credentials)
    user = User.objects.filter(email__iexact=account).first() if account else None
    audit_record(
        actor=None,
        action="sign_in_failed",
        target=user,
        request=request,
        # The typed address is personal data: kept as a keyed digest, so that repeated attempts
        # on one address can be correlated without storing what a stranger typed.
        data={"account_digest": keyed_digest(account)[:16] if account else ""},
    )
