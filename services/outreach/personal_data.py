"""What ``outreach`` holds about a person, for "Download my data" (``core.personal_data``):
event registrations (and hiring intentions recorded on them), service requests with their
messages, award nominations and grants."""

from talent_portal.core.personal_data import field_values, section

from .models import AwardGrant, HiringIntention, Nomination, Registration, ServiceRequest


@section("event_registrations", order=50)
def event_registrations(user) -> list[dict]:
    rows = Registration.objects.filter(user=user).select_related("event").order_by("created_at", "pk")
    intentions = {}
    for intention in HiringIntention.objects.filter(registration__user=user):
        intentions.setdefault(intention.registration_id, []).append(field_values(intention))
    return [
        field_values(row) | {"event_title": str(row.event), "hiring_intentions": intentions.get(row.pk, [])}
        for row in rows
    ]


@section("service_requests", order=51)
def service_requests(user) -> list[dict]:
    rows = ServiceRequest.objects.filter(requester=user).prefetch_related("messages").order_by("created_at")
    return [
        field_values(row) | {"messages": [field_values(message) for message in row.messages.all()]}
        for row in rows
    ]


@section("awards", order=52)
def awards(user) -> dict:
    return {
        "nominations": [
            field_values(row) for row in Nomination.objects.filter(nominee=user).order_by("created_at")
        ],
        "grants": [
            field_values(row) for row in AwardGrant.objects.filter(laureate=user).order_by("created_at")
        ],
    }
