from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import privacy_views, sign_in_views, views
from .forms import PortalPasswordChangeForm, PortalPasswordResetForm, PortalSetPasswordForm

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/employer/", views.register_employer, name="register_employer"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("verify-again/", views.resend_verification, name="resend_verification"),
    path("sign-in/", sign_in_views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("sign-in/two-factor/", sign_in_views.two_factor, name="two_factor"),
    path("sign-in/two-factor/enrol/", sign_in_views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/backup-codes/", sign_in_views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("session/keep-alive/", sign_in_views.session_keepalive, name="session_keepalive"),
    path("session/draft/", sign_in_views.form_draft, name="form_draft"),
    path("session/draft/restore/", sign_in_views.form_draft_restore, name="form_draft_restore"),
    path("profile/", views.profile, name="profile"),
    path("email/confirm/<str:token>/", views.confirm_email_change, name="confirm_email_change"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    # Personal data (PIPL): the notice, the person's download and correction requests.
    path("privacy/", privacy_views.privacy_notice, name="privacy_notice"),
    path("my-data/", privacy_views.personal_data, name="personal_data"),
    path("my-data/download/", privacy_views.personal_data_download, name="personal_data_download"),
    path("my-data/corrections/", privacy_views.correction_requests, name="correction_requests"),
    path("tokens/<str:token_key>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("organisations/<int:pk>/", views.organization_detail, name="organization"),
    path(
        "organisations/<int:pk>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_id>/make-administrator/",
        views.member_make_administrator,
        name="member_make_administrator",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("officer/organisations/", views.organizations_to_verify, name="organizations_to_verify"),
    path("officer/organisations/<int:pk>/", views.organization_review, name="organization_review"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            form_class=PortalPasswordChangeForm,
            success_url=reverse_lazy("accounts:profile"),
        ),
        name="password_change",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=PortalPasswordResetForm,
            email_template_name="emails/password_reset.txt",
            html_email_template_name="emails/password_reset.html",
            subject_template_name="emails/password_reset.subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=PortalSetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
