from django.urls import path

from .views import directory, events, nominations

app_name = "outreach"

urlpatterns = [
    # Events
    path("events/", events.event_list, name="events"),
    path("events/calendar/", events.event_calendar, name="calendar"),
    path("events/feed.ics", events.events_feed, name="events_feed"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/event.ics", events.event_ics, name="event_ics"),
    path("events/<int:pk>/register/", events.event_register, name="event_register"),
    path("events/<int:pk>/intentions/", events.intention_create, name="intention_create"),
    path("registrations/", events.my_registrations, name="my_registrations"),
    path("registrations/<int:pk>/", events.registration_detail, name="registration"),
    path("registrations/<int:pk>/cancel/", events.registration_cancel, name="registration_cancel"),
    path("intentions/<int:pk>/answer/", events.intention_answer, name="intention_answer"),
    path("check-in/", events.check_in, name="check_in"),
    path("commission/intentions/", events.intention_report, name="intention_report"),
    # Award nominations
    path("nominations/", nominations.nominations, name="nominations"),
    path("nominations/new/", nominations.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", nominations.nomination_detail, name="nomination"),
    path(
        "nominations/<int:pk>/materials/<int:material_pk>/",
        nominations.nomination_material,
        name="nomination_material",
    ),
    path("nominations/<int:pk>/endorse/", nominations.nomination_endorse, name="nomination_endorse"),
    path("nominations/<int:pk>/decline/", nominations.nomination_decline, name="nomination_decline"),
    path("nominations/<int:pk>/withdraw/", nominations.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/review/", nominations.nomination_review, name="nomination_review"),
    path("nominations/<int:pk>/outcome/", nominations.nomination_outcome, name="nomination_outcome"),
    path("commission/nominations/", nominations.nomination_review_list, name="nomination_review_list"),
    # Directory and service requests
    path("directory/liaison-offices/", directory.liaison_offices, name="liaison_offices"),
    path("directory/service-stations/", directory.service_stations, name="service_stations"),
    path("requests/", directory.service_requests, name="service_requests"),
    path("requests/new/", directory.service_request_create, name="service_request_create"),
    path("requests/<int:pk>/", directory.service_request_detail, name="service_request"),
    path("requests/<int:pk>/close/", directory.service_request_close, name="service_request_close"),
    path("station/queue/", directory.station_queue, name="station_queue"),
]
