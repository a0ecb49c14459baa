"""API authentication with personal tokens (knox: hashed, expiring, revocable)."""

from knox.auth import TokenAuthentication
from rest_framework import exceptions


class PortalTokenAuthentication(TokenAuthentication):
    """Knox tokens; an inactive user's token is refused like an invalid one."""

    def validate_user(self, auth_token):
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed()
        return (auth_token.user, auth_token)
