"""``/api/v1/``: every app's API, mounted in one place."""

from django.urls import path

from permits import api as permits_api
from permits import residence_api
from services.classification import api as classification_api
from services.notifications import api as notifications_api
from services.outreach import api as outreach_api
from talent_portal.accounts import api as accounts_api

urlpatterns = [
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("organizations/", accounts_api.OrganizationListView.as_view(), name="organizations"),
    path("organizations/<int:pk>/", accounts_api.OrganizationDetailView.as_view(), name="organization"),
    path(
        "organizations/<int:pk>/members/", accounts_api.MemberListView.as_view(), name="organization-members"
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_id>/",
        accounts_api.MemberDetailView.as_view(),
        name="organization-member",
    ),
    path(
        "organizations/<int:pk>/transfer-administrator/",
        accounts_api.TransferAdministratorView.as_view(),
        name="organization-transfer-administrator",
    ),
    path(
        "organizations/<int:pk>/invitations/",
        accounts_api.InvitationCreateView.as_view(),
        name="organization-invitations",
    ),
    path("tokens/", accounts_api.ApiTokenListView.as_view(), name="tokens"),
    path("tokens/new/", accounts_api.ApiTokenCreateView.as_view(), name="token-create"),
    path("tokens/<str:token_key>/", accounts_api.ApiTokenDetailView.as_view(), name="token"),
]

urlpatterns += [
    path("applications/", permits_api.ApplicationListView.as_view(), name="applications"),
    path("applications/<uuid:public_id>/", permits_api.ApplicationDetailView.as_view(), name="application"),
    path(
        "applications/<uuid:public_id>/applicant-part/",
        permits_api.ApplicantPartView.as_view(),
        name="application-applicant-part",
    ),
    path(
        "applications/<uuid:public_id>/employer-part/",
        permits_api.EmployerPartView.as_view(),
        name="application-employer-part",
    ),
    path(
        "applications/<uuid:public_id>/declare/",
        permits_api.DeclareView.as_view(),
        name="application-declare",
    ),
    path(
        "applications/<uuid:public_id>/submit/", permits_api.SubmitView.as_view(), name="application-submit"
    ),
    path(
        "applications/<uuid:public_id>/precheck/",
        permits_api.PrecheckView.as_view(),
        name="application-precheck",
    ),
    path(
        "applications/<uuid:public_id>/withdraw/",
        permits_api.WithdrawView.as_view(),
        name="application-withdraw",
    ),
    path(
        "applications/<uuid:public_id>/answer/", permits_api.AnswerView.as_view(), name="application-answer"
    ),
    path(
        "applications/<uuid:public_id>/sponsorship/",
        permits_api.SponsorshipView.as_view(),
        name="application-sponsorship",
    ),
    path(
        "applications/<uuid:public_id>/documents/",
        permits_api.DocumentUploadView.as_view(),
        name="application-documents",
    ),
    path(
        "applications/<uuid:public_id>/documents/<int:version_id>/",
        permits_api.DocumentDownloadView.as_view(),
        name="application-document",
    ),
    path(
        "application-invitations/<str:token>/accept/",
        permits_api.InvitationAcceptView.as_view(),
        name="application-invitation-accept",
    ),
    path("teams/", permits_api.TeamCreateView.as_view(), name="teams"),
    path("permits/", permits_api.PermitListView.as_view(), name="permits"),
    path("permits/<int:permit_id>/entry/", permits_api.PermitEntryView.as_view(), name="permit-entry"),
    path("status-lookup/", permits_api.StatusLookupView.as_view(), name="status-lookup"),
    path(
        "cancellation-requests/", permits_api.CancellationRequestView.as_view(), name="cancellation-requests"
    ),
]

