"""The product's URLs plus, under ``/bench/`` only, the baseline and the plain-DRF reference."""

from django.http import JsonResponse
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from services.classification.api.public import AssessmentThrottle
from talent_portal.urls import handler403, handler404, handler500
from talent_portal.urls import urlpatterns as product_urlpatterns

from .plain_drf import PlainQueueViewSet

# The public self-assessment is throttled at 1,000 calls an hour per address; a load test from one
# address would measure the 429 answer. The throttle still runs (same cache look-up), it only no
# longer refuses.
AssessmentThrottle.rate = "100000000/hour"


def baseline(request):
    """The bare view: a small JSON object through the product's full middleware."""
    return JsonResponse({"status": "ok", "service": "talent-portal"})


router = SimpleRouter()
router.register("plain-drf/queue", PlainQueueViewSet, basename="plain-drf-queue")

urlpatterns = [
    path("bench/baseline", baseline, name="bench-baseline"),
    path("bench/", include(router.urls)),
    *product_urlpatterns,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
