"""The request id: one per request, in the response, the logs and the audit log.

``RequestIdMiddleware`` (first in ``MIDDLEWARE``) takes a sane incoming ``X-Request-ID`` — from
the reverse proxy or the caller — or generates one, keeps it with the client's address in a
context variable for the duration of the request, and echoes it in the ``X-Request-ID`` response
header. ``audit_record`` reads the context (address, request id) so that callers need not pass
the request; ``RequestIdLogFilter`` adds ``request_id`` to every log record.

The context also counts the audit events written during the request and notes domain
``Forbidden`` errors, which ``audit.AuditTrailMiddleware`` uses to record denials and downloads
exactly once.
"""

import contextvars
import logging
import re
import uuid
from dataclasses import dataclass, field

HEADER = "X-Request-ID"
# Letters, digits and - _ . : only, at most 64 characters: anything else is replaced.
_SANE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


@dataclass
class RequestContext:
    request_id: str
    ip_address: str | None = None
    audited: int = 0
    denials: list[str] = field(default_factory=list)


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "portal_request_context", default=None
)


def current() -> RequestContext | None:
    """The context of the request being answered in this thread, or ``None`` (tasks, shell)."""
    return _current.get()


def current_request_id() -> str:
    context = _current.get()
    return context.request_id if context is not None else ""


def sane_request_id(value: str | None) -> str:
    """The incoming id when it is short and plain, else a new random one."""
    value = (value or "").strip()
    if _SANE.match(value):
        return value
    return uuid.uuid4().hex


def note_audit() -> None:
    context = _current.get()
    if context is not None:
        context.audited += 1


def note_denial(code: str) -> None:
    context = _current.get()
    if context is not None:
        context.denials.append(code)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .net import client_ip

        request_id = sane_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        token = _current.set(RequestContext(request_id=request_id, ip_address=client_ip(request) or None))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds ``record.request_id`` ("-" outside a request) so formatters can show it."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        return True
