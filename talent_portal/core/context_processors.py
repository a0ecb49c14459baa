"""Template context every page needs: the language switcher and the signed-in user's duties."""

from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    duties = user.duties if user is not None and user.is_authenticated else frozenset()
    from talent_portal.accounts.middleware import expires_at

    return {
        "portal_languages": settings.LANGUAGES,
        "user_duties": duties,
        # For static/js/session.js: when the session ends if nothing more happens.
        "session_expires_at": expires_at(request) if user is not None else None,
    }
