import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from talent_portal.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "A-Sturdy-Passphrase-9"


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def _register(client, language="en", **overrides):
    data = {
        "full_name": "Yuki Tanaka",
        "email": "yuki@example.jp",
        "preferred_language": "ja",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
        **overrides,
    }
    with translation.override(language):
        url = reverse("accounts:register")
    return client.post(url, data)


def test_registration_sends_a_verification_link_in_the_chosen_language(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client)
    assert response.status_code == 200
    user = User.objects.get(email="yuki@example.jp")
    assert user.email_verified_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["yuki@example.jp"]
    assert "/ja/accounts/verify/" in _link(mail.outbox[0])


def test_sign_in_is_refused_until_the_address_is_verified(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    response = client.post(reverse("accounts:login"), {"email": "yuki@example.jp", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    link = _link(mail.outbox[0])
    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 302
    assert User.objects.get(email="yuki@example.jp").email_verified_at is not None

    response = client.post(reverse("accounts:login"), {"email": "YUKI@example.jp", "password": PASSWORD})
    assert response.status_code == 302
    # Sign-in applies the stored language.
    assert response["Location"].startswith("/ja/")
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="yuki@example.jp").pk


def test_a_tampered_verification_link_changes_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    link = _link(mail.outbox[0]).replace("http://127.0.0.1:8000", "")
    response = client.get(link[:-3] + "xyz/")
    assert response.status_code == 404
    assert User.objects.get(email="yuki@example.jp").email_verified_at is None


def test_duplicate_e_mail_and_weak_password_are_refused_with_messages(client, user):
    response = _register(client, email=user.email.upper(), password1="12345", password2="12345")
    assert response.status_code == 200
    form = response.context["form"]
    assert "password1" in form.errors
    assert User.objects.filter(email__iexact=user.email).count() == 1


def test_registration_errors_are_translated(client):
    response = _register(client, language="ja", password2="Something-else-1")
    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == ["2つのパスワードが一致しません。"]


def test_session_key_rotates_at_sign_in(client, user):
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("accounts:login"), {"email": user.email, "password": "Correct-Horse-42"})
    assert client.session.session_key != before


def test_sign_out_invalidates_the_session_on_the_server(client, user):
    from django.contrib.sessions.models import Session

    client.post(reverse("accounts:login"), {"email": user.email, "password": "Correct-Horse-42"})
    key = client.session.session_key
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_email_change_is_confirmed_on_the_new_address(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:profile"), {"change_email": "1", "new_email": "new@example.org"})
    user.refresh_from_db()
    assert user.email != "new@example.org"
    assert mail.outbox[-1].to == ["new@example.org"]
    client.get(_link(mail.outbox[-1]).replace("http://127.0.0.1:8000", ""))
    user.refresh_from_db()
    assert user.email == "new@example.org"


def test_password_reset_mail_links_to_a_working_form(client, user):
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0]).replace("http://testserver", "")
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "new_password1" in response.context["form"].fields
