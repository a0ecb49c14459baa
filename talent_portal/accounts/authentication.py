"""API authentication with personal tokens (knox: hashed, expiring, revocable)."""

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission


class PortalTokenAuthentication(TokenAuthentication):
    """Knox tokens; an inactive user's token is refused like an invalid one."""

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
