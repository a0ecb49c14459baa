"""API of the case, applicant and employer side: the same actions and permissions as the pages."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _t
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from talent_portal.accounts import selectors as account_selectors
from talent_portal.accounts.models import Organization, VerificationStatus
from talent_portal.accounts.validators import clean_uscc
from talent_portal.core.api import KeysetPagination, idempotent_create
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import InvalidInput

from . import actions, selectors, steps
from .forms import clean_part_data
from .models import Application, BusinessType, DocumentKind, EntrepreneurTeam, Permit, Route
from .workflow import Party


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
            "post_title",
            "duties",
            "annual_salary_cny",
            "contract_start",
            "contract_end",
            "work_district",
            "work_address",
            "job_end_date",
            "change_kinds",
            "delta_origin",
            "delta_permit_number",
            "delta_permit_class",
            "delta_permit_valid_until",
            "surname",
            "given_names",
            "nationality",
            "date_of_birth",
            "sex",
            "passport_number",
            "passport_expiry",
            "education",
            "degree_taught_in_chinese",
            "related_experience_years",
            "months_in_china_per_year",
            "hsk_level",
            "former_chinese_national",
            "extras",
            "direct_a_criteria",
            "direct_b_criteria",
            "shortage_post_code",
            "claimed_class",
            "in_china",
            "changing_employer",
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


class StartSerializer(serializers.Serializer):
    business_type = serializers.ChoiceField(choices=BusinessType.choices)
    route = serializers.ChoiceField(choices=Route.choices, default=Route.ORDINARY)
    source_permit_id = serializers.IntegerField(required=False, allow_null=True)
    employer_uscc = serializers.CharField(
        required=False, help_text="As an applicant: the employer's unified social credit code."
    )
    organization_id = serializers.IntegerField(required=False, help_text="As HR staff: your organisation.")
    employee_email = serializers.EmailField(required=False)
    employee_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    team_id = serializers.IntegerField(required=False, allow_null=True)

    def validate_employer_uscc(self, value):
        from django.core.exceptions import ValidationError

        try:
            return clean_uscc(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate(self, attrs):
        if bool(attrs.get("employer_uscc")) == bool(attrs.get("organization_id")):
            raise serializers.ValidationError(
                {
                    "employer_uscc": [
                        _t(
                            "Give either the employer's code (as an applicant) or your organisation (as HR staff)."
                        )
                    ]
                }
            )
        if attrs.get("organization_id") and not attrs.get("employee_email"):
            raise serializers.ValidationError({"employee_email": [_t("Give the employee's e-mail address.")]})
        return attrs


class ApplicationListView(ListAPIView):
    serializer_class = ApplicationSummarySerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.applications_visible_to(self.request.user)

    @extend_schema(summary="Applications I may see (mine, my organisations')")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=StartSerializer,
        responses={201: ApplicationDetailSerializer},
        summary="Start an application, as the applicant (naming the employer) or as HR staff (inviting the employee)",
    )
    def post(self, request):
        def create():
            serializer = StartSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            if data.get("organization_id"):
                organization = get_object_or_404(
                    account_selectors.organizations_of_member(request.user), pk=data["organization_id"]
                )
                source_permit = (
                    get_object_or_404(Permit, pk=data["source_permit_id"], organization=organization)
                    if data.get("source_permit_id")
                    else None
                )
                team = (
                    get_object_or_404(EntrepreneurTeam, pk=data["team_id"], sponsor=organization)
                    if data.get("team_id")
                    else None
                )
                application = actions.application_start_by_employer(
                    actor=request.user,
                    organization=organization,
                    business_type=data["business_type"],
                    route=data["route"],
                    employee_email=data["employee_email"],
                    employee_language=data.get("employee_language") or request.LANGUAGE_CODE,
                    source_permit=source_permit,
                    team=team,
                )
            else:
                organization = Organization.objects.filter(
                    uscc=data["employer_uscc"], verification_status=VerificationStatus.VERIFIED
                ).first()
                if organization is None:
                    raise InvalidInput(
                        fields={
                            "employer_uscc": [
                                _t(
                                    "No verified employer uses this code on the portal. Ask your employer to register first."
                                )
                            ]
                        }
                    )
                source_permit = (
                    get_object_or_404(selectors.permits_of(request.user), pk=data["source_permit_id"])
                    if data.get("source_permit_id")
                    else None
                )
                application = actions.application_start_by_applicant(
                    actor=request.user,
                    organization=organization,
                    business_type=data["business_type"],
                    route=data["route"],
                    source_permit=source_permit,
                )
            return _detail(request, application, status.HTTP_201_CREATED)

        return idempotent_create(request, "application_start", create)


class ApplicationDetailView(APIView):
    @extend_schema(
        responses=ApplicationDetailSerializer, summary="One application with its timeline and checklist"
    )
    def get(self, request, public_id):
        return _detail(request, _case(request, public_id))


class PartUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you last read; a stale one gets 409.")
    data = serializers.DictField(help_text="The fields of the part to change, as on the form.")


def _part_view(party: Party, summary: str):
    class PartView(APIView):
        @extend_schema(request=PartUpdateSerializer, responses=ApplicationDetailSerializer, summary=summary)
        def patch(self, request, public_id):
            application = _case(request, public_id)
            serializer = PartUpdateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            cleaned, errors = clean_part_data(
                application, steps.steps_for(application, party), serializer.validated_data["data"]
            )
            if errors:
                raise InvalidInput(fields=errors)
            update = (
                actions.application_update_applicant_part
                if party == Party.APPLICANT
                else actions.application_update_employer_part
            )
            application = update(
                actor=request.user,
                application=application,
                expected_version=serializer.validated_data["version"],
                data=cleaned,
            )
            return _detail(request, application)

    PartView.__name__ = f"{party.value.title()}PartView"
    return PartView


ApplicantPartView = _part_view(Party.APPLICANT, "Change the applicant's part (applicant only)")
EmployerPartView = _part_view(Party.SPONSOR, "Change the employer's part (employer staff only)")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


def _step_view(call, summary: str, *, idempotent: bool = False):
    class StepView(APIView):
        @extend_schema(request=VersionSerializer, responses=ApplicationDetailSerializer, summary=summary)
        def post(self, request, public_id):
            application = _case(request, public_id)

            def run():
                serializer = VersionSerializer(data=request.data)
                serializer.is_valid(raise_exception=True)
                result = call(request.user, application, serializer.validated_data)
                return _detail(request, result)

            if idempotent:
                return idempotent_create(request, f"application_step:{application.pk}", run)
            return run()

    return StepView


DeclareView = _step_view(
    lambda user, case, data: actions.application_declare(
        actor=user, application=case, expected_version=data["version"]
    ),
    "The employer's declaration or commitment pledge",
)
SubmitView = _step_view(
    lambda user, case, data: actions.application_submit(
        actor=user, application=case, expected_version=data["version"]
    ),
    "Submit (or resubmit after a return); idempotent",
    idempotent=True,
)
WithdrawView = _step_view(
    lambda user, case, data: actions.application_withdraw(
        actor=user, application=case, expected_version=data["version"], comment=data["comment"]
    ),
    "Withdraw an undecided application",
)
AnswerView = _step_view(
    lambda user, case, data: actions.application_answer(
        actor=user, application=case, expected_version=data["version"], comment=data["comment"]
    ),
    "Answer a request for documents (the clock resumes)",
)


class SponsorshipSerializer(serializers.Serializer):
    confirm = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SponsorshipView(APIView):
    @extend_schema(
        request=SponsorshipSerializer,
        responses=ApplicationDetailSerializer,
        summary="The employer confirms or declines",
    )
    def post(self, request, public_id):
        application = _case(request, public_id)
        serializer = SponsorshipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = actions.application_decide_sponsorship(
            actor=request.user, application=application, **serializer.validated_data
        )
        return _detail(request, application)


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField()
    issue_date = serializers.DateField(required=False, allow_null=True)


class DocumentUploadView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentVersionSerializer},
        summary="Upload a document (a new version; PDF, JPEG or PNG checked by content)",
    )
    def post(self, request, public_id):
        application = _case(request, public_id)
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = actions.document_upload(
            actor=request.user,
            application=application,
            kind=serializer.validated_data["kind"],
            uploaded=serializer.validated_data["file"],
            issue_date=serializer.validated_data.get("issue_date"),
        )
        return Response(DocumentVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class DocumentDownloadView(APIView):
    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file as uploaded")},
        summary="Download a document version",
    )
    def get(self, request, public_id, version_id):
        version = selectors.document_version_for(request.user, public_id, version_id)
        if version is None:
            raise Http404
        audit_record(actor=request.user, action="document_viewed", target=version)
        response = FileResponse(version.file.open("rb"), content_type=version.content_type)
        response["Cache-Control"] = "private, no-store"
        return response


class InvitationAcceptView(APIView):
    @extend_schema(
        request=None,
        responses=ApplicationDetailSerializer,
        summary="Accept an employer's invitation to an application",
    )
    def post(self, request, token):
        application = actions.application_accept_invitation(actor=request.user, token=token)
        return _detail(request, application)


class TeamSerializer(serializers.ModelSerializer):
    organization_id = serializers.IntegerField(write_only=True)

    class Meta:
        model = EntrepreneurTeam
        fields = ["id", "name", "organization_id", "created_at"]
        read_only_fields = ["id", "created_at"]


class TeamCreateView(APIView):
    @extend_schema(
        request=TeamSerializer,
        responses={201: TeamSerializer},
        summary="Create a founders' team (incubators and parks)",
    )
    def post(self, request):
        serializer = TeamSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = get_object_or_404(
            account_selectors.organizations_of_member(request.user),
            pk=serializer.validated_data["organization_id"],
        )
        team = actions.team_create(
            actor=request.user, organization=organization, name=serializer.validated_data["name"]
        )
        return Response(TeamSerializer(team).data, status=status.HTTP_201_CREATED)


class PermitSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name_zh")

    class Meta:
        model = Permit
        fields = [
            "id",
            "number",
            "kind",
            "state",
            "holder_name",
            "organization",
            "talent_class",
            "post_title",
            "valid_from",
            "valid_until",
        ]


class PermitListView(ListAPIView):
    serializer_class = PermitSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.permits_visible_to(self.request.user)

    @extend_schema(summary="Permits I hold or my organisations sponsor")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EntrySerializer(serializers.Serializer):
    entry_date = serializers.DateField()


class PermitEntryView(APIView):
    @extend_schema(
        request=EntrySerializer,
        responses=PermitSerializer,
        summary="Record the date of entry on a work-permit notice",
    )
    def post(self, request, permit_id):
        permit = get_object_or_404(selectors.permits_of(request.user), pk=permit_id)
        serializer = EntrySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.permit_record_entry(
            actor=request.user, permit=permit, entry_date=serializer.validated_data["entry_date"]
        )
        return Response(PermitSerializer(permit).data)


class StatusLookupThrottle(AnonRateThrottle):
    scope = "anonymous_lookup"


class StatusLookupSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=24)
    date_of_birth = serializers.DateField()


class PublicStatusSerializer(serializers.Serializer):
    reference = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    expected_by = serializers.DateField(allow_null=True)


class StatusLookupView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [StatusLookupThrottle]

    @extend_schema(
        request=StatusLookupSerializer,
        responses={200: PublicStatusSerializer},
        summary="Public status lookup by reference and the applicant's date of birth (nothing personal)",
    )
    def post(self, request):
        serializer = StatusLookupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = selectors.public_status(**serializer.validated_data)
        if application is None:
            raise Http404
        return Response(
            {
                "reference": application.reference,
                "state": application.state,
                "state_label": application.get_state_display(),
                "expected_by": application.target_date,
            }
        )


# --- Officers -----------------------------------------------------------------------------------


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
        from .officer_views import QueueFilterForm

        form = QueueFilterForm(self.request.query_params or None)
        return selectors.officer_queue(self.request.user, filters=form.filters()).filter(
            target_date__isnull=False
        )

    def get_serializer_context(self):
        from . import deadlines

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

    from .models import PermitHolder

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
        from .models import DocumentVersion

        application = _case(request, public_id)
        version = get_object_or_404(DocumentVersion, pk=version_id, document__application=application)
        serializer = DocumentReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = actions.document_review(actor=request.user, version=version, **serializer.validated_data)
        return Response(DocumentVersionSerializer(version).data)


class CancellationRequestSerializer(serializers.Serializer):
    organization_id = serializers.IntegerField(help_text="Your organisation (the new employer).")
    permit_number = serializers.RegexField(r"^\d{18}$")
    holder_date_of_birth = serializers.DateField()


class CancellationRequestView(APIView):
    @extend_schema(
        request=CancellationRequestSerializer,
        responses={201: ApplicationDetailSerializer},
        summary="Ask for the cancellation of a permit a former employer never cancelled (new employer)",
    )
    def post(self, request):
        def create():
            serializer = CancellationRequestSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            organization = get_object_or_404(
                account_selectors.organizations_of_member(request.user), pk=data.pop("organization_id")
            )
            application = actions.cancellation_request_by_employer(
                actor=request.user, organization=organization, **data
            )
            return _detail(request, application, status.HTTP_201_CREATED)

        return idempotent_create(request, "cancellation_request", create)
