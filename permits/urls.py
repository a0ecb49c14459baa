from django.urls import path

from . import officer_views, residence_views, views

app_name = "permits"

urlpatterns = [
    path("", views.my_applications, name="my_applications"),
    path("new/", views.application_start, name="application_start"),
    path("status/", views.status_lookup, name="status_lookup"),
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("queue/", officer_views.queue, name="queue"),
    path("residence-queue/", residence_views.residence_queue, name="residence_queue"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("employer/<int:organization_id>/", views.employer_staff, name="employer_staff"),
    path("employer/<int:organization_id>/new/", views.employer_start, name="employer_start"),
    path("employer/<int:organization_id>/teams/new/", views.team_new, name="team_new"),
    path(
        "employer/<int:organization_id>/cancellation-request/",
        views.cancellation_request,
        name="cancellation_request",
    ),
    path("permits/<int:permit_id>/entry/", views.permit_entry, name="permit_entry"),
    path("<uuid:public_id>/", views.application_detail, name="application"),
    path("<uuid:public_id>/review/", views.review, name="review"),
    path("<uuid:public_id>/part/<slug:slug>/", views.part_step, name="part_step"),
    path("<uuid:public_id>/declare/", views.declare, name="declare"),
    path("<uuid:public_id>/submit/", views.submit, name="submit"),
    path("<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:public_id>/answer/", views.answer, name="answer"),
    path("<uuid:public_id>/sponsorship/", views.sponsorship, name="sponsorship"),
    path("<uuid:public_id>/documents/", views.document_upload, name="document_upload"),
    path("<uuid:public_id>/passport-reading/", views.passport_reading, name="passport_reading"),
    path(
        "<uuid:public_id>/passport-reading/<str:reading_id>/",
        views.passport_reading_status,
        name="passport_reading_status",
    ),
    path("<uuid:public_id>/documents/<int:version_id>/", views.document_download, name="document_download"),
    path("<uuid:public_id>/officer/<slug:action>/", officer_views.decide, name="decide"),
    path("<uuid:public_id>/residence/", residence_views.residence_track, name="residence_track"),
    path("<uuid:public_id>/single-window/", residence_views.single_window, name="single_window"),
    path(
        "<uuid:public_id>/residence/<slug:action>/", residence_views.residence_decide, name="residence_decide"
    ),
    path("<uuid:public_id>/notices/<int:notice_id>/", views.notice_download, name="notice_download"),
]
