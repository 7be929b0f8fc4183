"""Fixtures shared by every test: people in each role, the organisation, clients."""

import copy
import uuid

import pytest
from django.core.cache import cache, caches
from django.test.utils import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from advocacy.celery import app as celery_app
from tests.accounts.factories import UserFactory, make_ambassador, org_tree, published_charter


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """This test process's own cache: a folder of its own, or on Redis its own key prefix.

    The settings' cache is shared: the file cache by every run in the checkout (var/cache),
    Redis by every run on its database. Each test empties the cache as it starts, and
    Django's clear() empties the whole folder or Redis database: two test runs at once
    emptied each other's cache between a test's warm-up request and the one it counts,
    and the counted one read the session and the remembered values from the database
    again, failing the query-count tests at random."""
    from django.conf import settings

    private = copy.deepcopy(settings.CACHES)
    default = private["default"]
    if default["BACKEND"] == "advocacy.cache.RedisCache":
        default["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    else:
        default["LOCATION"] = str(tmp_path_factory.mktemp("cache"))
    with override_settings(CACHES=private):
        yield


def _cache_empty() -> None:
    """Empty this process's cache, and only it (Django's clear() flushes a whole Redis
    database, other test runs' keys included)."""
    from django.conf import settings

    default = settings.CACHES["default"]
    if default["BACKEND"] == "advocacy.cache.RedisCache":
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{default['KEY_PREFIX']}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
    # The layout's fragments, kept in this process's memory (CACHES["local"]): a test
    # counting a page's queries must not depend on which page an earlier test rendered.
    caches["local"].clear()


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path, _private_cache):
    """Every test starts with an empty cache, in French, tasks run inline, files land in tmp."""
    _cache_empty()
    # A request in another language leaves it active in the thread (LocaleMiddleware
    # never resets it), and services called directly afterwards would speak it.
    translation.activate(settings.LANGUAGE_CODE)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STAFF_EMAIL_DOMAINS = []
    # Hashing with the production cost would make every factory-made person slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    _cache_empty()


@pytest.fixture
def org(db):
    return org_tree()


@pytest.fixture
def charter(db):
    return published_charter()


@pytest.fixture
def staff(org):
    """A signed-up staff member who has not joined the programme."""
    return UserFactory(unit=org["a-bre-1"])


@pytest.fixture
def ambassador(org, charter):
    return make_ambassador(unit=org["a-bre-1"], charter=charter)


@pytest.fixture
def curator(org):
    return UserFactory(unit=org["dg"], curator=True)


@pytest.fixture
def moderator(org):
    return UserFactory(unit=org["dg"], moderator=True)


@pytest.fixture
def manager(org):
    """Manager of the Bretagne region."""
    return UserFactory(unit=org["dr-bre"], managed_unit=org["dr-bre"])


@pytest.fixture
def admin_user(org):
    return UserFactory(unit=org["dg"], admin=True)


@pytest.fixture
def people(staff, ambassador, curator, moderator, manager, admin_user):
    return {
        "anonymous": None,
        "staff": staff,
        "ambassador": ambassador,
        "curator": curator,
        "moderator": moderator,
        "manager": manager,
        "admin": admin_user,
    }


@pytest.fixture
def api_client():
    return APIClient()


def signed_in_client(client, user):
    if user is not None:
        client.force_login(user)
    return client
