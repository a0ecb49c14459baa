"""What ``accounts`` holds about a person, for "Download my data" (see ``core.personal_data``)."""

from talent_portal.core.personal_data import field_values, section

from .models import ApiToken, CorrectionRequest, Invitation, Membership, PrivacyConsent


@section("account", order=10)
def account(user) -> dict:
    values = field_values(user, exclude=("password", "is_superuser"))
    values["duties"] = sorted(user.duties)
    return values


@section("privacy_consents", order=11)
def privacy_consents(user) -> list[dict]:
    return [field_values(row) for row in PrivacyConsent.objects.filter(user=user).order_by("consented_at")]


@section("correction_requests", order=12)
def correction_requests(user) -> list[dict]:
    return [field_values(row) for row in CorrectionRequest.objects.filter(user=user).order_by("created_at")]


@section("memberships", order=20)
def memberships(user) -> list[dict]:
    rows = Membership.objects.filter(user=user).select_related("organization").order_by("created_at")
    return [field_values(row) | {"organization_name": row.organization.name_zh} for row in rows]


@section("invitations", order=21)
def invitations(user) -> list[dict]:
    rows = Invitation.objects.filter(email__iexact=user.email).order_by("created_at")
    return [field_values(row) for row in rows]


@section("api_tokens", order=22)
def api_tokens(user) -> list[dict]:
    # Names and dates only: the hashed token itself is a secret (and useless to the person).
    return [
        {"name": token.name, "created": token.created, "expiry": token.expiry}
        for token in ApiToken.objects.filter(user=user).order_by("created")
    ]
