"""Recognition claims through the API: file, list, certify, recognise or refuse, download evidence."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from talent_portal.core.api import idempotent_create
from talent_portal.core.parsers import FormParser, MultiPartParser
from talent_portal.core.request_limits import accepts_uploads

from .. import actions, selectors
from ..models import ClaimStatus


class ClaimEvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, evidence) -> str:
        return reverse("api:classification-claim-evidence", args=[evidence.claim_id, evidence.pk])


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.name")
    grants_class = serializers.CharField(source="category.grants_class", help_text="`A` or `B`.")
    criterion = serializers.CharField(source="criterion.text", allow_null=True, default=None)
    shortage_post = serializers.CharField(source="shortage_post.code", allow_null=True, default=None)
    organization_uscc = serializers.CharField(source="organization.uscc")
    organization_name = serializers.CharField(source="organization.name_zh")
    statement = serializers.CharField()
    created_at = serializers.DateTimeField()
    certified_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()


class ClaimDetailSerializer(ClaimSerializer):
    evidence = ClaimEvidenceSerializer(many=True, source="evidence.all")


class ClaimCreateSerializer(serializers.Serializer):
    category = serializers.SlugField(help_text="Code of a category in force (see the catalogue).")
    criterion = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of a criterion of the category."
    )
    shortage_post = serializers.SlugField(
        required=False, allow_blank=True, help_text="Code of a shortage post, for the shortage category."
    )
    organization_uscc = serializers.CharField(max_length=30)
    statement = serializers.CharField(max_length=4000)
    evidence = serializers.ListField(
        child=serializers.FileField(), help_text="PDF, JPEG or PNG, ≤ 10 MB each."
    )


class ClaimNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ClaimReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ClaimRefusalSerializer(serializers.Serializer):
    reason = serializers.CharField()


def _with_evidence(claims):
    return claims.prefetch_related("evidence")


@accepts_uploads
class ClaimListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=ClaimStatus.values)],
        responses=ClaimSerializer(many=True),
        summary="Claims I may see: mine, my organisations', and all of them for work-permit officers",
    )
    def get(self, request):
        claims = selectors.claims_visible_to(request.user).order_by("-created_at", "-pk")
        if request.query_params.get("status") in ClaimStatus.values:
            claims = claims.filter(status=request.query_params["status"])
        return Response(ClaimSerializer(claims, many=True).data)

    @extend_schema(
        request={"multipart/form-data": ClaimCreateSerializer},
        responses={201: ClaimDetailSerializer},
        summary="Claim a catalogue category, with evidence; the named employer certifies it next",
    )
    def post(self, request):
        def create():
            serializer = ClaimCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            category = selectors.categories_in_force().filter(code=data["category"]).first()
            if category is None:
                raise serializers.ValidationError({"category": [_("No category in force has this code.")]})
            criterion = (
                category.criteria.filter(pk=data.get("criterion")).first() if data.get("criterion") else None
            )
            post = None
            if data.get("shortage_post"):
                post = selectors.shortage_posts_in_force().filter(code=data["shortage_post"]).first()
                if post is None:
                    raise serializers.ValidationError(
                        {"shortage_post": [_("No post in force in the shortage catalogue has this code.")]}
                    )
            claim = actions.claim_create(
                actor=request.user,
                category=category,
                criterion=criterion,
                shortage_post=post,
                organization_uscc=data["organization_uscc"],
                statement=data["statement"],
                evidence=data["evidence"],
            )
            return Response(ClaimDetailSerializer(claim).data, status=status.HTTP_201_CREATED)

        return idempotent_create(request, "claim_create", create)


def _claim(request, pk):
    return get_object_or_404(_with_evidence(selectors.claims_visible_to(request.user)), pk=pk)


class ClaimDetailView(APIView):
    @extend_schema(responses=ClaimDetailSerializer, summary="One claim I may see, with its evidence")
    def get(self, request, pk):
        return Response(ClaimDetailSerializer(_claim(request, pk)).data)


class ClaimCertifyView(APIView):
    @extend_schema(
        request=ClaimNoteSerializer,
        responses=ClaimDetailSerializer,
        summary="Certify a claim (staff of the organisation it names)",
    )
    def post(self, request, pk):
        claim = _claim(request, pk)
        serializer = ClaimNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = actions.claim_certify(actor=request.user, claim=claim, **serializer.validated_data)
        return Response(ClaimDetailSerializer(_claim(request, claim.pk)).data)


class ClaimRecogniseView(APIView):
    @extend_schema(
        request=ClaimReasonSerializer,
        responses=ClaimDetailSerializer,
        summary="Recognise a certified claim (officers)",
    )
    def post(self, request, pk):
        claim = _claim(request, pk)
        serializer = ClaimReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = actions.claim_recognise(actor=request.user, claim=claim, **serializer.validated_data)
        return Response(ClaimDetailSerializer(_claim(request, claim.pk)).data)


class ClaimRefuseView(APIView):
    @extend_schema(
        request=ClaimRefusalSerializer,
        responses=ClaimDetailSerializer,
        summary="Refuse a certified claim with reasons (officers)",
    )
    def post(self, request, pk):
        claim = _claim(request, pk)
        serializer = ClaimRefusalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = actions.claim_refuse(actor=request.user, claim=claim, **serializer.validated_data)
        return Response(ClaimDetailSerializer(_claim(request, claim.pk)).data)


class ClaimEvidenceView(APIView):
    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The file (PDF, JPEG or PNG)."
            )
        },
        summary="Download a file of a claim I may see",
    )
    def get(self, request, pk, evidence_id):
        claim = _claim(request, pk)
        evidence = get_object_or_404(selectors.claim_evidence_visible_to(request.user, claim), pk=evidence_id)
        actions.claim_evidence_open(actor=request.user, evidence=evidence, request=request)
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response
