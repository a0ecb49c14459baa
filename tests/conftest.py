"""Shared fixtures, and the rule for tests that need real services.

Tests marked ``postgres`` or ``redis`` run against the real services. Where a service is absent
they are skipped, unless ``REQUIRE_SERVICES=1`` (CI), where they fail instead.
"""

import os
import socket
import time
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test.client import ClientMixin
from django.utils import translation

from tests.factories import OrganizationFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

_force_login = ClientMixin.force_login


def _force_login_with_second_factor(self, user, backend=None):
    """``client.force_login`` signs officers in as if they had passed the second factor.

    Officers and administrators are only ever signed in after two-factor verification (the
    session middleware signs out anyone else), so tests that are not about signing in start
    from that state. Tests of the sign-in itself post to the real forms (tests/accounts).
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from talent_portal.accounts import middleware as session_policy
    from talent_portal.accounts.actions import requires_two_factor

    _force_login(self, user, backend)
    session = self.session
    # As a real sign-in does: the session clock starts now (so the first request writes nothing).
    session[session_policy.SIGNED_IN_AT] = session[session_policy.ACTIVE_AT] = int(time.time())
    if requires_two_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


ClientMixin.force_login = _force_login_with_second_factor
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable() -> bool:
    parsed = urlparse(TEST_REDIS_URL)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def _missing(service: str):
    message = f"{service} is not available"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message}, and REQUIRE_SERVICES=1 forbids skipping.")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _required_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("PostgreSQL (set DATABASE_URL)")
    if request.node.get_closest_marker("redis") and not _redis_reachable():
        _missing("Redis")


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Fast hashing in tests; production keeps Django's default PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in the source language, whatever the previous request activated."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def redis_url():
    return TEST_REDIS_URL


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def officer(db):
    return UserFactory(duties=["work_permit_officer"])


@pytest.fixture
def employer_admin(db):
    """An administrator of a verified employer; the organisation is ``.organization``."""
    organization = OrganizationFactory(verified=True)
    admin = UserFactory(member_of=organization, member_of__role="administrator")
    admin.organization = organization
    return admin


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
