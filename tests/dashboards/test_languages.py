import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HEADINGS = {
    "en": "Work and live in Shanghai",
    "zh-hans": "在上海工作和生活",
    "ja": "上海で働き、暮らす",
    "ko": "상하이에서 일하고 생활하기",
}


@pytest.mark.parametrize(("language", "heading"), HEADINGS.items())
def test_the_home_page_renders_in_each_language(client, language, heading):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert heading in body


def test_a_visitor_without_prefix_follows_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/ko/"


def test_chinese_browsers_land_on_simplified_chinese(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response["Location"] == "/zh-hans/"


def test_a_signed_in_visitor_without_prefix_follows_the_stored_preference(client, user):
    user.preferred_language = "ja"
    user.save()
    client.force_login(user)
    response = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == "/ja/dashboard/"


def test_the_prefix_decides_over_the_preference(client, user):
    user.preferred_language = "ja"
    user.save()
    client.force_login(user)
    response = client.get("/ko/dashboard/")
    assert response.status_code == 200
    assert '<html lang="ko">' in response.content.decode()


def test_the_switcher_keeps_the_page_and_stores_the_preference(client, user):
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "ko", "next": "/en/accounts/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/ko/accounts/profile/"
    user.refresh_from_db()
    assert user.preferred_language == "ko"


def test_the_switcher_refuses_foreign_redirects(client):
    response = client.post(reverse("set_language"), {"language": "ja", "next": "https://evil.example/"})
    assert response["Location"] == "/ja/"


def test_every_page_has_a_skip_link_and_landmarks(client):
    body = client.get("/en/").content.decode()
    assert 'href="#main"' in body
    assert '<main id="main"' in body
    assert "<header" in body and "<footer" in body and "<nav" in body


def test_no_asset_comes_from_another_origin(client):
    body = client.get("/en/").content.decode()
    assert "//cdn" not in body
    assert 'src="http' not in body and 'href="http' not in body.replace('href="http://testserver', "")


def test_the_api_follows_accept_language_only(api_client, settings):
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    response = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录，或提供有效的 API 令牌。"
