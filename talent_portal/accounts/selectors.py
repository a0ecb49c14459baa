"""Reads of people and organisations, always scoped to the requesting user."""

from django.db.models import Prefetch, QuerySet

from .models import (
    ApiToken,
    CorrectionRequest,
    Duty,
    Invitation,
    Membership,
    MembershipRole,
    Organization,
    VerificationStatus,
)


def memberships_of(user) -> QuerySet[Membership]:
    """The active memberships of ``user``, with their organisations."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user).select_related("organization")


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Organisations ``user`` belongs to; officers see every organisation."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if (
        user.has_duty(Duty.WORK_PERMIT_OFFICER)
        or user.has_duty(Duty.LEAD_OFFICER)
        or user.has_duty(Duty.ADMINISTRATOR)
    ):
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user, memberships__ended_at__isnull=True).distinct()


def organization_for_member(user, organization_id) -> Organization | None:
    """The organisation if ``user`` is an active member of it, else None."""
    return organizations_of_member(user).filter(pk=organization_id).first()


def organizations_of_member(user) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user, memberships__ended_at__isnull=True).distinct()


def is_organization_administrator(user, organization) -> bool:
    return (
        Membership.objects.active()
        .filter(user=user, organization=organization, role=MembershipRole.ADMINISTRATOR)
        .exists()
    )


def organization_members(user, organization) -> QuerySet[Membership]:
    """Active members of an organisation ``user`` belongs to (empty otherwise)."""
    if not organizations_of_member(user).filter(pk=organization.pk).exists():
        return Membership.objects.none()
    return (
        Membership.objects.active()
        .filter(organization=organization)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def open_invitations(user, organization) -> QuerySet[Invitation]:
    """Invitations still waiting for an answer, for the organisation's administrators."""
    if not is_organization_administrator(user, organization):
        return Invitation.objects.none()
    return Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("-created_at")


def organizations_awaiting_verification(user) -> QuerySet[Organization]:
    """The officers' list of organisations to verify, oldest first."""
    if not (user.has_duty(Duty.WORK_PERMIT_OFFICER) or user.has_duty(Duty.LEAD_OFFICER)):
        return Organization.objects.none()
    administrators = (
        Membership.objects.active().filter(role=MembershipRole.ADMINISTRATOR).select_related("user")
    )
    return (
        Organization.objects.filter(verification_status=VerificationStatus.UNVERIFIED)
        .prefetch_related(Prefetch("memberships", queryset=administrators, to_attr="administrators"))
        .order_by("created_at")
    )


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """The signed-in user's own API tokens (never the token itself: only its first characters)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created")


def correction_requests_of(user):
    """The person's own correction requests, newest first."""
    if not user.is_authenticated:
        return CorrectionRequest.objects.none()
    return CorrectionRequest.objects.filter(user=user).order_by("-created_at", "-id")
