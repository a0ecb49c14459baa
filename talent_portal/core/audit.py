"""Writing the append-only audit log."""

import logging

from .models import AuditEvent

logger = logging.getLogger("talent_portal.audit")


def audit_record(*, actor, action: str, target=None, data: dict | None = None, request=None) -> AuditEvent:
    """Append one audit event. Call it inside the transaction of the change it records."""
    ip_address = None
    if request is not None:
        ip_address = request.META.get("REMOTE_ADDR")
    event = AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        data=data or {},
        ip_address=ip_address,
    )
    logger.info(
        "audit", extra={"action": action, "object_type": event.object_type, "object_id": event.object_id}
    )
    return event
