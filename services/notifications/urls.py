from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bell/", views.bell, name="bell"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.preferences, name="preferences"),
    path("<int:pk>/open/", views.open_entry, name="open"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
]
