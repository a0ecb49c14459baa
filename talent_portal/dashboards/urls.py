from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="public_home"),
    path("dashboard/", views.dashboard, name="home"),
    path("commission/nominations/<int:pk>/permits/", views.nomination_permits, name="nomination_permits"),
]
