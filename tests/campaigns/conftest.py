"""Fixtures of the campaigns tests: a local SMTP server and a crowd of ambassadors."""

import pytest

from tests.campaigns.fake_smtp import FakeSMTPServer


@pytest.fixture
def smtp_server(settings):
    """A local SMTP server; tests set its `rules` and `fail_first` before sending."""
    server = FakeSMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _campaign_settings(settings):
    settings.CAMPAIGN_RETRY_BASE_SECONDS = 0
    settings.CAMPAIGN_REPLY_TO = "web-social@avecpoleemploi.example"
    settings.CAMPAIGN_ALERT_EMAILS = ["alertes@avecpoleemploi.example"]


@pytest.fixture
def eager_retries():
    """Let eager tasks retry inline (Celery re-raises Retry when eager errors propagate)."""
    from advocacy.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True
