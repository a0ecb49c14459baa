"""Signing in: two factors for officers, lock-out, session rotation, idle and absolute limits."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from talent_portal.accounts import actions
from talent_portal.accounts.models import Duty
from talent_portal.core.errors import Forbidden
from talent_portal.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"


def _code(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _sign_in(client, user, password=PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"email": user.email, "password": password}, **extra)


@pytest.fixture
def enrolled_officer():
    officer = UserFactory(duties=["work_permit_officer"])
    device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    return officer, device


def test_an_officers_password_alone_does_not_sign_in(client, enrolled_officer):
    officer, _device = enrolled_officer
    response = _sign_in(client, officer)
    assert response.status_code == 302
    assert response.url == reverse("accounts:two_factor")
    assert "_auth_user_id" not in client.session
    # An officer page is still closed.
    assert client.get(reverse("permits:queue")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused_and_recorded_then_the_right_one_signs_in_with_a_new_session(
    client, enrolled_officer
):
    officer, device = enrolled_officer
    _sign_in(client, officer)
    key_before = client.session.session_key
    response = client.post(
        reverse("accounts:two_factor"), {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert "This code is not correct" in response.content.decode()
    assert AuditEvent.objects.filter(action="two_factor_failed", object_id=str(officer.pk)).count() == 1
    assert "_auth_user_id" not in client.session

    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above started django-otp's back-off
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(reverse("accounts:two_factor"), {"code": _code(device)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session.session_key != key_before
    event = AuditEvent.objects.get(action="signed_in", object_id=str(officer.pk))
    assert event.data == {"second_factor": "TOTPDevice"}
    assert client.get(reverse("permits:queue")).status_code == 200


def test_a_backup_code_works_once(client, enrolled_officer):
    officer, _device = enrolled_officer
    codes = actions.two_factor_new_backup_codes(user=officer, code=_code(_device))
    assert len(codes) == 10 and len(set(codes)) == 10
    _sign_in(client, officer)
    assert client.post(reverse("accounts:two_factor"), {"code": codes[0].upper()}).status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert StaticToken.objects.filter(device__user=officer).count() == 9

    other = Client()
    _sign_in(other, officer)
    response = other.post(reverse("accounts:two_factor"), {"code": codes[0]})
    assert response.status_code == 200
    assert "_auth_user_id" not in other.session


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_officer_without_a_second_factor_is_refused_clearly(client, language):
    officer = UserFactory(duties=["lead_officer"])
    with translation.override(language):
        client.post(reverse("accounts:login"), {"email": officer.email, "password": PASSWORD})
        response = client.get(reverse("accounts:two_factor"))
    assert response.status_code == 403
    text = response.content.decode()
    expected = {"en": "Two-factor sign-in required", "zh-hans": "须使用双重验证登录"}[language]
    assert expected in text
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="two_factor_missing").count() == 1


def test_a_new_officer_enrols_an_authenticator_and_receives_backup_codes(client):
    administrator = UserFactory(duties=["administrator"])
    newcomer = UserFactory()
    actions.user_grant_duty(actor=administrator, user=newcomer, duty=Duty.WORK_PERMIT_OFFICER)
    newcomer.refresh_from_db()
    assert actions.enrolment_open(newcomer)
    assert AuditEvent.objects.filter(
        action="two_factor_enrolment_opened", object_id=str(newcomer.pk)
    ).exists()

    response = _sign_in(client, newcomer)
    assert client.get(response.url).url == reverse("accounts:two_factor_enrol")
    page = client.get(reverse("accounts:two_factor_enrol"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)

    wrong = client.post(reverse("accounts:two_factor_enrol"), {"code": "12345"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    done = client.post(reverse("accounts:two_factor_enrol"), {"code": _code(device)})
    assert done.status_code == 200
    assert done.content.decode().count("<li>") >= 10
    assert client.session["_auth_user_id"] == str(newcomer.pk)
    newcomer.refresh_from_db()
    assert newcomer.two_factor_enrolment_until is None
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    assert AuditEvent.objects.filter(action="two_factor_enrolled", object_id=str(newcomer.pk)).count() == 1


def test_enrolment_is_closed_unless_an_administrator_opened_it(client):
    officer = UserFactory(duties=["exit_entry_officer"])
    _sign_in(client, officer)
    assert client.get(reverse("accounts:two_factor_enrol")).status_code == 403
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_an_administrator_resets_a_lost_second_factor_and_only_an_administrator_may(enrolled_officer):
    officer, _device = enrolled_officer
    colleague = UserFactory(duties=["lead_officer"])
    with pytest.raises(Forbidden):
        actions.two_factor_reset(actor=colleague, user=officer)
    assert TOTPDevice.objects.filter(user=officer).exists()

    administrator = UserFactory(duties=["administrator"])
    actions.two_factor_reset(actor=administrator, user=officer)
    officer.refresh_from_db()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert actions.enrolment_open(officer)
    event = AuditEvent.objects.get(action="two_factor_reset")
    assert event.actor_id == administrator.pk and event.object_id == str(officer.pk)


def test_a_session_that_never_passed_the_second_factor_is_signed_out(client):
    from tests.conftest import _force_login  # Django's own force_login, without the second factor

    officer = UserFactory(duties=["work_permit_officer"])
    _force_login(client, officer)
    response = client.get(reverse("permits:queue"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_the_administration_site_signs_in_through_the_portal(client):
    response = client.get("/en/admin/login/?next=/en/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=" in response.url


def test_an_applicant_signs_in_with_a_password_and_gets_a_new_session_key(client):
    person = UserFactory()
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    assert _sign_in(client, person).status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
    assert client.session.session_key != before


# --- Lock-out --------------------------------------------------------------------------------


def test_repeated_failures_lock_the_account_with_a_translated_page(client):
    person = UserFactory()
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = _sign_in(client, person, password="wrong-password", REMOTE_ADDR="10.0.0.1")
        # The failure that reaches the limit is already answered with the lock-out page.
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
    assert AuditEvent.objects.filter(action="sign_in_failed", object_id=str(person.pk)).count() == 5
    # Even the right password, and from another address, is refused for now.
    with translation.override("ja"):
        response = client.post(
            reverse("accounts:login"),
            {"email": person.email.upper(), "password": PASSWORD},
            REMOTE_ADDR="10.0.0.2",
        )
    assert response.status_code == 429
    assert "ログインの一時停止" in response.content.decode()
    assert "_auth_user_id" not in client.session

    # After the cool-off time the account opens again.
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert _sign_in(client, person, REMOTE_ADDR="10.0.0.3").status_code == 302


def test_repeated_failures_from_one_address_lock_that_address(client):
    people = UserFactory.create_batch(settings.AXES_FAILURE_LIMIT)
    for person in people:
        _sign_in(client, person, password="wrong-password", REMOTE_ADDR="10.9.9.9")
    somebody = UserFactory()
    assert _sign_in(client, somebody, REMOTE_ADDR="10.9.9.9").status_code == 429
    assert _sign_in(client, somebody, REMOTE_ADDR="10.9.9.10").status_code == 302


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_lock(client):
    people = UserFactory.create_batch(settings.AXES_FAILURE_LIMIT)
    for number, person in enumerate(people):
        _sign_in(
            client,
            person,
            password="wrong-password",
            REMOTE_ADDR="10.8.8.8",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{number}",
        )
    assert (
        _sign_in(client, UserFactory(), REMOTE_ADDR="10.8.8.8", HTTP_X_FORWARDED_FOR="9.9.9.9").status_code
        == 429
    )


# --- Session limits ----------------------------------------------------------------------------


def _signed_in_client(user) -> Client:
    client = Client()
    assert _sign_in(client, user).status_code == 302
    return client


def test_an_applicant_is_signed_out_after_30_idle_minutes_with_a_message():
    person = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = _signed_in_client(person)
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("accounts:profile")).status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("accounts:profile")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("accounts:profile"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "30 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_officer_is_signed_out_after_15_idle_minutes(enrolled_officer):
    officer, device = enrolled_officer
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = Client()
        _sign_in(client, officer)
        client.post(reverse("accounts:two_factor"), {"code": _code(device)})
        assert client.get(reverse("permits:queue")).status_code == 200
        traveller.shift(timedelta(minutes=16))
        response = client.get(reverse("permits:queue"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_notification_bell_polling_is_not_activity():
    person = UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _signed_in_client(person)
        for _ in range(5):
            traveller.shift(timedelta(minutes=7))
            bell = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
        assert bell.status_code == 286  # htmx stops polling: the session ended at 30 minutes
        assert "_auth_user_id" not in client.session


def test_the_absolute_limit_ends_even_an_active_session():
    person = UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _signed_in_client(person)
        for _ in range(settings.SESSION_ABSOLUTE_HOURS * 3):
            traveller.shift(timedelta(minutes=20))
            response = client.get(reverse("accounts:profile"))
        traveller.shift(timedelta(minutes=20))
        response = client.get(reverse("accounts:profile"), follow=True)
    assert "maximum length" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_is_written_to_the_session_at_most_once_a_minute():
    person = UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _signed_in_client(person)
        client.get(reverse("accounts:profile"))
        traveller.shift(timedelta(seconds=20))
        with CaptureQueriesContext(connection) as quiet:
            client.get(reverse("accounts:profile"))
        traveller.shift(timedelta(seconds=50))
        with CaptureQueriesContext(connection) as stamped:
            client.get(reverse("accounts:profile"))

    def session_writes(context):
        return [
            q["sql"]
            for q in context.captured_queries
            if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
        ]

    assert session_writes(quiet) == []
    assert len(session_writes(stamped)) == 1


def test_losing_the_cache_signs_nobody_out(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    person = UserFactory()
    client = _signed_in_client(person)
    from django.core.cache import cache

    cache.clear()
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_signing_out_ends_the_session_on_the_server():
    person = UserFactory()
    client = _signed_in_client(person)
    stolen_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen_cookie
    response = replay.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_passwords_are_hashed_with_argon2_in_the_real_settings():
    from talent_portal import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    from django.contrib.auth.hashers import Argon2PasswordHasher

    encoded = Argon2PasswordHasher().encode("A-Sturdy-Passphrase-9", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")


# --- Before the session ends: warning data, keep-alive, drafts ----------------------------------


def test_pages_tell_the_script_when_the_session_ends():
    person = UserFactory()
    with time_machine.travel(timezone.now(), tick=False):
        client = _signed_in_client(person)
        page = client.get(reverse("accounts:profile")).content.decode()
        expected = int(timezone.now().timestamp()) + settings.SESSION_IDLE_MINUTES * 60
    assert f'data-expires-at="{expected}"' in page
    assert "js/session.js" in page


def test_a_draft_saved_in_the_background_is_restored_once_after_signing_in_again():
    from talent_portal.accounts.models import FormDraft

    person = UserFactory()
    path = "/en/applications/some-case/parts/applicant/"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _signed_in_client(person)
        traveller.shift(timedelta(minutes=29, seconds=40))
        saved = client.post(
            reverse("accounts:form_draft"),
            {"_draft_path": path, "surname": "Tanaka", "duties": ["a", "b"], "password": "never-kept"},
            HTTP_X_PORTAL_BACKGROUND="1",
        )
        assert saved.status_code == 200
        # Saving the draft was not activity: the session still ends on time.
        traveller.shift(timedelta(seconds=30))
        assert client.get(reverse("accounts:profile")).status_code == 302
        assert "_auth_user_id" not in client.session

        stored = FormDraft.objects.get(user=person)
        with connection.cursor() as cursor:
            cursor.execute("SELECT data FROM accounts_formdraft WHERE id = %s", [stored.pk])
            assert "Tanaka" not in cursor.fetchone()[0]  # encrypted at rest

        again = _signed_in_client(person)
        restored = again.get(reverse("accounts:form_draft_restore"), {"path": path}).json()
        assert restored == {"fields": {"surname": ["Tanaka"], "duties": ["a", "b"]}}
        assert again.get(reverse("accounts:form_draft_restore"), {"path": path}).json() == {"fields": None}


def test_a_draft_must_name_a_page_of_the_portal():
    client = _signed_in_client(UserFactory())
    response = client.post(reverse("accounts:form_draft"), {"_draft_path": "https://evil.example/", "a": "b"})
    assert response.status_code == 400
    from talent_portal.accounts.models import FormDraft

    assert not FormDraft.objects.exists()


def test_stay_signed_in_extends_the_session():
    person = UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _signed_in_client(person)
        traveller.shift(timedelta(minutes=28))
        answer = client.get(reverse("accounts:session_keepalive")).json()
        assert answer["expires_at"] == int(timezone.now().timestamp()) + settings.SESSION_IDLE_MINUTES * 60
        traveller.shift(timedelta(minutes=28))
        assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_demo_officers_sign_in_with_the_demo_authenticator(client, settings):
    from io import StringIO

    from django.core.management import call_command

    from talent_portal.accounts.demo import DEMO_PASSWORD

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("demo_code", stdout=out, stderr=StringIO())
    client.post(
        reverse("accounts:login"), {"email": "lead@demo.talent.example.cn", "password": DEMO_PASSWORD}
    )
    response = client.post(reverse("accounts:two_factor"), {"code": out.getvalue().strip()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_the_demo_authenticator_does_not_exist_outside_the_demo(settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    call_command("seed_demo", stdout=StringIO())
    assert not TOTPDevice.objects.exists()
    with pytest.raises(CommandError):
        call_command("demo_code", stdout=StringIO())


def test_an_operator_opens_enrolment_from_the_command_line():
    from io import StringIO

    from django.core.management import call_command

    administrator = UserFactory(is_superuser=True, is_staff=True)
    call_command("open_two_factor_enrolment", administrator.email.upper(), stdout=StringIO())
    administrator.refresh_from_db()
    assert actions.enrolment_open(administrator)
    assert AuditEvent.objects.filter(
        action="two_factor_enrolment_opened", object_id=str(administrator.pk)
    ).exists()
