"""Requests refused before any view sees them: oversized bodies, and NUL characters.

Oversized request bodies are refused from their ``Content-Length``, before anything reads them.

Views that take files are marked with :func:`accepts_uploads` and may receive bodies up to
``REQUEST_MAX_UPLOAD_BODY_BYTES``; every other view up to ``REQUEST_MAX_BODY_BYTES``. A larger
body is answered 413 — the API's JSON error under ``/api/``, a short page elsewhere; the unread
body is left to the WSGI server, which discards it.

A NUL character in the path or the query string is refused with 400: nothing legitimate sends
one, and PostgreSQL cannot store it (a filter on it would fail with a server error). NULs inside
bodies are refused by the API's parsers (``talent_portal.core.parsers``) and by Django's form
fields.
"""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .api import error_body


def accepts_uploads(view):
    """Mark a view (a function, or an API view class) as one that takes uploaded files."""
    view.accepts_uploads = True
    return view


def _takes_uploads(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    func = match.func
    view_class = getattr(func, "cls", None) or getattr(func, "view_class", None)
    return bool(getattr(func, "accepts_uploads", False) or getattr(view_class, "accepts_uploads", False))


def body_limit(request) -> int:
    if _takes_uploads(request.path_info):
        return settings.REQUEST_MAX_UPLOAD_BODY_BYTES
    return settings.REQUEST_MAX_BODY_BYTES


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def has_nul(request) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path_info or b"\x00" in unquote_to_bytes(query.replace("+", " "))


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            message = _("The address contains a NUL character, which is not allowed.")
            if request.path_info.startswith("/api/"):
                return JsonResponse(error_body("nul_character", message), status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        length = _content_length(request)
        if length > settings.REQUEST_MAX_BODY_BYTES:
            limit = body_limit(request)
            if length > limit:
                return self.refuse(request, limit)
        return self.get_response(request)

    def refuse(self, request, limit: int):
        size = f"{limit / (1024 * 1024):g}"
        message = _("The request is too large: at most %(size)s MB can be sent at once.") % {"size": size}
        if request.path_info.startswith("/api/"):
            response = JsonResponse(error_body("request_too_large", message), status=413)
        else:
            response = render(request, "413.html", {"message": message}, status=413)
        return response
