"""Applicants' and employers' endpoints: start, parts, documents, steps, permits, lookups."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _t
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from talent_portal.accounts import selectors as account_selectors
from talent_portal.accounts.models import Organization, VerificationStatus
from talent_portal.accounts.validators import clean_uscc
from talent_portal.core.api import FindingSerializer, KeysetPagination, idempotent_create
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import InvalidInput, TooManyAttempts
from talent_portal.core.net import client_ip
from talent_portal.core.parsers import FormParser, MultiPartParser
from talent_portal.core.request_limits import accepts_uploads

from .. import actions, selectors, steps
from ..forms import clean_part_data
from ..limits import CANCELLATION_LOOKUPS, STATUS_LOOKUPS
from ..models import BusinessType, DocumentKind, EntrepreneurTeam, Permit, Route
from ..uploads import document_file_response
from ..workflow import Party
from .common import (
    ApplicationDetailSerializer,
    ApplicationSummarySerializer,
    DocumentVersionSerializer,
    _case,
    _detail,
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


class PrecheckReportSerializer(serializers.Serializer):
    blocking = serializers.IntegerField(help_text="How many findings stop the submission.")
    findings = FindingSerializer(many=True, help_text="Every finding, blocking ones first.")


class PrecheckView(APIView):
    @extend_schema(
        responses=PrecheckReportSerializer,
        summary="The pre-check report: every finding (code, message, severity), as submission would see it",
    )
    def get(self, request, public_id):
        from .. import deadlines, precheck

        application = _case(request, public_id)
        findings = [
            finding.as_dict() for finding in precheck.precheck_report(application, on=deadlines.today())
        ]
        return Response(
            {
                "blocking": sum(finding["severity"] == precheck.Severity.BLOCKING for finding in findings),
                "findings": findings,
            }
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
    consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Required (true) for sensitive personal information — health certificate, health-check "
            "record, non-criminal record: the uploader consents to its processing for this application."
        ),
    )


@accepts_uploads
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
            consent=serializer.validated_data["consent"],
        )
        return Response(DocumentVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class DocumentDownloadView(APIView):
    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                description="The stored file, as an attachment (PDF, JPEG or PNG)"
            )
        },
        summary="Download a document version",
    )
    def get(self, request, public_id, version_id):
        version = selectors.document_version_for(request.user, public_id, version_id)
        if version is None:
            raise Http404
        audit_record(actor=request.user, action="document_viewed", target=version)
        return document_file_response(version)


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
        keys = (f"ip:{client_ip(request)}", f"reference:{serializer.validated_data['reference']}")
        if STATUS_LOOKUPS.blocked(*keys):
            raise TooManyAttempts()
        application = selectors.public_status(**serializer.validated_data)
        if application is None:
            STATUS_LOOKUPS.fail(*keys)
            raise Http404
        return Response(
            {
                "reference": application.reference,
                "state": application.state,
                "state_label": application.get_state_display(),
                "expected_by": application.target_date,
            }
        )


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
            keys = (f"user:{request.user.pk}", f"permit:{data['permit_number']}")
            if CANCELLATION_LOOKUPS.blocked(*keys):
                raise TooManyAttempts()
            try:
                application = actions.cancellation_request_by_employer(
                    actor=request.user, organization=organization, **data
                )
            except InvalidInput as error:
                if "permit_number" in (error.fields or {}):
                    CANCELLATION_LOOKUPS.fail(*keys)
                raise
            return _detail(request, application, status.HTTP_201_CREATED)

        return idempotent_create(request, "cancellation_request", create)
