"""Reads of outreach data. Events and the directory are public (invited-only events excepted);
registrations, intentions, nominations and service requests are scoped to the requesting user."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from talent_portal.accounts.models import Duty, Membership

from .models import (
    ACTIVE_NOMINATION_STATES,
    PUBLIC_AUDIENCES,
    AwardRound,
    Event,
    EventInvitation,
    EventStatus,
    HiringIntention,
    IntentionStatus,
    LiaisonOffice,
    Nomination,
    NominationMaterial,
    NominationStatus,
    Registration,
    RegistrationStatus,
    RequestStatus,
    ServiceRequest,
    ServiceRequestMessage,
    ServiceStation,
    SupervisingUnit,
)

# The commission's reviewers of nominations and readers of the outreach reports.
COMMISSION_DUTIES = (Duty.ADMINISTRATOR, Duty.LEAD_OFFICER)
CHECK_IN_DUTIES = (Duty.SERVICE_STATION_STAFF, Duty.ADMINISTRATOR)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_commission_reviewer(user) -> bool:
    """Portal administrators and lead officers review nominations and read the outreach reports."""
    return _signed_in(user) and any(user.has_duty(duty) for duty in COMMISSION_DUTIES)


def may_check_in(user) -> bool:
    """Service-station staff and administrators check people in at the door."""
    return _signed_in(user) and any(user.has_duty(duty) for duty in CHECK_IN_DUTIES)


def is_station_staff(user, station_id) -> bool:
    """Whether ``user`` holds the service-station staff duty and is on the station's staff."""
    return (
        _signed_in(user)
        and user.has_duty(Duty.SERVICE_STATION_STAFF)
        and ServiceStation.staff.through.objects.filter(
            servicestation_id=station_id, user_id=user.pk
        ).exists()
    )


def _member_organization_ids(user):
    return Membership.objects.active().filter(user=user).values("organization_id")


# --- Events -------------------------------------------------------------------------------------


def events_visible_to(user) -> QuerySet[Event]:
    """Published and cancelled events: public ones for everyone, invited-only ones for their guests."""
    events = Event.objects.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
    if not _signed_in(user):
        return events.filter(audience__in=PUBLIC_AUDIENCES)
    invited = EventInvitation.objects.filter(event=OuterRef("pk"), email__iexact=user.email)
    return events.filter(Q(audience__in=PUBLIC_AUDIENCES) | Exists(invited))


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    )


def filter_events(events: QuerySet[Event], *, event_type: str = "", language: str = "") -> QuerySet[Event]:
    if event_type:
        events = events.filter(event_type=event_type)
    if language:
        # The JSON list's text holds each code in quotes: exact on SQLite and PostgreSQL alike.
        events = events.filter(languages__icontains=f'"{language}"')
    return events


def event_list(user, *, event_type: str = "", language: str = "", past: bool = False) -> QuerySet[Event]:
    """The list page: upcoming events (or past ones), with confirmed and waiting counts."""
    now = timezone.now()
    events = filter_events(events_visible_to(user), event_type=event_type, language=language)
    if past:
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    return _with_counts(events)


