from django.urls import path

from . import employer_views, holder_views, statistics_views, views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="public_home"),
    path("dashboard/", views.dashboard, name="home"),
    path("commission/nominations/<int:pk>/permits/", views.nomination_permits, name="nomination_permits"),
    path("commission/statistics/", statistics_views.statistics_page, name="statistics"),
    path("commission/statistics/export.csv", statistics_views.statistics_csv_download, name="statistics_csv"),
    path(
        "commission/statistics/export.xlsx", statistics_views.statistics_xlsx_download, name="statistics_xlsx"
    ),
    path("dashboard/employer/<int:organization_id>/", employer_views.employer_dashboard, name="employer"),
    path(
        "dashboard/employer/<int:organization_id>/extensions/",
        employer_views.extensions_start,
        name="employer_extensions",
    ),
    path("dashboard/permits/<str:number>/document/", holder_views.holder_document, name="holder_document"),
]
