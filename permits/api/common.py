"""What every case endpoint shares: the case serializers and the lookups scoped to the caller."""

from django.http import Http404
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from .. import selectors
from ..models import Application
from ..parts import APPLICANT_FIELDS, EMPLOYER_FIELDS


class ApplicationSummarySerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name_zh")
    applicant_name = serializers.CharField()

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
        ]


class TransitionSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor_role = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    reason_codes = serializers.ListField(child=serializers.CharField())
    comment = serializers.CharField()


class DocumentVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    reason_code = serializers.CharField()
    review_note = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    issue_date = serializers.DateField(allow_null=True)
    uploaded_at = serializers.DateTimeField()


class ChecklistRowSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    current = DocumentVersionSerializer(allow_null=True)
    earlier = DocumentVersionSerializer(many=True)
    lapse_date = serializers.DateField(allow_null=True)


class ApplicationDetailSerializer(ApplicationSummarySerializer):
    passport_number = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    checklist = serializers.SerializerMethodField()
    submission_problems = serializers.SerializerMethodField()

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [
            *ApplicationSummarySerializer.Meta.fields,
            # Both parties' parts, as the forms define them (permits/parts.py).
            *EMPLOYER_FIELDS,
            *APPLICANT_FIELDS,
            "employer_part_completed_at",
            "applicant_part_completed_at",
            "declaration_kind",
            "declared_at",
            "respond_by",
            "entry_date",
            "timeline",
            "allowed_actions",
            "checklist",
            "submission_problems",
        ]

    def get_passport_number(self, application) -> str:
        user = self.context["request"].user
        if application.applicant_id == user.pk:
            return application.passport_number
        return application.masked_passport_number

    @extend_schema_field(TransitionSerializer(many=True))
    def get_timeline(self, application):
        return TransitionSerializer(
            selectors.timeline(self.context["request"].user, application), many=True
        ).data

    def get_allowed_actions(self, application) -> list[str]:
        return [step.action for step in selectors.allowed_steps(self.context["request"].user, application)]

    @extend_schema_field(ChecklistRowSerializer(many=True))
    def get_checklist(self, application) -> list[dict]:
        return ChecklistRowSerializer(selectors.checklist_rows(application), many=True).data

    def get_submission_problems(self, application) -> list[str]:
        return [
            str(p)
            for p in selectors.what_is_needed(self.context["request"].user, application)[
                "submission_problems"
            ]
        ]


def _case(request, public_id) -> Application:
    application = selectors.application_detail(request.user, public_id)
    if application is None:
        raise Http404
    return application


def _detail(request, application, status_code=status.HTTP_200_OK):
    application = selectors.application_detail(request.user, application.public_id)
    return Response(
        ApplicationDetailSerializer(application, context={"request": request}).data, status=status_code
    )