def events_in_month(user, *, year: int, month: int, event_type: str = "", language: str = "") -> list[Event]:
    """Events overlapping a calendar month (Shanghai time), for the calendar page."""
    first = date(year, month, 1)
    following = (first + timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(following, time.min, tzinfo=zone)
    events = filter_events(events_visible_to(user), event_type=event_type, language=language)
    return list(events.filter(starts_at__lt=end, ends_at__gte=start).order_by("starts_at", "pk"))


def feed_events() -> QuerySet[Event]:
    """Every public event for the iCalendar feed (cancelled ones too, so calendars drop them)."""
    return events_visible_to(None).order_by("starts_at", "pk")


def event_for(user, pk) -> Event | None:
    return _with_counts(events_visible_to(user).filter(pk=pk)).first()


def registrations_by_event(user, events) -> dict[int, Registration]:
    """The user's registrations for ``events``, by event id (one query)."""
    if not _signed_in(user):
        return {}
    registrations = Registration.objects.filter(user=user, event__in=[event.pk for event in events])
    return {registration.event_id: registration for registration in registrations}


# --- Registrations ------------------------------------------------------------------------------


def registrations_of(user) -> QuerySet[Registration]:
    """The person's own registrations, the next event first."""
    if not _signed_in(user):
        return Registration.objects.none()
    return Registration.objects.filter(user=user).select_related("event").order_by("-event__starts_at", "-pk")


def registration_of(user, pk) -> Registration | None:
    """One of the person's own registrations, or None (another's is never found)."""
    return registrations_of(user).filter(pk=pk).first()


def event_registrations_for_check_in(user, event) -> QuerySet[Registration]:
    """The confirmed attendees of ``event`` for the people at the door."""
    if not may_check_in(user):
        return Registration.objects.none()
    return (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def check_in_events(user) -> QuerySet[Event]:
    """Events the door staff may check people in for: published ones from yesterday on."""
    if not may_check_in(user):
        return Event.objects.none()
    return Event.objects.filter(
        status=EventStatus.PUBLISHED, ends_at__gte=timezone.now() - timedelta(days=1)
    ).order_by("starts_at", "pk")


# --- Hiring intentions --------------------------------------------------------------------------


def intentions_of_talent(user) -> QuerySet[HiringIntention]:
    """Intentions employers recorded with the person."""
    if not _signed_in(user):
        return HiringIntention.objects.none()
    return (
        HiringIntention.objects.filter(registration__user=user)
        .select_related("organization", "event", "registration")
        .order_by("-created_at", "-pk")
    )


def intentions_of_employer(user, event=None) -> QuerySet[HiringIntention]:
    """Intentions recorded by the organisations the person is a member of."""
    if not _signed_in(user):
        return HiringIntention.objects.none()
    intentions = HiringIntention.objects.filter(organization_id__in=_member_organization_ids(user))
    if event is not None:
        intentions = intentions.filter(event=event)
    return intentions.select_related("organization", "event", "registration__user").order_by(
        "-created_at", "-pk"
    )


@dataclass(frozen=True)
class IntentionReport:
    events: list  # events with ``confirmed_intentions`` and ``proposed_intentions``
    series: list  # {"series", "editions", "confirmed"} per series
    confirmed_total: int
    proposed_total: int


def intention_report(user) -> IntentionReport | None:
    """The commission's counts of hiring intentions: per fair, per series of fairs, and overall."""
    if not is_commission_reviewer(user):
        return None
    events = list(
        Event.objects.filter(hiring_intentions__isnull=False)
        .annotate(
            confirmed_intentions=Count(
                "hiring_intentions", filter=Q(hiring_intentions__status=IntentionStatus.CONFIRMED)
            ),
            proposed_intentions=Count(
                "hiring_intentions", filter=Q(hiring_intentions__status=IntentionStatus.PROPOSED)
            ),
        )
        .order_by("series", "edition", "starts_at", "pk")
    )
    series = {}
    for event in events:
        if event.series:
            entry = series.setdefault(event.series, {"series": event.series, "editions": 0, "confirmed": 0})
            entry["editions"] += 1
            entry["confirmed"] += event.confirmed_intentions
    return IntentionReport(
        events=events,
        series=list(series.values()),
        confirmed_total=sum(event.confirmed_intentions for event in events),
        proposed_total=sum(event.proposed_intentions for event in events),
    )


# --- Nominations --------------------------------------------------------------------------------


def _nominations() -> QuerySet[Nomination]:
    return Nomination.objects.select_related(
        "round__award",
        "nominee",
        "organization",
        "nominated_by",
        "supervising_unit__organization",
        "endorsed_by",
        "reviewed_by",
    )


def nominations_visible_to(user) -> QuerySet[Nomination]:
    """Nominations ``user`` may see: those of their organisations, those their organisation
    supervises, and all of them for the commission's reviewers. Nominees do not see them."""
    if not _signed_in(user):
        return Nomination.objects.none()
    if is_commission_reviewer(user):
        return _nominations()
    organizations = _member_organization_ids(user)
    return _nominations().filter(
        Q(organization_id__in=organizations) | Q(supervising_unit__organization_id__in=organizations)
    )


def nominations_of_employer(user) -> QuerySet[Nomination]:
    """Nominations filed by the person's organisations, newest first."""
    if not _signed_in(user):
        return Nomination.objects.none()
    return (
        _nominations()
        .filter(organization_id__in=_member_organization_ids(user))
        .order_by("-created_at", "-pk")
    )


def nominations_to_endorse(user) -> QuerySet[Nomination]:
    """Nominations awaiting the endorsement of a supervising unit the person belongs to."""
    if not _signed_in(user):
        return Nomination.objects.none()
    return (
        _nominations()
        .filter(
            supervising_unit__organization_id__in=_member_organization_ids(user),
            status=NominationStatus.SUBMITTED,
        )
        .exclude(nominee=user)
        .order_by("created_at", "pk")
    )


def nominations_to_review(user, *, round_id=None) -> QuerySet[Nomination]:
    """The commission's list: endorsed nominations first, then recommended ones by rank."""
    if not is_commission_reviewer(user):
        return Nomination.objects.none()
    nominations = _nominations().filter(
        status__in=[NominationStatus.ENDORSED, NominationStatus.RECOMMENDED, NominationStatus.AWARDED]
    )
    if round_id:
        nominations = nominations.filter(round_id=round_id)
    return nominations.order_by(
        "-round__year", "round__award__position", "status", "rank", "endorsed_at", "pk"
    )


def nomination_materials(user, nomination: Nomination) -> QuerySet[NominationMaterial]:
    """The files of ``nomination`` if ``user`` may see it, else nothing."""
    if not nominations_visible_to(user).filter(pk=nomination.pk).exists():
        return NominationMaterial.objects.none()
    return NominationMaterial.objects.filter(nomination=nomination).order_by("kind", "pk")


def other_active_nominations(user, nomination: Nomination) -> QuerySet[Nomination]:
    """For reviewers: the nominee's other nominations in the same round (channels)."""
    if not is_commission_reviewer(user):
        return Nomination.objects.none()
    return (
        _nominations()
        .filter(
            round_id=nomination.round_id,
            nominee_id=nomination.nominee_id,
            status__in=ACTIVE_NOMINATION_STATES,
        )
        .exclude(pk=nomination.pk)
    )


def open_rounds(*, on: date) -> QuerySet[AwardRound]:
    """Award rounds open for nominations on ``on``."""
    return (
        AwardRound.objects.filter(nominations_open_on__lte=on, nominations_close_on__gte=on)
        .select_related("award")
        .order_by("award__position", "-year")
    )


def review_rounds(user) -> QuerySet[AwardRound]:
    if not is_commission_reviewer(user):
        return AwardRound.objects.none()
    return AwardRound.objects.select_related("award").order_by("-year", "award__position")


def supervising_units() -> QuerySet[SupervisingUnit]:
    """The active supervising units an employer may choose."""
    return SupervisingUnit.objects.filter(is_active=True).select_related("organization")


def award_grants_of(nominee) -> list:
    """The awards a person holds (for the reviewers' page)."""
    return list(nominee.award_grants.select_related("award").order_by("year"))


# --- Directory ----------------------------------------------------------------------------------


def liaison_offices(*, country: str = "") -> QuerySet[LiaisonOffice]:
    """Active overseas liaison offices, optionally those covering a country (ISO alpha-3)."""
    offices = LiaisonOffice.objects.filter(is_active=True)
    if country:
        offices = offices.filter(countries__icontains=f'"{country}"')
    return offices.order_by("position", "pk")


def service_stations(*, district: str = "", language: str = "", topic: str = "") -> QuerySet[ServiceStation]:
    """Active service stations, filtered by district, a language spoken or a topic handled."""
    stations = ServiceStation.objects.filter(is_active=True)
    if district:
        stations = stations.filter(district=district)
    if language:
        stations = stations.filter(languages__icontains=f'"{language}"')
    if topic:
        stations = stations.filter(topics__icontains=f'"{topic}"')
    return stations.order_by("position", "district", "pk")


# --- Service requests ---------------------------------------------------------------------------


def _requests() -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.select_related("requester", "station")


def service_requests_of(user) -> QuerySet[ServiceRequest]:
    """The person's own requests, most recent activity first."""
    if not _signed_in(user):
        return ServiceRequest.objects.none()
    return _requests().filter(requester=user).order_by("-last_activity_at", "-pk")


def stations_of_staff(user) -> QuerySet[ServiceStation]:
    if not (_signed_in(user) and user.has_duty(Duty.SERVICE_STATION_STAFF)):
        return ServiceStation.objects.none()
    return ServiceStation.objects.filter(staff=user).order_by("position", "pk")


def service_requests_visible_to(user) -> QuerySet[ServiceRequest]:
    """The person's own requests and those of the stations they staff."""
    if not _signed_in(user):
        return ServiceRequest.objects.none()
    return _requests().filter(Q(requester=user) | Q(station__in=stations_of_staff(user)))


def station_queue(user, *, status: str = RequestStatus.OPEN) -> QuerySet[ServiceRequest]:
    """The staff's queue: requests to their stations in ``status``, waiting longest first."""
    if status not in RequestStatus.values:
        status = RequestStatus.OPEN
    return (
        _requests()
        .filter(station__in=stations_of_staff(user), status=status)
        .annotate(message_count=Count("messages"))
        .order_by("last_activity_at", "pk")
    )


def request_messages(user, request: ServiceRequest) -> QuerySet[ServiceRequestMessage]:
    if not service_requests_visible_to(user).filter(pk=request.pk).exists():
        return ServiceRequestMessage.objects.none()
    return request.messages.select_related("author").order_by("created_at", "pk")


def open_request_count(user) -> int:
    """How many requests wait in the staff member's queue (the dashboard's figure)."""
    return station_queue(user).count()
