"""Writes on service requests: a foreign expert asks a service station, the station's staff
reply from their queue, either side may close it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound

from ..models import RequestStatus, RequestTopic, ServiceRequest, ServiceRequestMessage, ServiceStation
from ..selectors import is_station_staff
from .common import notify, path

BODY_MAX_LENGTH = 4000


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise InvalidInput(fields={"body": [_("Write your message.")]})
    if len(body) > BODY_MAX_LENGTH:
        raise InvalidInput(
            fields={"body": [_("A message has at most {count} characters.").format(count=BODY_MAX_LENGTH)]}
        )
    return body


def service_request_create(
    *, actor, station: ServiceStation, topic: str, subject: str, body: str
) -> ServiceRequest:
    """A signed-in person asks a service station for help; the station answers from its queue."""
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden()
    problems = {}
    if not station.is_active:
        problems["station"] = [_("Choose one of the stations offered.")]
    if topic not in RequestTopic.values:
        problems["topic"] = [_("Choose one of the offered values.")]
    if not subject.strip():
        problems["subject"] = [_("Give your request a subject.")]
    if problems:
        raise InvalidInput(fields=problems)
    body = _clean_body(body)
    now = timezone.now()
    with transaction.atomic():
        request = ServiceRequest.objects.create(
            requester=actor, station=station, topic=topic, subject=subject.strip()[:200], last_activity_at=now
        )
        ServiceRequestMessage.objects.create(request=request, author=actor, body=body)
        audit_record(actor=actor, action="service_request_created", target=request)
    return request


def _lock(request: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("requester", "station")
        .get(pk=request.pk)
    )


def service_request_reply(*, actor, request: ServiceRequest, body: str) -> ServiceRequestMessage:
    """The station's staff answer a request; the person is told."""
    if not is_station_staff(actor, request.station_id):
        raise Forbidden(_("Only the station's staff may answer its requests."))
    body = _clean_body(body)
    with transaction.atomic():
        request = _lock(request)
        if request.status == RequestStatus.CLOSED:
            raise NotAllowed(_("This request is closed."), code="request_closed")
        message = ServiceRequestMessage.objects.create(
            request=request, author=actor, body=body, from_station=True
        )
        request.status = RequestStatus.ANSWERED
        request.last_activity_at = message.created_at
        request.save(update_fields=["status", "last_activity_at", "updated_at"])
        audit_record(actor=actor, action="service_request_replied", target=request)
        notify(
            actor=actor,
            kind="service_request_replied",
            recipient=request.requester,
            context=lambda: {
                "reference": f"#{request.pk}",
                "request_subject": request.subject,
                "station": request.station.name,
                "message": body,
            },
            dedupe_key=f"service_request_replied:{message.pk}",
            link=path("outreach:service_request", pk=request.pk),
        )
    return message


def service_request_follow_up(*, actor, request: ServiceRequest, body: str) -> ServiceRequestMessage:
    """The person adds to their request; it goes back to the station's queue."""
    if request.requester_id != actor.pk:
        raise NotFound()
    body = _clean_body(body)
    with transaction.atomic():
        request = _lock(request)
        if request.status == RequestStatus.CLOSED:
            raise NotAllowed(_("This request is closed."), code="request_closed")
        message = ServiceRequestMessage.objects.create(request=request, author=actor, body=body)
        request.status = RequestStatus.OPEN
        request.last_activity_at = message.created_at
        request.save(update_fields=["status", "last_activity_at", "updated_at"])
        audit_record(actor=actor, action="service_request_followed_up", target=request)
    return message


def service_request_close(*, actor, request: ServiceRequest) -> ServiceRequest:
    """The person, or the station's staff, close a request."""
    if request.requester_id != actor.pk and not is_station_staff(actor, request.station_id):
        raise NotFound()
    with transaction.atomic():
        request = _lock(request)
        if request.status == RequestStatus.CLOSED:
            raise NotAllowed(_("This request is closed."), code="request_closed")
        request.status = RequestStatus.CLOSED
        request.closed_at = timezone.now()
        request.last_activity_at = request.closed_at
        request.save(update_fields=["status", "closed_at", "last_activity_at", "updated_at"])
        audit_record(actor=actor, action="service_request_closed", target=request)
    return request
