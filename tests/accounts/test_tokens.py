import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from talent_portal.accounts import actions
from talent_portal.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_hashed_and_works_for_the_api(api_client, user):
    token, clear = actions.api_token_create(actor=user, name="HR system", days=30)
    stored = ApiToken.objects.get(pk=token.pk)
    assert clear not in (stored.digest, stored.token_key)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_an_expired_token_is_refused(api_client, user):
    _token, clear = actions.api_token_create(actor=user, name="Short", days=1)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    with time_machine.travel(timezone.now() + timezone.timedelta(days=2)):
        response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_revoked_token_is_refused(api_client, user):
    token, clear = actions.api_token_create(actor=user, name="Gone", days=30)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    assert api_client.delete(f"/api/v1/tokens/{token.token_key}/").status_code == 204
    assert api_client.get("/api/v1/me/").status_code == 401


def test_tokens_are_created_from_the_page_and_shown_once(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:api_tokens"), {"name": "Payroll", "days": 90, "scope": "read"})
    assert response.status_code == 200
    clear = response.context["created"]["clear"]
    assert clear in response.content.decode()
    assert clear not in client.get(reverse("accounts:api_tokens")).content.decode()


def test_a_token_cannot_mint_more_tokens(api_client, user):
    _token, clear = actions.api_token_create(actor=user, name="HR", days=30)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    response = api_client.post("/api/v1/tokens/new/", {"name": "more", "days": 10}, format="json")
    assert response.status_code in (401, 403)
    assert ApiToken.objects.filter(user=user).count() == 1


def test_token_validity_is_bounded(user):
    from talent_portal.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        actions.api_token_create(actor=user, name="Forever", days=5000)


def test_one_cannot_revoke_another_persons_token(api_client, user):
    from tests.factories import UserFactory

    token, _clear = actions.api_token_create(actor=UserFactory(), name="Theirs", days=30)
    api_client.force_authenticate(user)
    assert api_client.delete(f"/api/v1/tokens/{token.token_key}/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_read_only_token_reads_but_never_writes(api_client, user):
    from talent_portal.core.models import AuditEvent

    token, clear = actions.api_token_create(actor=user, name="Reporting", days=30)
    assert token.scope == "read"
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}", HTTP_ACCEPT_LANGUAGE="en")
    assert api_client.get("/api/v1/me/").status_code == 200
    response = api_client.post("/api/v1/applications/", {}, format="json")
    assert response.status_code == 403
    assert "may only read" in response.json()["detail"]
    assert AuditEvent.objects.get(action="api_token_created").data["scope"] == "read"


def test_a_read_write_token_may_write(api_client, user):
    _token, clear = actions.api_token_create(actor=user, name="HR", days=30, scope="read_write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    response = api_client.post("/api/v1/applications/", {}, format="json")
    assert response.status_code == 400  # past the permission check, refused for its empty body


def test_an_unknown_scope_is_refused(user):
    from talent_portal.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        actions.api_token_create(actor=user, name="Odd", days=5, scope="admin")
