"""System checks of the deployment (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks

LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs):
    """Production needs a cache every process and machine shares (``CACHE_URL``).

    A local-memory cache is private to one process: the request throttles would count per
    process (each gunicorn worker and machine allowing the full rate), a passport reading run
    by a Celery worker would never reach the web process that polls for it, and a change of the
    holiday calendar would not reach the other processes until they restart.
    """
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in LOCAL_CACHES:
        return []
    return [
        checks.Warning(
            "The default cache is private to each process.",
            hint=(
                "Set CACHE_URL (e.g. redis://host:6379/1): throttles, passport readings and "
                "calendar changes must be shared by every web process, worker and machine."
            ),
            id="core.W001",
        )
    ]
