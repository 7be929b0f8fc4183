"""Fixtures of the reach tests: followed hashtags and a local fake API server."""

import socket

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


@pytest.fixture
def unused_port():
    """A local port nothing listens on: connecting to it is refused, like a server that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
