import re

import pytest
from django.core import mail
from django.urls import reverse

from services.notifications.models import Notification
from talent_portal.accounts import actions
from talent_portal.accounts.models import ApiToken, Membership, Organization, User
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed
from talent_portal.core.models import AuditEvent
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ORGANIZATION = {
    "kind": "employer",
    "uscc": "91440300708461136T",
    "name_zh": "深圳示例科技有限公司",
    "name_en": "Example Technology",
    "district": "pudong",
    "address": "上海市浦东新区世纪大道 2 号",
    "industry": "information_technology",
    "zone": "pudong_ftz",
}


def test_employer_registration_creates_an_unverified_organisation_and_its_administrator(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ja/accounts/register/employer/",
            {
                **ORGANIZATION,
                "full_name": "Sato Hanako",
                "email": "hr@example.jp",
                "preferred_language": "ja",
                "password1": "A-Sturdy-Passphrase-9",
                "password2": "A-Sturdy-Passphrase-9",
                "privacy_consent": "on",
            },
        )
    assert response.status_code == 200
    organization = Organization.objects.get(uscc=ORGANIZATION["uscc"])
    assert organization.verification_status == "unverified"
    membership = Membership.objects.get(organization=organization)
    assert membership.user.email == "hr@example.jp"
    assert membership.role == "administrator"
    assert len(mail.outbox) == 1


