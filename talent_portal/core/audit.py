"""Writing the append-only audit log.

Every row says who (``actor``), with which duties at that moment (``actor_duties``), what
(``action``), on which object (``object_type``/``object_id``), from where (``ip_address``), in
which request (``request_id``) and when (``at``, stored in UTC). The address and the request id
come from the request passed in or, when none is, from the request being answered
(``tracing``), so actions deep below the views need not carry the request around.

``AuditTrailMiddleware`` adds the two records no view writes itself: permission denials (a 403
answer, a 404 hiding an object from a signed-in person, or a ``Forbidden`` refusal of a change
that a page turned into a message) and downloads (any attachment answer to a signed-in person
that no view audited, e.g. CSV/XLSX/JSON exports) — each exactly once per request.
"""

import logging

from django.db import DatabaseError, transaction

from . import tracing
from .models import AuditEvent
from .net import client_ip

logger = logging.getLogger("talent_portal.audit")


def _duties_of(actor) -> list[str]:
    try:
        return sorted(str(duty) for duty in actor.duties)
    except AttributeError:
        return []


def audit_record(*, actor, action: str, target=None, data: dict | None = None, request=None) -> AuditEvent:
    """Append one audit event. Call it inside the transaction of the change it records."""
    context = tracing.current()
    ip_address = None
    request_id = ""
    if request is not None:
        ip_address = client_ip(request) or None
        request_id = getattr(request, "request_id", "") or ""
    if context is not None:
        ip_address = ip_address or context.ip_address
        request_id = request_id or context.request_id
    actor = actor if actor is not None and actor.pk else None
    event = AuditEvent.objects.create(
        actor=actor,
        actor_duties=_duties_of(actor) if actor is not None else [],
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        data=data or {},
        ip_address=ip_address,
        request_id=request_id[:64],
    )
    tracing.note_audit()
    logger.info(
        "audit", extra={"action": action, "object_type": event.object_type, "object_id": event.object_id}
    )
    return event


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _is_attachment(response) -> bool:
    return response.get("Content-Disposition", "").lower().startswith("attachment")


class AuditTrailMiddleware:
    """Records denials and un-audited downloads (see the module docstring). After authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        context = tracing.current()
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        action, data = self._classify(request, response, context, signed_in)
        if action:
            self._write(request, user if signed_in else None, action, data)
        return response

    @staticmethod
    def _classify(request, response, context, signed_in):
        status = response.status_code
        base = {"method": request.method, "path": request.path[:300], "status": status}
        if status == 403:
            return "permission_denied", base
        if not signed_in:
            return None, None
        if status == 404 and getattr(request, "resolver_match", None) is not None:
            # The address matched a view that found nothing for this person: someone else's
            # object (or one that does not exist — the answer is the same on purpose).
            return "access_hidden", base
        if context is not None and context.denials and request.method in UNSAFE_METHODS:
            return "permission_denied", {**base, "codes": context.denials[:5]}
        if 200 <= status < 300 and _is_attachment(response) and (context is None or not context.audited):
            return "export_downloaded", {
                **base,
                "content_type": response.get("Content-Type", "")[:100],
                "disposition": response.get("Content-Disposition", "")[:200],
            }
        return None, None

    @staticmethod
    def _write(request, actor, action, data):
        try:
            with transaction.atomic():
                audit_record(actor=actor, action=action, data=data, request=request)
        except DatabaseError:
            # The answer is already made; a failed log row must not turn it into a 500.
            logger.exception("audit_write_failed", extra={"action": action})
