"""Expired API tokens: refused and deleted when presented, swept when their owner creates a token.

Authentication reads only the presented token (one query with its owner): knox's sweep of the
owner's other tokens on every call was a second query per API request (issue 11).
"""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from talent_portal.accounts import actions
from talent_portal.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_authentication_reads_the_token_and_its_owner_in_one_query(api_client, user):
    _token, clear = actions.api_token_create(actor=user, name="HR system", days=30)
    actions.api_token_create(actor=user, name="Another", days=30)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    with CaptureQueriesContext(connection) as context:
        assert api_client.get("/api/v1/me/").status_code == 200
    token_queries = [query for query in context.captured_queries if "accounts_apitoken" in query["sql"]]
    assert len(token_queries) == 1


def test_an_expired_token_is_deleted_when_presented(api_client, user):
    token, clear = actions.api_token_create(actor=user, name="Short", days=1)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    with time_machine.travel(timezone.now() + timezone.timedelta(days=2)):
        assert api_client.get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_the_owner_s_expired_tokens_go_when_they_create_one(user):
    from tests.factories import UserFactory

    expired, _clear = actions.api_token_create(actor=user, name="Short", days=1)
    valid, _clear = actions.api_token_create(actor=user, name="Long", days=30)
    someone_else = UserFactory()
    theirs, _clear = actions.api_token_create(actor=someone_else, name="Theirs", days=1)
    with time_machine.travel(timezone.now() + timezone.timedelta(days=2)):
        new, _clear = actions.api_token_create(actor=user, name="New", days=30)
    assert set(ApiToken.objects.filter(user=user).values_list("pk", flat=True)) == {valid.pk, new.pk}
    assert ApiToken.objects.filter(pk=theirs.pk).exists()  # only the creator's own are swept
