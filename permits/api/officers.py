"""Officers' endpoints: the queue and one endpoint per decision."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _t
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from talent_portal.core.api import KeysetPagination
from talent_portal.core.errors import InvalidInput

from .. import actions, selectors
from ..models import DocumentKind
from .common import (
    ApplicationDetailSerializer,
    ApplicationSummarySerializer,
    DocumentVersionSerializer,
    _case,
    _detail,
)


class QueueRowSerializer(ApplicationSummarySerializer):
    assigned_officer = serializers.CharField(source="assigned_officer.full_name", default="")
    flags = serializers.SerializerMethodField()

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [*ApplicationSummarySerializer.Meta.fields, "assigned_officer", "flags"]

    @extend_schema_field(
        inline_serializer(
            "QueueFlags",
            {
                "overdue": serializers.BooleanField(),
                "in_breach": serializers.BooleanField(),
                "near_breach": serializers.BooleanField(),
                "class_mismatch": serializers.BooleanField(),
                "talent_class": serializers.CharField(),
            },
        )
    )
    def get_flags(self, application):
        return selectors.queue_flags(application, today=self.context["today"])


class QueuePagination(KeysetPagination):
    ordering = ("target_date", "id")


class QueueView(ListAPIView):
    serializer_class = QueueRowSerializer
    pagination_class = QueuePagination

    def get_queryset(self):
        from ..officer_views import QueueFilterForm

        form = QueueFilterForm(self.request.query_params or None)
        return selectors.officer_queue(self.request.user, filters=form.filters()).filter(
            target_date__isnull=False
        )

    def get_serializer_context(self):
        from .. import deadlines

        return {**super().get_serializer_context(), "today": deadlines.today()}

    @extend_schema(summary="The officers' queue, by target date then id (keyset pagination)")
    def get(self, request, *args, **kwargs):
        from talent_portal.accounts.models import Duty

        if not (request.user.has_duty(Duty.WORK_PERMIT_OFFICER) or request.user.has_duty(Duty.LEAD_OFFICER)):
            raise Http404
        return super().get(request, *args, **kwargs)


class DecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="The version you last read (required for state changes)."
    )
    reason_codes = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    valid_until = serializers.DateField(required=False)
    holder_id = serializers.IntegerField(required=False, allow_null=True)
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentKind.choices), required=False, default=list
    )
    officer_id = serializers.IntegerField(required=False)
    category = serializers.CharField(required=False, default="")


def _decide(action, user, case, data):
    from talent_portal.accounts.models import User

    from ..models import PermitHolder

    version = data.get("version")
    if (
        action
        in {
            "accept",
            "return",
            "start_review",
            "request_documents",
            "approve",
            "propose_refusal",
            "confirm_proposal",
            "send_back_proposal",
            "extend_limit",
        }
        and version is None
    ):
        raise InvalidInput(fields={"version": [_t("This field is required.")]})
    calls = {
        "claim": lambda: actions.application_claim(actor=user, application=case),
        "release": lambda: actions.application_release(actor=user, application=case),
        "reassign": lambda: actions.application_reassign(
            actor=user, application=case, officer=get_object_or_404(User, pk=data.get("officer_id"))
        ),
        "accept": lambda: actions.application_accept(actor=user, application=case, expected_version=version),
        "return": lambda: actions.application_return(
            actor=user,
            application=case,
            expected_version=version,
            reason_codes=data["reason_codes"],
            note=data["note"],
        ),
        "start_review": lambda: actions.application_start_review(
            actor=user, application=case, expected_version=version
        ),
        "request_documents": lambda: actions.application_request_documents(
            actor=user, application=case, expected_version=version, kinds=data["kinds"], message=data["note"]
        ),
        "approve": lambda: actions.application_approve(
            actor=user,
            application=case,
            expected_version=version,
            valid_until=data.get("valid_until"),
            returning_holder=PermitHolder.objects.filter(pk=data.get("holder_id")).first()
            if data.get("holder_id")
            else None,
        ),
        "propose_refusal": lambda: actions.application_propose_refusal(
            actor=user,
            application=case,
            expected_version=version,
            reason_codes=data["reason_codes"],
            note=data["note"],
        ),
        "confirm_proposal": lambda: actions.application_confirm_proposal(
            actor=user, application=case, expected_version=version
        ),
        "send_back_proposal": lambda: actions.application_send_back_proposal(
            actor=user, application=case, expected_version=version, comment=data["note"]
        ),
        "extend_limit": lambda: actions.application_extend_limit(
            actor=user, application=case, expected_version=version, reason=data["note"]
        ),
        "confirm_class": lambda: actions.application_confirm_class(actor=user, application=case),
        "override_class": lambda: actions.application_override_class(
            actor=user, application=case, category=data["category"], reason=data["note"]
        ),
    }
    return calls[action]()


OFFICER_ACTIONS = {
    "claim": "Claim a case",
    "release": "Release a case",
    "reassign": "Reassign a case (lead officers)",
    "accept": "Accept the file after pre-check",
    "return": "Return the file with one consolidated list of defects",
    "start_review": "Start the review",
    "request_documents": "Ask for more documents (the clock stops)",
    "approve": "Approve and issue (or propose, when a lead officer must confirm)",
    "propose_refusal": "Propose a refusal to a lead officer",
    "confirm_proposal": "Confirm a proposed decision (lead officers)",
    "send_back_proposal": "Send a proposal back (lead officers)",
    "extend_limit": "Extend the statutory limit once",
    "confirm_class": "Confirm the computed class",
    "override_class": "Override the class with a reason",
}


def _decision_view(action: str, summary: str):
    class DecisionView(APIView):
        @extend_schema(
            request=DecisionSerializer,
            responses=ApplicationDetailSerializer,
            summary=summary,
            operation_id=f"applications_{action}",
        )
        def post(self, request, public_id):
            application = _case(request, public_id)
            serializer = DecisionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            _decide(action, request.user, application, serializer.validated_data)
            return _detail(request, application)

    DecisionView.__name__ = f"{action.title().replace('_', '')}View"
    return DecisionView


DECISION_VIEWS = {action: _decision_view(action, summary) for action, summary in OFFICER_ACTIONS.items()}


class DocumentReviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[("accepted", "accepted"), ("rejected", "rejected")])
    reason_code = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DocumentReviewView(APIView):
    @extend_schema(
        request=DocumentReviewSerializer,
        responses=DocumentVersionSerializer,
        summary="Accept or reject a document version (officers)",
    )
    def post(self, request, public_id, version_id):
        from ..models import DocumentVersion

        application = _case(request, public_id)
        version = get_object_or_404(DocumentVersion, pk=version_id, document__application=application)
        serializer = DocumentReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = actions.document_review(actor=request.user, version=version, **serializer.validated_data)
        return Response(DocumentVersionSerializer(version).data)
