"""The plain-DRF reference: the officers' queue written the way most Django projects would.

``ModelViewSet`` + ``ModelSerializer`` + ``PageNumberPagination`` over the same cases and the same
columns as the product's queue API (``permits/api/officers.py``), with the obvious
``select_related`` a competent team adds (without it every row costs two more queries). Served only
under the benchmark settings (``bench/settings.py``); never part of the product.
"""

from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination

from permits.models import Application
from permits.selectors import QUEUE_STATES


class PlainQueueSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name_zh")
    applicant_name = serializers.CharField()
    assigned_officer = serializers.CharField(source="assigned_officer.full_name", default="")

    class Meta:
        model = Application
        fields = [
            "public_id",
            "reference",
            "business_type",
            "route",
            "state",
            "version",
            "organization",
            "applicant_name",
            "sponsorship",
            "submitted_at",
            "target_date",
            "statutory_limit",
            "created_at",
            "assigned_officer",
        ]


class PlainPagination(PageNumberPagination):
    page_size = 50


class PlainQueueViewSet(viewsets.ModelViewSet):
    serializer_class = PlainQueueSerializer
    pagination_class = PlainPagination
    queryset = (
        Application.objects.filter(state__in=QUEUE_STATES, target_date__isnull=False)
        .select_related("organization", "assigned_officer")
        .order_by("target_date", "id")
    )
