"""Benchmark-only settings: the product's settings, plus two URLs served only here.

``bench/city_bench.py`` serves the portal with these settings (gunicorn, ``DJANGO_DEBUG=0``):
everything is the product's (middleware, sessions, authentication, templates), and
``bench.urls`` adds the bare baseline view and the plain-DRF reference in front of the product's
URLs. Never used to serve the portal.
"""

from talent_portal.settings import *  # noqa: F403 - the real settings, unchanged

ROOT_URLCONF = "bench.urls"
