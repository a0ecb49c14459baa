"""Sign-in lock-out (django-axes): how an attempt is named, and the page a locked-out person sees."""

from django.conf import settings
from django.shortcuts import render


def username_of(request, credentials: dict | None) -> str:
    """The account an attempt is about: the e-mail address, compared case-insensitively."""
    value = (credentials or {}).get("email") or (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return (value or "").strip().lower()


def locked_out(request, credentials=None, *args, **kwargs):
    """Too many failed sign-ins for this account or from this address: a translated refusal."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
