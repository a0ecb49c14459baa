"""Links of the main navigation that depend on who is signed in (the top floor knows the rooms)."""

from .statistics import may_see_statistics


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_statistics": may_see_statistics(user),
        "nav_reference_data": user.is_superuser or "administrator" in user.duties,
    }
