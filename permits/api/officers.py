"""Officers' endpoints: the queue and one endpoint per decision."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
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
    """Keyset pagination on (target date, id), with DRF's cursor (``?cursor=``, next/previous links).

    The cursor's position is the last case's ``date_id``, unique, so no offset is ever needed and
    every page, however deep, is a row comparison ``(target_date, id) > (…)`` that starts in the
    index where the page is. (DRF's own cursor keeps only the date and skips the cases of that
    date with an offset, capped at 1,000: a day with more queued cases could not be paged through.)
    A cursor holding a date alone (an older link) still reads as DRF read it.
    """

    ordering = ("target_date", "id")

    def _get_position_from_instance(self, instance, ordering):
        if isinstance(instance, dict):
            return f"{instance['target_date'].isoformat()}_{instance['id']}"
        return f"{instance.target_date.isoformat()}_{instance.pk}"

    def paginate_queryset(self, queryset, request, view=None):
        from datetime import date

        from rest_framework.exceptions import NotFound

        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.cursor = self.decode_cursor(request)
        offset, reverse, position = self.cursor or (0, False, None)
        queryset = queryset.order_by(*(("-target_date", "-id") if reverse else self.ordering))
        if position is not None:
            try:
                if "_" in position:
                    day, pk = position.split("_")
                    queryset = selectors.queue_after(
                        queryset, target_date=date.fromisoformat(day), pk=int(pk), reverse=reverse
                    )
                else:  # a date alone: DRF's position, then its offset
                    lookup = "target_date__lt" if reverse else "target_date__gt"
                    queryset = queryset.filter(**{lookup: date.fromisoformat(position)})
            except ValueError:
                raise NotFound(self.invalid_cursor_message) from None
        results = list(queryset[offset : offset + self.page_size + 1])
        self.page = results[: self.page_size]
        following = (
            self._get_position_from_instance(results[-1], self.ordering)
            if len(results) > len(self.page)
            else None
        )
        # From here on as DRF's CursorPagination (whose links this class keeps building).
        if reverse:
            self.page.reverse()
            self.has_next = position is not None or offset > 0
            self.has_previous = following is not None
            self.next_position, self.previous_position = position, following
        else:
            self.has_next = following is not None
            self.has_previous = position is not None or offset > 0
            self.next_position, self.previous_position = following, position
        return self.page


class QueueView(ListAPIView):
    serializer_class = QueueRowSerializer  # the schema of a row; ``list`` writes the same rows faster
    pagination_class = QueuePagination

    def get_queryset(self):
        from ..officer_views import QueueFilterForm

        params = self.request.query_params
        filtered = any(name in params for name in QueueFilterForm.base_fields)
        form = QueueFilterForm(params if filtered else None)
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

    def list(self, request, *args, **kwargs):
        """The page as ``QueueRowSerializer`` would write it, from the shown columns alone."""
        from .. import deadlines

        page = self.paginate_queryset(selectors.queue_values(self.get_queryset()))
        rows = selectors.queue_rows(page, today=deadlines.today())
        zone = timezone.get_current_timezone()
        return self.get_paginated_response([_queue_row(row, zone) for row in rows])


def _datetime(value, zone) -> str | None:
    """A time as DRF's ``DateTimeField`` writes it: in the current time zone, ISO 8601."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _queue_row(row, zone) -> dict:
    """One ``QueueRow`` as ``QueueRowSerializer`` writes a case (same keys, order and formats)."""
    statutory_limit = row["statutory_limit"]
    return {
        "public_id": str(row["public_id"]),
        "reference": row["reference"],
        "business_type": row["business_type"],
        "route": row["route"],
        "state": row["state"],
        "version": row["version"],
        "organization": row["organization_name"],
        "applicant_name": row["applicant_name"],
        "sponsorship": row["sponsorship"],
        "submitted_at": _datetime(row["submitted_at"], zone),
        "target_date": row["target_date"].isoformat(),
        "statutory_limit": None if statutory_limit is None else statutory_limit.isoformat(),
        "created_at": _datetime(row["created_at"], zone),
        "assigned_officer": row["officer_name"] or "",
        "flags": row["flags"],
    }


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
