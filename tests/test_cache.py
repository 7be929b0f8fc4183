"""The Redis cache backend keeps one client per connection pool (advocacy.cache)."""

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="the Redis cache is used only with REDIS_URL")


def test_one_client_serves_every_call():
    assert cache._cache.get_client("a") is cache._cache.get_client("b")


def test_values_round_trip_through_the_reused_client():
    cache.set("test:cache:round-trip", {"n": 1}, 30)
    assert cache.get("test:cache:round-trip") == {"n": 1}
    cache.delete("test:cache:round-trip")
    assert cache.get("test:cache:round-trip") is None
