"""``/api/v1/``: every app's API, mounted in one place."""

from django.urls import path

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
