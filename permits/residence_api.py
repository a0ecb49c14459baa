"""API of the single window: the residence track, its queue, its decisions, the fee and the hand-over."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _t
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from talent_portal.accounts.models import Duty
from talent_portal.core.api import KeysetPagination
from talent_portal.core.errors import InvalidInput

from . import actions, deadlines, selectors
from .models import DocumentKind, DocumentVersion, FamilyMember, ResidenceTrack, ResidenceType


class FamilyMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = FamilyMember
        fields = ["full_name", "relationship", "nationality", "date_of_birth"]


class ResidenceTransitionSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor_role = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    comment = serializers.CharField()


class SharedDocumentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    version_id = serializers.IntegerField(source="version.pk")
    number = serializers.IntegerField(source="version.number")
    status = serializers.CharField(source="version.status", help_text="The work-permit side's decision.")
    residence_status = serializers.CharField(help_text="The residence track's own decision ('' if none).")


class ResidencePermitSerializer(serializers.Serializer):
    residence_type = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    fee_cny = serializers.IntegerField()


class ResidenceTrackSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="application.reference")
    public_id = serializers.UUIDField(source="application.public_id")
    is_single_window = serializers.BooleanField(source="application.is_single_window")
    assigned_officer = serializers.CharField(source="assigned_officer.full_name", default="")
    family_members = FamilyMemberSerializer(many=True, read_only=True)
    shared_documents = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    permit = serializers.SerializerMethodField()
    expected_date = serializers.SerializerMethodField()

    class Meta:
        model = ResidenceTrack
        fields = [
            "reference",
            "public_id",
            "is_single_window",
            "state",
            "version",
            "assigned_officer",
            "closed_reason",
            "proposal_kind",
            "target_date",
            "statutory_limit",
            "expected_date",
            "respond_by",
            "residence_type",
            "requested_validity_months",
            "shanghai_address",
            "accommodation_registration_number",
            "health_certificate_issued_abroad",
            "family_members",
            "fee_cny",
            "fee_paid_cny",
            "fee_paid_at",
            "fee_payment_method",
            "appointment_centre",
            "appointment_date",
            "appointment_slot",
            "appointment_reschedules",
            "passport_returned_at",
            "shared_documents",
            "timeline",
            "allowed_actions",
            "permit",
        ]

    @extend_schema(responses=SharedDocumentSerializer(many=True))
    def get_shared_documents(self, track) -> list[dict]:
        return SharedDocumentSerializer(selectors.shared_documents(track.application), many=True).data

    @extend_schema(responses=ResidenceTransitionSerializer(many=True))
    def get_timeline(self, track) -> list[dict]:
        user = self.context["request"].user
        return ResidenceTransitionSerializer(selectors.residence_timeline(user, track), many=True).data

    def get_allowed_actions(self, track) -> list[str]:
        return [
            step.action for step in selectors.residence_allowed_steps(self.context["request"].user, track)
        ]

    @extend_schema(responses=ResidencePermitSerializer(allow_null=True))
    def get_permit(self, track) -> dict | None:
        permit = getattr(track, "permit", None)
        return ResidencePermitSerializer(permit).data if permit is not None else None

    def get_expected_date(self, track) -> str | None:
        value = deadlines.expected_date(track.application)
        return value.isoformat() if value else None


def _track(request, public_id) -> ResidenceTrack:
    track = selectors.residence_track_for(request.user, public_id)
    if track is None:
        raise Http404
    return track


def _track_response(request, public_id):
    return Response(ResidenceTrackSerializer(_track(request, public_id), context={"request": request}).data)


class ResidenceQueuePagination(KeysetPagination):
    ordering = ("target_date", "id")


class ResidenceQueueRowSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="application.reference")
    public_id = serializers.UUIDField(source="application.public_id")
    assigned_officer = serializers.CharField(source="assigned_officer.full_name", default="")

    class Meta:
        model = ResidenceTrack
        fields = [
            "reference",
            "public_id",
            "state",
            "version",
            "target_date",
            "statutory_limit",
            "assigned_officer",
        ]


class ResidenceQueueView(ListAPIView):
    serializer_class = ResidenceQueueRowSerializer
    pagination_class = ResidenceQueuePagination

    def get_queryset(self):
        params = self.request.query_params
        return selectors.residence_queue(
            self.request.user,
            assigned=params.get("assigned", ""),
            state=params.get("state", ""),
            overdue=params.get("overdue", "") in ("1", "true"),
        )

    @extend_schema(
        summary="The exit-entry officers' queue of residence tracks (keyset pagination)",
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=[str(value) for value in selectors.RESIDENCE_QUEUE_STATES],
                description="Only tracks in this state.",
            ),
            OpenApiParameter(
                "assigned", str, enum=["me", "nobody"], description="Assigned to me, or to nobody."
            ),
            OpenApiParameter("overdue", bool, description="Only tracks past their target date."),
        ],
    )
    def get(self, request, *args, **kwargs):
        if not request.user.has_duty(Duty.EXIT_ENTRY_OFFICER):
            raise Http404
        return super().get(request, *args, **kwargs)


class ResidenceTrackView(APIView):
    @extend_schema(responses=ResidenceTrackSerializer, summary="The residence track of a single-window case")
    def get(self, request, public_id):
        return _track_response(request, public_id)


class SingleWindowSerializer(serializers.Serializer):
    residence_type = serializers.ChoiceField(choices=ResidenceType.choices, default=ResidenceType.WORK)
    requested_validity_months = serializers.IntegerField(min_value=3, max_value=60, default=12)
    shanghai_address = serializers.CharField(allow_blank=True, default="")
    accommodation_registration_number = serializers.CharField(allow_blank=True, default="")
    health_certificate_issued_abroad = serializers.BooleanField(
        default=False, help_text="The health certificate was issued outside China."
    )
    family_members = FamilyMemberSerializer(many=True, required=False, default=list)
    guardian_consent = serializers.BooleanField(
        default=False,
        help_text="The applicant's consent, as parent or guardian, to the processing of the listed "
        "children's data. Required (400 on this field) when a family member is a child.",
    )


class SingleWindowView(APIView):
    @extend_schema(
        request=SingleWindowSerializer,
        responses=ResidenceTrackSerializer,
        summary="Choose the single window and give the residence data (409 with the reasons when ineligible)",
    )
    def post(self, request, public_id):
        application = selectors.application_detail(request.user, public_id)
        if application is None:
            raise Http404
        serializer = SingleWindowSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.single_window_open(actor=request.user, application=application, **serializer.validated_data)
        return _track_response(request, public_id)


class ResidenceDecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="The track's version you last read.")
    reason_codes = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentKind.choices), required=False, default=list
    )
    amount_cny = serializers.IntegerField(required=False)
    method = serializers.CharField(
        required=False, default="", help_text="How the fee was paid: online, card or cash."
    )
    centre = serializers.CharField(required=False, default="")
    date = serializers.DateField(required=False)
    slot = serializers.CharField(required=False, default="")
    version_id = serializers.IntegerField(required=False, help_text="The document version (review_document).")
    status = serializers.CharField(
        required=False, default="", help_text="accepted or rejected (review_document)."
    )
    reason_code = serializers.CharField(required=False, default="")


VERSIONED = {
    "start_review",
    "request_documents",
    "answer",
    "approve",
    "propose_refusal",
    "confirm_refusal",
    "send_back_proposal",
}


def _residence_decide(action, user, case, data):
    version = data.get("version")
    if action in VERSIONED and version is None:
        raise InvalidInput(fields={"version": [_t("This field is required.")]})
    calls = {
        "claim": lambda: actions.track_claim(actor=user, application=case),
        "start_review": lambda: actions.track_start_review(
            actor=user, application=case, expected_version=version
        ),
        "request_documents": lambda: actions.track_request_documents(
            actor=user, application=case, expected_version=version, kinds=data["kinds"], message=data["note"]
        ),
        "answer": lambda: actions.track_answer(
            actor=user, application=case, expected_version=version, comment=data["note"]
        ),
        "approve": lambda: actions.track_approve(actor=user, application=case, expected_version=version),
        "propose_refusal": lambda: actions.track_propose_refusal(
            actor=user,
            application=case,
            expected_version=version,
            reason_codes=data["reason_codes"],
            note=data["note"],
        ),
        "confirm_refusal": lambda: actions.track_confirm_refusal(
            actor=user, application=case, expected_version=version
        ),
        "send_back_proposal": lambda: actions.track_send_back_proposal(
            actor=user, application=case, expected_version=version, comment=data["note"]
        ),
        "pay_fee": lambda: actions.fee_record_payment(
            actor=user,
            application=case,
            amount_cny=data.get("amount_cny") or 0,
            method=data.get("method") or "",
        ),
        "book_appointment": lambda: _book(user, case, data),
        "passport_returned": lambda: actions.passport_returned(actor=user, application=case),
        "review_document": lambda: actions.track_document_review(
            actor=user,
            application=case,
            version=get_object_or_404(DocumentVersion, pk=data.get("version_id"), document__application=case),
            status=data.get("status") or "",
            reason_code=data.get("reason_code") or "",
            note=data.get("note") or "",
        ),
    }
    return calls[action]()


def _book(user, case, data):
    if data.get("date") is None:
        raise InvalidInput(fields={"date": [_t("This field is required.")]})
    return actions.appointment_book(
        actor=user, application=case, centre=data["centre"], on=data["date"], slot=data["slot"]
    )


RESIDENCE_ACTIONS = {
    "claim": "Claim a residence track (exit-entry officers)",
    "start_review": "Start the residence review",
    "request_documents": "Ask for more documents (only the residence clock stops)",
    "answer": "Answer the residence track's request for documents",
    "approve": "Approve the residence track (issues both permits when the work permit is approved)",
    "propose_refusal": "Propose a refusal of the residence track",
    "confirm_refusal": "Confirm a residence refusal (a second exit-entry officer)",
    "send_back_proposal": "Send a residence proposal back",
    "pay_fee": "Record the residence permit's fee as paid",
    "book_appointment": "Book or reschedule the passport hand-over",
    "passport_returned": "Record the passport's return (exit-entry officers)",
    "review_document": "Accept or reject a shared document for the residence permit (exit-entry officers)",
}


def _residence_view(action: str, summary: str):
    class ResidenceDecisionView(APIView):
        @extend_schema(
            request=ResidenceDecisionSerializer,
            responses=ResidenceTrackSerializer,
            summary=summary,
            operation_id=f"residence_{action}",
        )
        def post(self, request, public_id):
            track = _track(request, public_id)
            serializer = ResidenceDecisionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            _residence_decide(action, request.user, track.application, serializer.validated_data)
            return _track_response(request, public_id)

    ResidenceDecisionView.__name__ = f"Residence{action.title().replace('_', '')}View"
    return ResidenceDecisionView


RESIDENCE_VIEWS = {action: _residence_view(action, summary) for action, summary in RESIDENCE_ACTIONS.items()}
