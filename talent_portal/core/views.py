"""Views shared by every app: the health check, the language switcher, error pages, helpers."""

import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .api import error_body
from .tracing import current_request_id

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


def _back_url(request, *, same_page: bool = False) -> str:
    """The page the person came from, when it is one of ours (never an outside address)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        allowed = url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    except DisallowedHost:
        return ""
    if not referer or not allowed or (not same_page and referer == request.build_absolute_uri()):
        return ""
    return referer


def _error_page(request, template: str, status: int, context: dict | None = None):
    """An error page in the portal's layout; the bare 500 page if even that cannot be drawn."""
    context = {"back_url": _back_url(request), "sign_in_next": request.get_full_path(), **(context or {})}
    try:
        return render(request, template, context, status=status)
    except Exception:  # the layout needs the session and the database: without them, a plain page
        logger.exception("error_page_failed", extra={"template": template, "status": status})
        return _bare_error_page(request, status=status)


def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body("bad_request", _("The request could not be understood.")), status=400)
    return _error_page(request, "400.html", 400)


def page_not_found(request, exception=None):
    if _is_api(request):
        # An API path no route matches (e.g. a malformed identifier): the API's JSON error format.
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return _error_page(request, "404.html", 404)


def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403)


def _bare_error_page(request, *, status: int = 500):
    """The 500 page: no context processors, no session, no database — only the language is used.

    It names the request id, which the person can quote to the help desk to find the log lines.
    """
    request_id = getattr(request, "request_id", "") or current_request_id()
    context = {
        "LANGUAGE_CODE": translation.get_language() or settings.LANGUAGE_CODE,
        "request_id": request_id,
        "retry_url": request.path if request.method == "GET" else "",
        "status": status,
    }
    try:
        html = loader.get_template("500.html").render(context)
    except Exception:  # noqa: BLE001 - the very last resort must not raise
        logger.exception("server_error_page_failed")
        html = (
            "<!doctype html><html><head><meta charset='utf-8'><title>Error</title></head><body>"
            f"<h1>Error {status}</h1><p>Request id: {escape(request_id)}</p><p><a href='/'>Home</a></p>"
            "</body></html>"
        )
    return HttpResponse(html, status=status)


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            error_body("server_error", _("Something went wrong on our side. Please try again later.")),
            status=500,
        )
    return _bare_error_page(request, status=500)


def csrf_failure(request, reason=""):
    # The form's page (where the browser came from) opened afresh brings a new token.
    return _error_page(
        request, "403_csrf.html", 403, {"retry_url": _back_url(request, same_page=True), "back_url": ""}
    )