def test_a_wrong_code_gets_a_field_error_and_changes_nothing(client):
    response = client.post(
        "/ko/accounts/register/employer/",
        {
            **ORGANIZATION,
            "uscc": "91440300708461136X",
            "full_name": "Kim",
            "email": "k@example.kr",
            "preferred_language": "ko",
            "password1": "A-Sturdy-Passphrase-9",
            "password2": "A-Sturdy-Passphrase-9",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 200
    assert "uscc" in response.context["form"].errors
    assert not Organization.objects.exists()
    assert not User.objects.filter(email="k@example.kr").exists()


def test_the_same_code_cannot_be_registered_twice(user):
    actions.organization_register(actor=user, **ORGANIZATION)
    with pytest.raises(InvalidInput) as error:
        actions.organization_register(actor=UserFactory(), **{**ORGANIZATION, "uscc": "91440300-708461136t"})
    assert "uscc" in error.value.fields


@pytest.mark.parametrize(
    ("traits", "code"),
    [
        ({}, "organization_cannot_sponsor"),
        ({"verified": True, "blacklisted": True}, "organization_cannot_sponsor"),
    ],
)
def test_unverified_and_blacklisted_organisations_cannot_sponsor(traits, code):
    organization = OrganizationFactory(**traits)
    with pytest.raises(NotAllowed) as error:
        actions.organization_ensure_can_sponsor(organization=organization)
    assert error.value.code == code


def test_a_verified_organisation_may_sponsor_but_only_incubators_sponsor_entrepreneurs():
    employer = OrganizationFactory(verified=True)
    actions.organization_ensure_can_sponsor(organization=employer)
    with pytest.raises(NotAllowed):
        actions.organization_ensure_can_sponsor(organization=employer, entrepreneur=True)
    actions.organization_ensure_can_sponsor(
        organization=OrganizationFactory(verified=True, incubator=True), entrepreneur=True
    )


def test_an_officer_verifies_and_the_decision_is_audited(officer):
    organization = OrganizationFactory()
    actions.organization_verify(actor=officer, organization=organization, approve=True)
    organization.refresh_from_db()
    assert organization.verification_status == "verified"
    assert organization.verified_by == officer
    assert AuditEvent.objects.filter(action="organization_verified", object_id=str(organization.pk)).exists()


def test_only_officers_verify_or_blacklist(user):
    organization = OrganizationFactory()
    with pytest.raises(Forbidden):
        actions.organization_verify(actor=user, organization=organization, approve=True)
    with pytest.raises(Forbidden):
        actions.organization_set_credit_standing(
            actor=user, organization=organization, standing="blacklisted", reason="x"
        )


def test_blacklisting_needs_a_reason(officer):
    organization = OrganizationFactory(verified=True)
    with pytest.raises(InvalidInput):
        actions.organization_set_credit_standing(
            actor=officer, organization=organization, standing="blacklisted", reason=" "
        )
    actions.organization_set_credit_standing(
        actor=officer, organization=organization, standing="blacklisted", reason="False pledge in 2026"
    )
    organization.refresh_from_db()
    assert organization.sponsorship_refusal() is not None


def test_the_officer_pages_are_hidden_from_others(client, user, officer):
    organization = OrganizationFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:organization_review", args=[organization.pk])).status_code == 404
    client.force_login(officer)
    response = client.post(
        reverse("accounts:organization_review", args=[organization.pk]),
        {"decide": "1", "decision": "verify", "note": ""},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.verification_status == "verified"


def test_invitation_in_the_chosen_language_makes_hr_staff(
    client, employer_admin, django_capture_on_commit_callbacks
):
    organization = employer_admin.organization
    client.force_login(employer_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:organization", args=[organization.pk]),
            {"email": "new.hr@example.com", "language": "ko"},
        )
    message = mail.outbox[-1]
    assert message.to == ["new.hr@example.com"]
    # Sent through the notification outbox, in the language the administrator chose.
    assert "참여 초대" in message.subject
    row = Notification.objects.get(kind="hr_invitation", email="new.hr@example.com")
    assert row.status == "sent"
    link = re.search(r"https?://\S+", message.body).group(0).replace("http://127.0.0.1:8000", "")
    assert link.startswith("/ko/")
    # Once sent, the one-time link is no longer kept in the outbox row.
    row.refresh_from_db()
    assert link.rsplit("/", 2)[-2] not in str(row.context)
    client.logout()
    response = client.post(
        link,
        {
            "full_name": "Park Ji-won",
            "preferred_language": "ko",
            "password1": "A-Sturdy-Passphrase-9",
            "password2": "A-Sturdy-Passphrase-9",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.hr@example.com")
    assert membership.organization == organization
    assert membership.role == "hr_staff"
    # The link is single use.
    assert client.get(link).status_code == 409


def test_only_the_organisation_administrator_invites(employer_admin):
    hr = UserFactory(member_of=employer_admin.organization)
    with pytest.raises(Forbidden):
        actions.invitation_create(
            actor=hr, organization=employer_admin.organization, email="x@example.com", language="en"
        )


def test_a_removed_hr_member_loses_access_and_tokens(client, api_client, employer_admin):
    organization = employer_admin.organization
    hr = UserFactory(member_of=organization)
    _token, clear = actions.api_token_create(actor=hr, name="HR system", days=30, scope="read_write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    assert api_client.get(f"/api/v1/organizations/{organization.pk}/").status_code == 200

    membership = Membership.objects.get(user=hr)
    actions.membership_remove(actor=employer_admin, membership=membership)

    assert not ApiToken.objects.filter(user=hr).exists()
    assert api_client.get(f"/api/v1/organizations/{organization.pk}/").status_code == 401
    client.force_login(hr)
    assert client.get(reverse("accounts:organization", args=[organization.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="membership_removed").exists()


def test_the_administrator_role_is_handed_over_before_leaving(employer_admin):
    organization = employer_admin.organization
    hr = UserFactory(member_of=organization)
    mine = Membership.objects.get(user=employer_admin)
    with pytest.raises(NotAllowed):
        actions.membership_remove(actor=employer_admin, membership=mine)
    actions.membership_transfer_administrator(
        actor=employer_admin, organization=organization, to=Membership.objects.get(user=hr)
    )
    mine.refresh_from_db()
    assert mine.role == "hr_staff"
    actions.membership_remove(actor=hr, membership=mine)
    mine.refresh_from_db()
    assert mine.ended_at is not None


def test_organisation_api_registration_is_idempotent(api_client, user):
    api_client.force_authenticate(user)
    headers = {"HTTP_IDEMPOTENCY_KEY": "register-1"}
    first = api_client.post("/api/v1/organizations/", ORGANIZATION, format="json", **headers)
    second = api_client.post("/api/v1/organizations/", ORGANIZATION, format="json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Organization.objects.count() == 1


def test_organisation_api_errors_name_the_field_in_the_request_language(api_client, user):
    api_client.force_authenticate(user)
    response = api_client.post(
        "/api/v1/organizations/", {**ORGANIZATION, "uscc": "123"}, format="json", HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "18" in body["fields"]["uscc"][0]
    assert body["detail"] == "入力内容に誤りがあります。"


def test_members_of_another_organisation_are_not_visible(api_client, employer_admin):
    other = OrganizationFactory(verified=True)
    api_client.force_authenticate(employer_admin)
    assert api_client.get(f"/api/v1/organizations/{other.pk}/members/").status_code == 404
    assert (
        api_client.get(f"/api/v1/organizations/{employer_admin.organization.pk}/members/").status_code == 200
    )