urlpatterns += [
    path(
        "classification/assessments/",
        classification_api.AssessmentView.as_view(),
        name="classification-assessments",
    ),
    path(
        "classification/catalogue/",
        classification_api.CatalogueView.as_view(),
        name="classification-catalogue",
    ),
    path("classification/claims/", classification_api.ClaimListView.as_view(), name="classification-claims"),
    path(
        "classification/claims/<int:pk>/",
        classification_api.ClaimDetailView.as_view(),
        name="classification-claim",
    ),
    path(
        "classification/claims/<int:pk>/certify/",
        classification_api.ClaimCertifyView.as_view(),
        name="classification-claim-certify",
    ),
    path(
        "classification/claims/<int:pk>/recognise/",
        classification_api.ClaimRecogniseView.as_view(),
        name="classification-claim-recognise",
    ),
    path(
        "classification/claims/<int:pk>/refuse/",
        classification_api.ClaimRefuseView.as_view(),
        name="classification-claim-refuse",
    ),
    path(
        "classification/claims/<int:pk>/evidence/<int:evidence_id>/",
        classification_api.ClaimEvidenceView.as_view(),
        name="classification-claim-evidence",
    ),
]

urlpatterns += [
    path("notifications/", notifications_api.NotificationListView.as_view(), name="notifications"),
    path("notifications/unread/", notifications_api.UnreadCountView.as_view(), name="notifications-unread"),
    path(
        "notifications/read-all/", notifications_api.MarkAllReadView.as_view(), name="notifications-read-all"
    ),
    path("notifications/<int:pk>/read/", notifications_api.MarkReadView.as_view(), name="notification-read"),
    path("queue/", permits_api.QueueView.as_view(), name="queue"),
    path(
        "applications/<uuid:public_id>/documents/<int:version_id>/review/",
        permits_api.DocumentReviewView.as_view(),
        name="application-document-review",
    ),
    *[
        path(
            f"applications/<uuid:public_id>/{action.replace('_', '-')}/",
            view.as_view(),
            name=f"application-{action}",
        )
        for action, view in permits_api.DECISION_VIEWS.items()
    ],
]

urlpatterns += [
    path("outreach/events/", outreach_api.EventListView.as_view(), name="outreach-events"),
    path("outreach/events/<int:pk>/", outreach_api.EventDetailView.as_view(), name="outreach-event"),
    path(
        "outreach/events/<int:pk>/register/",
        outreach_api.EventRegisterView.as_view(),
        name="outreach-event-register",
    ),
    path(
        "outreach/registrations/", outreach_api.RegistrationListView.as_view(), name="outreach-registrations"
    ),
    path(
        "outreach/registrations/<int:pk>/",
        outreach_api.RegistrationDetailView.as_view(),
        name="outreach-registration",
    ),
    path(
        "outreach/registrations/<int:pk>/cancel/",
        outreach_api.RegistrationCancelView.as_view(),
        name="outreach-registration-cancel",
    ),
    path("outreach/check-in/", outreach_api.CheckInView.as_view(), name="outreach-check-in"),
    path(
        "outreach/liaison-offices/",
        outreach_api.LiaisonOfficeListView.as_view(),
        name="outreach-liaison-offices",
    ),
    path(
        "outreach/service-stations/",
        outreach_api.ServiceStationListView.as_view(),
        name="outreach-service-stations",
    ),
]

# Single window: the residence track (permits.residence_api).
urlpatterns += [
    path("residence-queue/", residence_api.ResidenceQueueView.as_view(), name="residence-queue"),
    path(
        "applications/<uuid:public_id>/single-window/",
        residence_api.SingleWindowView.as_view(),
        name="application-single-window",
    ),
    path(
        "applications/<uuid:public_id>/residence/",
        residence_api.ResidenceTrackView.as_view(),
        name="application-residence",
    ),
    *[
        path(
            f"applications/<uuid:public_id>/residence/{action.replace('_', '-')}/",
            view.as_view(),
            name=f"application-residence-{action}",
        )
        for action, view in residence_api.RESIDENCE_VIEWS.items()
    ],
]
