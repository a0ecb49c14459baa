"""Template context every page needs: the language switcher and the signed-in user's duties."""

from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    duties = user.duties if user is not None and user.is_authenticated else frozenset()
    return {
        "portal_languages": settings.LANGUAGES,
        "user_duties": duties,
    }
