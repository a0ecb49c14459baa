import os
import subprocess
import sys

import pytest

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-secret-key-that-is-long-enough-0123456789",
    "DJANGO_ALLOWED_HOSTS": "talent.example.cn",
    "FIELD_ENCRYPTION_KEYS": "uW2nFXJ0p7bW8WJ1tq1m6rPjJ6t6o5m7qX9y2Qe3r5w=",
    "FIELD_DIGEST_KEY": "digest",
}


def _check(**overrides):
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    env.update({key: value for key, value in {**PRODUCTION, **overrides}.items() if value is not None})
    return subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, check=False
    )


def test_production_settings_start_when_complete():
    result = _check()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"),
        ("FIELD_ENCRYPTION_KEYS", "FIELD_ENCRYPTION_KEYS"),
    ],
)
def test_production_mode_refuses_to_start_without_its_secrets(missing, message):
    result = _check(**{missing: None})
    assert result.returncode != 0
    assert message in result.stderr


def test_a_short_secret_key_is_refused():
    result = _check(DJANGO_SECRET_KEY="short")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
