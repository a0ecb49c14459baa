"""Helpers the account actions share."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ..models import (
    User,
)

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
