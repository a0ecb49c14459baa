from django.urls import path

from . import views_admin

app_name = "operations"

urlpatterns = [
    path("reference-data/", views_admin.reference_data_page, name="reference_data"),
]
