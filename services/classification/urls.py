from django.urls import path

from . import views

app_name = "classification"

urlpatterns = [
    path("self-assessment/", views.self_assessment, name="self_assessment"),
    path("self-assessment/start-application/", views.start_application, name="start_application"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("claims/", views.claims, name="claims"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/evidence/", views.claim_add_evidence, name="claim_add_evidence"),
    path("claims/<int:pk>/evidence/<int:evidence_pk>/", views.claim_evidence, name="claim_evidence"),
    path("claims/<int:pk>/certify/", views.claim_certify, name="claim_certify"),
    path("claims/<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("employer/claims/", views.employer_claims, name="employer_claims"),
    path("officer/claims/", views.officer_claims, name="officer_claims"),
]
