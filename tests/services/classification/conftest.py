import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The assessment API is throttled per address; each test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()
