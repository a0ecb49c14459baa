"""API of accounts: who am I, organisations, members, invitations, personal tokens."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from talent_portal.core.api import idempotent_create

from . import actions, selectors
from .models import (
    ApiToken,
    District,
    Industry,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    TokenScope,
    Zone,
)


class MembershipBriefSerializer(serializers.ModelSerializer):
    organization_id = serializers.IntegerField(source="organization.pk")
    organization_name = serializers.CharField(source="organization.name_zh")

    class Meta:
        model = Membership
        fields = ["id", "organization_id", "organization_name", "role"]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    preferred_language = serializers.CharField()
    email_verified = serializers.BooleanField()
    duties = serializers.ListField(child=serializers.CharField())
    memberships = MembershipBriefSerializer(many=True)


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in user, their duties and memberships")
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "email_verified": user.email_verified,
            "duties": sorted(user.duties),
            "memberships": selectors.memberships_of(user),
        }
        return Response(MeSerializer(data).data)


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "kind",
            "uscc",
            "name_zh",
            "name_en",
            "district",
            "address",
            "industry",
            "zone",
            "credit_standing",
            "verification_status",
            "created_at",
        ]
        read_only_fields = fields


class OrganizationRegistrationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    uscc = serializers.CharField(max_length=30)
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    district = serializers.ChoiceField(choices=District.choices)
    address = serializers.CharField(max_length=300)
    industry = serializers.ChoiceField(choices=Industry.choices)
    zone = serializers.ChoiceField(choices=Zone.choices, default=Zone.NONE)


class OrganizationListView(APIView):
    @extend_schema(responses=OrganizationSerializer(many=True), summary="Organisations I belong to")
    def get(self, request):
        organizations = selectors.organizations_of_member(request.user).order_by("pk")
        return Response(OrganizationSerializer(organizations, many=True).data)

    @extend_schema(
        request=OrganizationRegistrationSerializer,
        responses={201: OrganizationSerializer},
        summary="Register an organisation (I become its administrator; it starts unverified)",
    )
    def post(self, request):
        def create():
            serializer = OrganizationRegistrationSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            organization = actions.organization_register(actor=request.user, **serializer.validated_data)
            return Response(OrganizationSerializer(organization).data, status=status.HTTP_201_CREATED)

        return idempotent_create(request, "organization_register", create)


class OrganizationDetailView(APIView):
    @extend_schema(responses=OrganizationSerializer, summary="One of my organisations")
    def get(self, request, pk):
        organization = get_object_or_404(selectors.organizations_of_member(request.user), pk=pk)
        return Response(OrganizationSerializer(organization).data)


class MemberSerializer(serializers.ModelSerializer):
    user_id = serializers.IntegerField(source="user.pk")
    full_name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")

    class Meta:
        model = Membership
        fields = ["id", "user_id", "full_name", "email", "role", "created_at"]


class MemberListView(APIView):
    @extend_schema(responses=MemberSerializer(many=True), summary="Members of one of my organisations")
    def get(self, request, pk):
        organization = get_object_or_404(selectors.organizations_of_member(request.user), pk=pk)
        return Response(
            MemberSerializer(selectors.organization_members(request.user, organization), many=True).data
        )


class MemberDetailView(APIView):
    @extend_schema(
        responses={204: None}, summary="Remove a member (administrators); their tokens are revoked"
    )
    def delete(self, request, pk, membership_id):
        organization = get_object_or_404(selectors.organizations_of_member(request.user), pk=pk)
        membership = get_object_or_404(
            selectors.organization_members(request.user, organization), pk=membership_id
        )
        actions.membership_remove(actor=request.user, membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TransferAdministratorSerializer(serializers.Serializer):
    membership_id = serializers.IntegerField()


class TransferAdministratorView(APIView):
    @extend_schema(
        request=TransferAdministratorSerializer,
        responses=MemberSerializer,
        summary="Hand the administrator role to another member",
    )
    def post(self, request, pk):
        organization = get_object_or_404(selectors.organizations_of_member(request.user), pk=pk)
        serializer = TransferAdministratorSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = get_object_or_404(
            selectors.organization_members(request.user, organization),
            pk=serializer.validated_data["membership_id"],
        )
        membership = actions.membership_transfer_administrator(
            actor=request.user, organization=organization, to=membership
        )
        return Response(MemberSerializer(membership).data)


class InvitationSerializer(serializers.Serializer):
    email = serializers.EmailField()
    language = serializers.ChoiceField(choices=settings.LANGUAGES)


class InvitationResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=MembershipRole.choices)
    expires_at = serializers.DateTimeField()


class InvitationCreateView(APIView):
    @extend_schema(
        request=InvitationSerializer,
        responses={201: InvitationResultSerializer},
        summary="Invite HR staff by e-mail (administrators)",
    )
    def post(self, request, pk):
        organization = get_object_or_404(selectors.organizations_of_member(request.user), pk=pk)

        def create():
            serializer = InvitationSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            invitation = actions.invitation_create(
                actor=request.user, organization=organization, **serializer.validated_data
            )
            return Response(InvitationResultSerializer(invitation).data, status=status.HTTP_201_CREATED)

        return idempotent_create(request, f"invitation_create:{organization.pk}", create)


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["token_key", "name", "scope", "created", "expiry"]


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(min_value=1, max_value=actions.API_TOKEN_MAX_DAYS, default=90)
    scope = serializers.ChoiceField(choices=TokenScope.choices, default=TokenScope.READ)


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(help_text="The token itself. Shown only in this answer; store it safely.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]


class ApiTokenListView(APIView):
    @extend_schema(responses=ApiTokenSerializer(many=True), summary="My API tokens (never the token itself)")
    def get(self, request):
        return Response(ApiTokenSerializer(selectors.api_tokens_of(request.user), many=True).data)


class ApiTokenCreateView(APIView):
    # A token is created from a signed-in browser session only: a leaked token cannot mint more.
    authentication_classes = [SessionAuthentication]

    @extend_schema(
        request=ApiTokenCreateSerializer,
        responses={201: ApiTokenCreatedSerializer},
        summary="Create a personal API token (browser session only)",
    )
    def post(self, request):
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, clear = actions.api_token_create(actor=request.user, **serializer.validated_data)
        token.token = clear
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class ApiTokenDetailView(APIView):
    read_only_tokens_may_write = True  # a leaked read-only token can still be revoked with itself

    @extend_schema(responses={204: None}, summary="Revoke one of my API tokens")
    def delete(self, request, token_key):
        token = get_object_or_404(selectors.api_tokens_of(request.user), token_key=token_key)
        actions.api_token_revoke(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
