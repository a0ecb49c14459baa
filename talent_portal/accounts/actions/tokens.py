"""Personal API tokens."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_portal.core.audit import audit_record
from talent_portal.core.errors import InvalidInput, NotFound

from ..models import (
    ApiToken,
    TokenScope,
    User,
)

API_TOKEN_MAX_DAYS = 365


def api_token_create(
    *, actor: User, name: str, days: int, scope: str = TokenScope.READ
) -> tuple[ApiToken, str]:
    """Create a personal API token; the clear token is returned once and never stored."""
    if not name.strip():
        raise InvalidInput(fields={"name": [_("Give the token a name.")]})
    if scope not in TokenScope.values:
        raise InvalidInput(fields={"scope": [_("Choose what the token may do.")]})
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise InvalidInput(
            fields={"days": [_("Choose between 1 and %(max)d days.") % {"max": API_TOKEN_MAX_DAYS}]}
        )
    with transaction.atomic():
        # The owner's expired tokens go now (authentication no longer sweeps them on every call).
        ApiToken.objects.filter(user=actor, expiry__lt=timezone.now()).delete()
        token, clear = ApiToken.objects.create(
            user=actor, expiry=timedelta(days=days), name=name.strip(), scope=scope
        )
        audit_record(
            actor=actor,
            action="api_token_created",
            target=actor,
            data={"token_key": token.token_key, "scope": scope, "days": days},
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
