"""Fixtures of the reach tests: followed hashtags and a local fake API server."""

import pytest

from advocacy.reach import services
from advocacy.reach.models import Hashtag
from tests.reach import fake_server


@pytest.fixture
def programme_tag(db):
    return services.hashtag_save(tag="AvecPôleEmploi", kind=Hashtag.Kind.PROGRAMME)


@pytest.fixture
def watched_tag(db):
    return services.hashtag_save(tag="TweeteCommePoleEmploi", kind=Hashtag.Kind.WATCHED)


@pytest.fixture
def api_server():
    state, server = fake_server.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _tracked_host(settings):
    settings.TRACKED_LINK_HOSTS = ["avecpoleemploi.fr"]
