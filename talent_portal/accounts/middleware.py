"""Session policy: idle and absolute limits, activity stamped at most once a minute.

The session (``cached_db``: the database is the truth, the cache only spares reads) holds two
times: when the person signed in and when they were last active. A request that is only
background polling (the notification bell, an auto-save before the session ends) does not count
as activity. Activity is written at most every ``SESSION_ACTIVITY_STAMP_SECONDS``, so most
requests write nothing to the database.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .actions.two_factor import requires_two_factor

SIGNED_IN_AT = "portal_signed_in_at"
ACTIVE_AT = "portal_active_at"
# Requests that say so in this header are background work, not a person's activity.
BACKGROUND_HEADER = "HTTP_X_PORTAL_BACKGROUND"


def idle_seconds(user) -> int:
    minutes = (
        settings.SESSION_IDLE_MINUTES_OFFICERS
        if user.is_officer or user.is_staff or user.is_superuser
        else settings.SESSION_IDLE_MINUTES
    )
    return minutes * 60


def is_background(request) -> bool:
    if request.META.get(BACKGROUND_HEADER) == "1":
        return True
    match = getattr(request, "resolver_match", None)
    return bool(match and match.view_name in BACKGROUND_VIEWS)


# Views polled by the page itself (resolved before the view runs, see process_view).
BACKGROUND_VIEWS = frozenset({"notifications:bell", "accounts:form_draft", "accounts:form_draft_restore"})


def start(request) -> None:
    """Called at sign-in: the absolute limit counts from now."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[ACTIVE_AT] = now


def expires_at(request) -> int | None:
    """When the session ends if nothing more happens (epoch seconds), for the page's timer."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    active = request.session.get(ACTIVE_AT)
    signed_in = request.session.get(SIGNED_IN_AT)
    if active is None or signed_in is None:
        return None
    return min(active + idle_seconds(user), signed_in + settings.SESSION_ABSOLUTE_HOURS * 3600)


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return None
        if requires_two_factor(user) and not user.is_verified():
            # An officer or administrator whose session never passed the second factor (a duty
            # granted while signed in, or a password-only sign-in elsewhere): sign in again.
            return self._end(request, reason=_("Please sign in again with your second factor."))
        session = request.session
        now = int(time.time())
        signed_in = session.get(SIGNED_IN_AT)
        active = session.get(ACTIVE_AT)
        if signed_in is None or active is None:
            # A session from before this policy (or a test's force_login): start counting now.
            session[SIGNED_IN_AT] = signed_in or now
            session[ACTIVE_AT] = now
            return None
        idle_over = now - active > idle_seconds(user)
        absolute_over = now - signed_in > settings.SESSION_ABSOLUTE_HOURS * 3600
        if idle_over or absolute_over:
            if idle_over and not absolute_over:
                reason = _("You were signed out after %(minutes)d minutes without activity.") % {
                    "minutes": idle_seconds(user) // 60
                }
            else:
                reason = _("You were signed out because your session reached its maximum length.")
            return self._end(request, reason=reason)
        if not is_background(request) and now - active >= settings.SESSION_ACTIVITY_STAMP_SECONDS:
            session[ACTIVE_AT] = now
        return None

    def _end(self, request, *, reason: str):
        logout(request)
        message = reason
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "session_expired", "detail": message}, status=401)
        if is_background(request):
            # htmx polling: stop quietly (286 tells htmx to stop polling).
            return JsonResponse({"code": "session_expired", "detail": message}, status=286)
        messages.info(request, message)
        target = reverse(settings.LOGIN_URL)
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)
