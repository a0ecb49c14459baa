"""API authentication with personal tokens (knox: hashed, expiring, revocable)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.signals import token_expired
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission


class PortalTokenAuthentication(TokenAuthentication):
    """Knox tokens; an inactive user's token is refused like an invalid one."""

    def _cleanup_token(self, auth_token) -> bool:
        """Refuse (and delete) the presented token once it has expired, as knox does.

        Knox also reads every other token of the owner on every request to delete the expired
        ones: a second query per API call. The owner's expired tokens are deleted when they
        create a token instead (``api_token_create``); an expired token is refused either way.
        """
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False

    def validate_user(self, auth_token):
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed()
        return (auth_token.user, auth_token)


class TokenScope(BasePermission):
    """A request made with a read-only token may only read (GET, HEAD, OPTIONS)."""

    message = _("This API token may only read. Create a token with write access to make changes.")
    code = "token_read_only"

    def has_permission(self, request, view):
        token = request.auth
        if request.method in SAFE_METHODS or token is None or not hasattr(token, "scope"):
            return True
        if getattr(view, "read_only_tokens_may_write", False):
            return True  # e.g. revoking a token: giving up access is always allowed
        from .models import TokenScope as Scope

        return token.scope == Scope.READ_WRITE
