"""Views shared by every app: the health check, the language switcher, error pages, helpers."""

import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .api import error_body

logger = logging.getLogger(__name__)


def apply_domain_error(form, error) -> None:
    """Show a domain error on an HTML form: per field where it names fields, else on top."""
    if error.fields:
        for name, messages in error.fields.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, str(error.message))


def officer_required(*duties):
    """Only people holding one of ``duties`` see the page; everyone else gets a 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(request.user.has_duty(duty) for duty in duties):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means the database is unusable
        logger.error("health_database_down", extra={"error": type(error).__name__})
        return {"status": "down", "error": type(error).__name__}
    return {"status": "up"}


def _check_cache() -> dict:
    try:
        cache.set("healthz", "1", 10)
        if cache.get("healthz") != "1":
            return {"status": "down"}
    except Exception as error:  # noqa: BLE001
        return {"status": "down", "error": type(error).__name__}
    return {"status": "up"}


def _check_broker() -> dict:
    if not settings.CELERY_BROKER_URL:
        return {"status": "up", "mode": "in-process"}
    from talent_portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
    except Exception as error:  # noqa: BLE001 - a broker outage degrades, it does not fail
        return {"status": "down", "error": type(error).__name__}
    return {"status": "up"}


HEALTH_CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


def register_health_check(name: str, check) -> None:
    """Add a check from a higher floor (e.g. the notification backlog) without core importing it.

    ``check()`` returns a dict with a ``status``: "up", or anything else to report "degraded".
    """
    HEALTH_CHECKS[name] = check


def _run_check(name: str, check) -> dict:
    try:
        return check()
    except Exception as error:  # noqa: BLE001 - one broken check must not break the endpoint
        logger.warning("health_check_failed", extra={"check": name, "error": type(error).__name__})
        return {"status": "down", "error": type(error).__name__}


@never_cache
def healthz(request):
    """503 only when the database is unusable; a cache or broker outage or a backlog is 'degraded'."""
    checks = {name: _run_check(name, check) for name, check in HEALTH_CHECKS.items()}
    if checks["database"]["status"] != "up":
        status, code = "down", 503
    elif any(check["status"] != "up" for check in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks, "time": timezone.now().isoformat()}, status=code)


@never_cache
def healthz_live(request):
    """Liveness: the process answers. Nothing else is touched (no database, cache or broker)."""
    return JsonResponse({"status": "ok", "time": timezone.now().isoformat()})


# Readiness (``/healthz/ready``) is ``healthz`` itself: 503 only without a usable database, so a
# load balancer keeps a node that can serve while the cache or the broker is down.
healthz_ready = healthz


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def page_not_found(request, exception=None):
    if _is_api(request):
        # An API path no route matches (e.g. a malformed identifier): the API's JSON error format.
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            error_body("server_error", _("Something went wrong on our side. Please try again later.")),
            status=500,
        )
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
