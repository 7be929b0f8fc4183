"""Fixtures shared by every test: people in each role, the organisation, clients."""

import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from advocacy.celery import app as celery_app
from tests.accounts.factories import UserFactory, make_ambassador, org_tree, published_charter


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Every test starts with an empty cache, in French, tasks run inline, files land in tmp."""
    cache.clear()
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
    cache.clear()


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
