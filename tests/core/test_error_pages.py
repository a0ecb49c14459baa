"""Error pages are no dead ends: translated, in the portal's layout, with somewhere useful to go.

This module doubles as a URL configuration: the portal's URLs plus pages that fail on purpose.
"""

from unittest import mock

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.test import Client
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext

from talent_portal.urls import urlpatterns as _root_urlpatterns
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _forbidden(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("a crafted request")


def _boom(request):
    raise RuntimeError("a bug")


def _database_down(request):
    raise OperationalError("the database went away")


urlpatterns = [
    *_root_urlpatterns,
    *i18n_patterns(
        path("test-errors/forbidden/", _forbidden),
        path("test-errors/bad/", _suspicious),
        path("test-errors/boom/", _boom),
        path("test-errors/database/", _database_down),
    ),
]
handler400 = "talent_portal.core.views.bad_request"
handler403 = "talent_portal.core.views.permission_denied"
handler404 = "talent_portal.core.views.page_not_found"
handler500 = "talent_portal.core.views.server_error"


def failing_context_processor(request):
    raise RuntimeError("a context processor broke")


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


@pytest.fixture
def quiet_client():
    client = Client(raise_request_exception=False)
    return client


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def links_of(response) -> set[str]:
    import re

    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


def assert_useful_links(response, language: str, *, signed_in: bool = False):
    body = response.content.decode()
    links = links_of(response)
    assert f'<html lang="{language}">' in body
    assert in_language(language, "What you can do now") in body
    with translation.override(language):
        assert reverse("dashboards:public_home") in links
        assert reverse("outreach:service_stations") in links
        if signed_in:
            assert reverse("dashboards:home") in links
        else:
            assert any(link.startswith(reverse("accounts:login")) for link in links)
    # The normal layout: the navigation and the language switcher are there.
    assert 'class="language-switcher"' in body


@pytest.mark.parametrize("language", ["ja", "ko", "zh-hans", "en"])
def test_404_is_translated_styled_and_leads_home_sign_in_and_help(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert in_language(language, "Page not found") in response.content.decode()
    assert_useful_links(response, language)
    # The sign-in link brings the person back to the page they asked for.
    assert f"?next=/{language}/no-such-page/" in response.content.decode()


def test_404_of_a_signed_in_person_offers_the_dashboard_and_the_way_back(client):
    client.force_login(UserFactory(preferred_language="ko"))
    response = client.get("/ko/no-such-page/", HTTP_REFERER="http://testserver/ko/dashboard/")
    assert response.status_code == 404
    assert_useful_links(response, "ko", signed_in=True)
    assert "http://testserver/ko/dashboard/" in links_of(response)
    assert in_language("ko", "Go back to the previous page") in response.content.decode()


def test_the_way_back_never_leads_to_another_site(client):
    response = client.get("/en/no-such-page/", HTTP_REFERER="https://evil.example/phish")
    assert response.status_code == 404
    assert "evil.example" not in response.content.decode()


def test_403_is_translated_and_useful(failing_urls, client):
    response = client.get("/ja/test-errors/forbidden/")
    assert response.status_code == 403
    body = response.content.decode()
    assert in_language("ja", "Not allowed") in body
    assert in_language("ja", "You may need to sign in first.") in body
    assert_useful_links(response, "ja")


def test_400_is_translated_and_useful(failing_urls, client):
    response = client.get("/zh-hans/test-errors/bad/")
    assert response.status_code == 400
    assert in_language("zh-hans", "The request could not be understood") in response.content.decode()
    assert_useful_links(response, "zh-hans")


def test_400_for_a_forged_host_is_answered_with_a_page(failing_urls, client):
    response = client.get("/ko/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert in_language("ko", "The request could not be understood") in response.content.decode()


def test_400_on_the_api_is_json(failing_urls, client):
    response = client.get("/api/v1/", HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_csrf_failure_is_translated_and_offers_the_form_again(client):
    person = UserFactory(password="a-long-Passphrase-7")
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        "/ko/accounts/sign-in/",
        {"email": person.email, "password": "a-long-Passphrase-7"},
        HTTP_REFERER="http://testserver/ko/accounts/sign-in/",
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert in_language("ko", "The form has expired") in body
    assert in_language("ko", "Open the page again") in body
    assert "http://testserver/ko/accounts/sign-in/" in links_of(response)
    assert_useful_links(response, "ko")


def test_413_is_translated_and_useful(client, settings):
    settings.REQUEST_MAX_BODY_BYTES = 1024
    response = client.post("/ja/applications/status/", {"reference": "x" * 4096})
    assert response.status_code == 413
    assert in_language("ja", "Request too large") in response.content.decode()
    assert_useful_links(response, "ja")


def test_the_lock_out_page_429_is_translated_and_useful(client, settings):
    person = UserFactory()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/zh-hans/accounts/sign-in/", {"email": person.email, "password": "wrong"})
    assert response.status_code == 429
    body = response.content.decode()
    assert in_language("zh-hans", "Sign-in paused") in body
    with translation.override("zh-hans"):
        assert reverse("accounts:password_reset") in links_of(response)
    assert_useful_links(response, "zh-hans")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_500_is_translated_names_the_request_id_and_leads_somewhere(failing_urls, quiet_client, language):
    response = quiet_client.get(f"/{language}/test-errors/boom/", HTTP_X_REQUEST_ID="req-12345")
    assert response.status_code == 500
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert in_language(language, "Something went wrong") in body
    assert "req-12345" in body
    with translation.override(language):
        assert {
            reverse("dashboards:public_home"),
            reverse("outreach:service_stations"),
            f"/{language}/test-errors/boom/",
        } <= links_of(response)


def test_500_needs_neither_the_database_nor_the_context_processors(failing_urls, quiet_client, settings):
    quiet_client.force_login(UserFactory())
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    f"{__name__}.failing_context_processor",
                ],
            },
        }
    ]
    broken = mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("the database went away"),
    )
    with broken:
        response = quiet_client.get("/ko/test-errors/database/", HTTP_X_REQUEST_ID="req-db-down")
    assert response.status_code == 500
    body = response.content.decode()
    assert in_language("ko", "Something went wrong") in body
    assert "req-db-down" in body


def test_an_error_page_whose_layout_fails_falls_back_to_the_plain_page(client, settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [f"{__name__}.failing_context_processor"],
            },
        }
    ]
    response = client.get("/ja/no-such-page/", HTTP_X_REQUEST_ID="req-layout")
    assert response.status_code == 404
    body = response.content.decode()
    assert in_language("ja", "Something went wrong") in body
    assert "req-layout" in body
