"""Fixtures of the sharing tests: an isolated click buffer per test, on each backend."""

import uuid
from datetime import datetime, time

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone


def _use_file_buffer(settings, tmp_path):
    settings.CLICK_BUFFER = "file"
    settings.CLICK_BUFFER_DIR = str(tmp_path / "clicks")


def _use_redis_buffer(settings):
    if not django_settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the Redis click buffer is tested against a real Redis only")
    settings.CLICK_BUFFER = "redis"
    settings.CLICK_BUFFER_REDIS_URL = django_settings.REDIS_URL
    # A key per test keeps parallel test processes apart on the shared Redis database.
    settings.CLICK_BUFFER_KEY = f"test:clicks:{uuid.uuid4().hex}"


def _cleanup_redis(prefix):
    import redis

    client = redis.Redis.from_url(django_settings.REDIS_URL)
    for suffix in ("pending", "processing", "drain-lock"):
        client.delete(f"{prefix}:{suffix}")


@pytest.fixture(params=["file", "redis"])
def click_buffer(request, settings, tmp_path):
    """Each test using it runs once on the file buffer and once on Redis."""
    if request.param == "file":
        _use_file_buffer(settings, tmp_path)
        yield "file"
    else:
        _use_redis_buffer(settings)
        yield "redis"
        _cleanup_redis(settings.CLICK_BUFFER_KEY)


@pytest.fixture
def redis_click_buffer(settings):
    """The Redis click buffer only (skipped without a Redis), for what only exists with it."""
    _use_redis_buffer(settings)
    yield "redis"
    _cleanup_redis(settings.CLICK_BUFFER_KEY)


@pytest.fixture(autouse=True)
def _default_click_buffer(request, settings, tmp_path):
    """Tests that do not ask for a backend get the one the settings choose, isolated."""
    if "click_buffer" in request.fixturenames or "redis_click_buffer" in request.fixturenames:
        yield
        return
    if settings.CLICK_BUFFER == "redis":
        _use_redis_buffer(settings)
        yield
        _cleanup_redis(settings.CLICK_BUFFER_KEY)
    else:
        _use_file_buffer(settings, tmp_path)
        yield


@pytest.fixture
def midday():
    """Today at noon in Paris, the clock running. The redirect reads a day's salt from the
    database once per process and day: a test that takes today's salt, then counts the
    queries of a click, counted one more when midnight fell in between."""
    noon = datetime.combine(timezone.localdate(), time(12), tzinfo=timezone.get_default_timezone())
    with time_machine.travel(noon, tick=True):
        yield noon
