"""API of classification: the public assessment and catalogue (``public``) and recognition claims
(``claims``). ``talent_portal/api_urls.py`` mounts these views."""

from .claims import (
    ClaimCertifyView,
    ClaimDetailView,
    ClaimEvidenceView,
    ClaimListView,
    ClaimRecogniseView,
    ClaimRefuseView,
)
from .public import AssessmentThrottle, AssessmentView, CatalogueView

__all__ = [
    "AssessmentThrottle",
    "AssessmentView",
    "CatalogueView",
    "ClaimCertifyView",
    "ClaimDetailView",
    "ClaimEvidenceView",
    "ClaimListView",
    "ClaimRecogniseView",
    "ClaimRefuseView",
]
