"""Root URLs. Pages carry a language prefix; the API, verification, health and metrics do not."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from permits import views as permit_views
from talent_portal.accounts.views import set_language
from talent_portal.core import views as core_views
from talent_portal.operations import views as operations_views

handler400 = core_views.bad_request
handler404 = core_views.page_not_found
handler403 = core_views.permission_denied
handler500 = core_views.server_error

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/live", core_views.healthz_live, name="healthz-live"),
    path("healthz/ready", core_views.healthz_ready, name="healthz-ready"),
    path("metrics", operations_views.metrics, name="metrics"),
    path("verify/<str:token>", permit_views.verify_token, name="verify"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include(("talent_portal.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns += i18n_patterns(
    path("", include("talent_portal.dashboards.urls")),
    path("accounts/", include("talent_portal.accounts.urls")),
    path("applications/", include("permits.urls")),
    path("classification/", include("services.classification.urls")),
    path("notifications/", include("services.notifications.urls")),
    path("outreach/", include("services.outreach.urls")),
    path("operations/", include("talent_portal.operations.urls")),
    # The administration site signs in through the portal's own sign-in (with two factors).
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
