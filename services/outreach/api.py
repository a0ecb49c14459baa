"""API of outreach: public events and the directory, one's registrations, and check-in at the door.

Texts of events, offices and stations come in the request's language (``Accept-Language``),
falling back like the pages do. ``talent_portal/api_urls.py`` mounts these views.
"""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from talent_portal.core.api import KeysetPagination, idempotent_create

from . import actions, selectors
from .actions.events import waitlist_position
from .models import (
    Audience,
    EventStatus,
    EventType,
    Language,
    RegistrationStatus,
    RequestTopic,
    StationOperator,
)
from .models import Event as EventModel


class EventPagination(KeysetPagination):
    ordering = ("starts_at", "id")


class MyRegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RegistrationStatus.choices)


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event_type = serializers.ChoiceField(choices=EventType.choices)
    series = serializers.CharField()
    edition = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    description = serializers.CharField()
    venue = serializers.CharField()
    online = serializers.SerializerMethodField(help_text="Whether the event (also) takes place online.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    places_left = serializers.SerializerMethodField()
    waitlisted = serializers.IntegerField(source="waitlisted_count")
    registration_opens_at = serializers.DateTimeField()
    registration_closes_at = serializers.DateTimeField()
    cancellation_deadline = serializers.DateTimeField()
    audience = serializers.ChoiceField(choices=Audience.choices)
    languages = serializers.ListField(child=serializers.ChoiceField(choices=Language.choices))
    status = serializers.ChoiceField(choices=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
    ics_url = serializers.SerializerMethodField()
    my_registration = serializers.SerializerMethodField()

    def get_online(self, event) -> bool:
        return bool(event.online_url)

    def get_places_left(self, event) -> int:
        return max(event.capacity - event.confirmed_count, 0)

    def get_ics_url(self, event) -> str:
        return reverse("outreach:event_ics", kwargs={"pk": event.pk})

    @extend_schema_field(MyRegistrationSerializer(allow_null=True))
    def get_my_registration(self, event):
        registration = self.context.get("registrations", {}).get(event.pk)
        if registration is None or not registration.is_active:
            return None
        return MyRegistrationSerializer(registration).data


class EventDetailSerializer(EventSerializer):
    online_url = serializers.SerializerMethodField(help_text="Given to people with a confirmed place only.")

    def get_online_url(self, event) -> str:
        registration = self.context.get("registrations", {}).get(event.pk)
        if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
            return event.online_url
        return ""


class EventListView(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = EventSerializer
    pagination_class = EventPagination

    def get_queryset(self):
        params = self.request.query_params
        return selectors.event_list(
            self.request.user,
            event_type=params.get("event_type", "") if params.get("event_type") in EventType.values else "",
            language=params.get("language", "") if params.get("language") in Language.values else "",
            past=params.get("past") == "true",
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["registrations"] = getattr(self, "_registrations", {})
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._registrations = selectors.registrations_by_event(self.request.user, page or [])
        return page

    @extend_schema(
        parameters=[
            OpenApiParameter("event_type", OpenApiTypes.STR, enum=EventType.values),
            OpenApiParameter("language", OpenApiTypes.STR, enum=Language.values),
            OpenApiParameter("past", OpenApiTypes.BOOL, description="Past events instead of upcoming ones."),
        ],
        summary="Events: upcoming (or past), with places left and my registration",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _event(request, pk) -> EventModel:
    event = selectors.event_for(request.user, pk)
    if event is None:
        raise Http404
    return event


class EventDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=EventDetailSerializer, summary="One event")
    def get(self, request, pk):
        event = _event(request, pk)
        context = {"registrations": selectors.registrations_by_event(request.user, [event])}
        return Response(EventDetailSerializer(event, context=context).data)


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event_id = serializers.IntegerField()
    event_title = serializers.CharField(source="event.title")
    starts_at = serializers.DateTimeField(source="event.starts_at")
    status = serializers.ChoiceField(choices=RegistrationStatus.choices)
    waitlist_position = serializers.SerializerMethodField()
    code = serializers.CharField(help_text="The code to give an employer at a recruitment fair.")
    check_in_token = serializers.SerializerMethodField(
        help_text="What the QR code carries (confirmed places only)."
    )
    checked_in_at = serializers.DateTimeField(allow_null=True)
    cancellation_deadline = serializers.DateTimeField(source="event.cancellation_deadline")

    def get_waitlist_position(self, registration) -> int | None:
        if registration.status != RegistrationStatus.WAITLISTED:
            return None
        return waitlist_position(registration)

    def get_check_in_token(self, registration) -> str | None:
        if registration.status != RegistrationStatus.CONFIRMED:
            return None
        return actions.check_in_token(registration)


class EventRegisterView(APIView):
    @extend_schema(
        request=None,
        responses={201: RegistrationSerializer},
        summary="Register for an event (a confirmed place, or the waiting list when it is full)",
    )
    def post(self, request, pk):
        event = _event(request, pk)

        def create():
            registration = actions.registration_create(actor=request.user, event=event)
            return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

        return idempotent_create(request, f"registration_create:{event.pk}", create)


class RegistrationListView(ListAPIView):
    serializer_class = RegistrationSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.registrations_of(self.request.user)

    @extend_schema(summary="My registrations")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _registration(request, pk):
    registration = selectors.registration_of(request.user, pk)
    if registration is None:
        raise Http404
    return registration


class RegistrationDetailView(APIView):
    @extend_schema(responses=RegistrationSerializer, summary="One of my registrations")
    def get(self, request, pk):
        return Response(RegistrationSerializer(_registration(request, pk)).data)


class RegistrationCancelView(APIView):
    @extend_schema(
        request=None,
        responses=RegistrationSerializer,
        summary="Cancel my registration (until the event's cut-off); the waiting list moves up",
    )
    def post(self, request, pk):
        registration = actions.registration_cancel(
            actor=request.user, registration=_registration(request, pk)
        )
        return Response(RegistrationSerializer(registration).data)


class CheckInSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200, help_text="What the QR code carries.")
    event_id = serializers.IntegerField(required=False, help_text="Refuse registrations for other events.")


class CheckInResultSerializer(serializers.Serializer):
    registration_id = serializers.IntegerField(source="pk")
    event_id = serializers.IntegerField()
    event_title = serializers.CharField(source="event.title")
    full_name = serializers.CharField(source="user.full_name")
    checked_in_at = serializers.DateTimeField()


class CheckInView(APIView):
    @extend_schema(
        request=CheckInSerializer,
        responses=CheckInResultSerializer,
        summary="Check a person in at the door (service-station staff, administrators); once only",
    )
    def post(self, request):
        serializer = CheckInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = None
        if serializer.validated_data.get("event_id"):
            event = (
                selectors.check_in_events(request.user)
                .filter(pk=serializer.validated_data["event_id"])
                .first()
            )
            if event is None:
                raise Http404
        registration = actions.registration_check_in(
            actor=request.user, token=serializer.validated_data["token"], event=event
        )
        return Response(CheckInResultSerializer(registration).data)


class LiaisonOfficeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField(), help_text="ISO 3166-1 alpha-3 codes.")
    city = serializers.CharField()
    address = serializers.CharField()
    contact_name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    website = serializers.URLField()
    services = serializers.CharField()


class LiaisonOfficeListView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-3 code.")],
        responses=LiaisonOfficeSerializer(many=True),
        summary="Overseas liaison offices",
    )
    def get(self, request):
        country = request.query_params.get("country", "").upper()[:3]
        return Response(LiaisonOfficeSerializer(selectors.liaison_offices(country=country), many=True).data)


class ServiceStationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    operator = serializers.ChoiceField(choices=StationOperator.choices)
    district = serializers.CharField()
    address = serializers.CharField()
    hours = serializers.CharField()
    services = serializers.CharField()
    topics = serializers.ListField(child=serializers.ChoiceField(choices=RequestTopic.choices))
    languages = serializers.ListField(child=serializers.ChoiceField(choices=Language.choices))
    phone = serializers.CharField()
    email = serializers.EmailField()


class ServiceStationListView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("district", OpenApiTypes.STR),
            OpenApiParameter("language", OpenApiTypes.STR, enum=Language.values),
            OpenApiParameter("topic", OpenApiTypes.STR, enum=RequestTopic.values),
        ],
        responses=ServiceStationSerializer(many=True),
        summary="Talent service stations",
    )
    def get(self, request):
        params = request.query_params
        stations = selectors.service_stations(
            district=params.get("district", ""),
            language=params.get("language", "") if params.get("language") in Language.values else "",
            topic=params.get("topic", "") if params.get("topic") in RequestTopic.values else "",
        )
        return Response(ServiceStationSerializer(stations, many=True).data)
