"""Production must share its cache between processes and machines (check --deploy, core.W001)."""

from django.core import checks
from django.test import override_settings

from talent_portal.core.checks import shared_cache

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://h:6379/1"}
}


@override_settings(DEBUG=False, CACHES=LOCMEM)
def test_a_process_local_cache_is_reported_in_production():
    (warning,) = shared_cache()
    assert warning.id == "core.W001" and warning.level == checks.WARNING
    assert "CACHE_URL" in warning.hint


@override_settings(DEBUG=False, CACHES=REDIS)
def test_a_shared_cache_passes():
    assert shared_cache() == []


@override_settings(DEBUG=True, CACHES=LOCMEM)
def test_the_embedded_development_mode_keeps_its_local_cache():
    assert shared_cache() == []


def test_the_check_runs_with_the_deployment_checks():
    assert shared_cache in checks.registry.registry.get_checks(include_deployment_checks=True)
    assert shared_cache not in checks.registry.registry.get_checks(include_deployment_checks=False)
