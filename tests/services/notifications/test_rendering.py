"""Every kind renders in every language: subject, text and HTML, with the context's values."""

import html
import re
from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from services.notifications import kinds
from services.notifications.delivery import render
from services.notifications.models import Notification
from talent_portal.accounts import actions as account_actions
from tests.factories import OrganizationFactory, UserFactory

LANGUAGES = [code for code, _name in settings.LANGUAGES]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Values that are codes for the templates, not text shown to the reader.
CODES = {"state", "which", "business_type", "days", "accept_url"}


def _row(kind, language, **overrides):
    values = {
        "pk": 41,
        "kind": kind.code,
        "context": kind.example,
        "language": language,
        "link": kind.example_link,
        "dedupe_key": f"{kind.code}:example",
        "email": "reader@example.com",
        **overrides,
    }
    return Notification(**values)


def _shown(value, language):
    """How a context value must appear in the message."""
    if isinstance(value, str) and ISO_DATE.match(value):
        with translation.override(language):
            return date_format(date.fromisoformat(value), "DATE_FORMAT")
    return str(value)


def _expected_values(kind, language):
    """The values the message must show: its declared keys, and the optional ones given."""
    for key, value in kind.example.items():
        if key in CODES or value in ("", None) or (key in kinds.CASE_KEYS and key not in kind.keys):
            continue
        if isinstance(value, list):
            for item in value:
                yield item["text"] if isinstance(item, dict) else item
        else:
            yield _shown(value, language)


def test_every_registered_kind_has_its_templates_and_an_example():
    assert len(kinds.all_kinds()) >= 23
    for kind in kinds.all_kinds():
        assert set(kind.keys) <= set(kind.example), kind.code
        for suffix in ("subject.txt", "txt", "html"):
            assert (settings.BASE_DIR / "templates" / "emails" / f"{kind.code}.{suffix}").exists()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", kinds.all_kinds(), ids=lambda kind: kind.code)
def test_every_kind_renders_in_every_language_with_its_values(kind, language):
    rendered = render(_row(kind, language))

    assert rendered.subject and "\n" not in rendered.subject
    for part in (rendered.subject, rendered.text, rendered.html):
        assert "{{" not in part and "{%" not in part and "None" not in part
    assert f'<html lang="{language}">' in rendered.html
    for value in _expected_values(kind, language):
        assert value in rendered.text, (kind.code, value)
        assert html.escape(value, quote=False) in rendered.html or value in rendered.html, (kind.code, value)
    if kind.example_link:
        url = f"{settings.SITE_URL}/{language}{kind.example_link}"
        assert url in rendered.text and url in rendered.html
    if "accept_url" in kind.example:
        assert settings.SITE_URL + kind.example["accept_url"] in rendered.text


def _prose(text, kind, language):
    """The sentences of a message with its values and links taken out."""
    for value in sorted(_expected_values(kind, language), key=len, reverse=True):
        text = text.replace(value, "")
    lines = (re.sub(r"https?://\S+", "", line).strip() for line in text.splitlines())
    return {line for line in lines if re.search(r"[A-Za-z]{3}", line) and not line.startswith("- ")}


def test_every_kind_is_translated():
    """After the translation round: no sentence of any kind stays in English in zh-hans, ja, ko."""
    untranslated = []
    for kind in kinds.all_kinds():
        english = render(_row(kind, "en"))
        english_prose = _prose(english.text, kind, "en")
        for language in ("zh-hans", "ja", "ko"):
            rendered = render(_row(kind, language))
            if _prose(rendered.subject, kind, language) & _prose(english.subject, kind, "en"):
                untranslated.append(f"{kind.code} [{language}] subject")
            same = _prose(rendered.text, kind, language) & english_prose
            if same:
                untranslated.append(f"{kind.code} [{language}]: {sorted(same)[0]!r}")
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)


def test_values_are_escaped_in_html_and_plain_in_text():
    kind = kinds.get("sponsorship_declined")
    row = _row(kind, "en", context={**kind.example, "organization": "A & B <Holdings>", "note": "x < y"})
    rendered = render(row)
    assert "A & B <Holdings>" in rendered.subject
    assert "A & B <Holdings>" in rendered.text and "x < y" in rendered.text
    assert "A &amp; B &lt;Holdings&gt;" in rendered.html and "<Holdings>" not in rendered.html


@pytest.mark.django_db
def test_a_user_gets_a_greeting_and_a_settings_link_except_for_legal_notices():
    reader = UserFactory(full_name="Kim Minjun", preferred_language="ko")
    ordinary = render(_row(kinds.get("application_accepted"), "ko", recipient=reader, email=""))
    assert "Kim Minjun" in ordinary.text
    assert f"{settings.SITE_URL}/ko/notifications/settings/" in ordinary.text
    legal = render(_row(kinds.get("application_refused"), "ko", recipient=reader, email=""))
    assert "/notifications/settings/" not in legal.text
    assert "60" in legal.text and "6" in legal.text  # the remedies and their time limits


@pytest.mark.django_db
def test_the_language_is_the_recipients_not_the_actors(client, django_capture_on_commit_callbacks):
    """A Japanese-speaking officer verifies an organisation on a Japanese page; its Korean-speaking
    administrator is told in Korean (and a later change of preference is followed)."""
    officer = UserFactory(duties=["work_permit_officer"], preferred_language="ja")
    organization = OrganizationFactory()
    administrator = UserFactory(
        member_of=organization, member_of__role="administrator", preferred_language="ko"
    )
    client.force_login(officer)
    with translation.override("ja"):
        page = reverse("accounts:organization_review", args=[organization.pk])
    assert page.startswith("/ja/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"decide": "1", "decision": "verify", "note": ""})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [administrator.email]
    html_body = message.alternatives[0][0]
    assert '<html lang="ko">' in html_body
    assert f"{settings.SITE_URL}/ko/accounts/organisations/{organization.pk}/" in message.body
    assert "이 메시지는 상하이 외국인 인재 서비스 포털에서 발송되었습니다" in message.body
    row = Notification.objects.get(kind="organization_verified")
    assert row.language == "ko" and row.link == f"/accounts/organisations/{organization.pk}/"

    administrator.preferred_language = "ja"
    administrator.save()
    assert '<html lang="ja">' in render(Notification.objects.get(pk=row.pk)).html


@pytest.mark.django_db
def test_an_invitation_goes_in_the_language_the_inviter_chose(
    employer_admin, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        account_actions.invitation_create(
            actor=employer_admin,
            organization=employer_admin.organization,
            email="new@example.jp",
            language="ja",
        )
    [message] = mail.outbox
    assert f"{settings.SITE_URL}/ja/accounts/invitations/" in message.body
    assert '<html lang="ja">' in message.alternatives[0][0]
