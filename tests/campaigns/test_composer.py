"""Campaign e-mails written once per campaign: the same bytes as Django's own encoding,
sent over a pipelining SMTP connection."""

import datetime
import re
import smtplib

import pytest
import time_machine
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address

from accounts.models import User
from advocacy.campaigns import smtp, tokens
from advocacy.campaigns.composer import Composer
from advocacy.campaigns.models import Campaign, Delivery
from tests.campaigns.factories import ambassadors
from tests.campaigns.fake_smtp import FakeSMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    # The unsubscribe token carries a timestamp: both versions of a message are written
    # in the same second.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC), tick=False):
        yield


DATE = re.compile(rb"^Date: .*?\r\n", re.MULTILINE)


def campaign_for(curator, **fields):
    fields = {
        "kind": Campaign.Kind.ANNOUNCEMENT,
        "subject": "Semaine de l’emploi : à vos partages !",
        "body": "Une nouvelle semaine commence.\r\nDeuxième ligne.",
        "sender": curator,
        "reply_to": "web-social@avecpoleemploi.example",
        "url": "/kits/12/",
    } | fields
    return Campaign.objects.create(**fields)


def row_for(campaign, person):
    return Delivery.objects.create(campaign=campaign, recipient=person, channel="email")


def django_bytes(message) -> bytes:
    """What Django's SMTP backend sends for `message`, built as an EmailMultiAlternatives."""
    reference = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=message.to,
        reply_to=message.reply_to,
        headers=message.extra_headers,
    )
    return reference.message().as_bytes(linesep="\r\n")


def without_date(data: bytes) -> bytes:
    assert len(DATE.findall(data)) == 1
    return DATE.sub(b"", data)


@pytest.mark.parametrize(
    ("first_name", "email", "extra", "campaign_fields"),
    [
        ("Awa", None, "", {}),
        ("Élodie-Maëlys", None, "", {}),
        ("", None, "C’est fait, j’ai supprimé ma publication (un clic) :\nhttps://example.org/ack/abc", {}),
        ("Jo", None, "", {"body": "Plain ASCII body.", "subject": "ASCII subject", "url": ""}),
        ("Jo", None, "", {"subject": "Un objet très long " * 8}),
        ("Jo", "prenom.nom-de-famille-tres-long.avec.des.points@agence-de-test.pole-emploi.example", "", {}),
        ("Zoé", "zoé@exemple.fr", "", {}),  # a non-ASCII address: Django writes it
        ("Jo", None, "", {"body": "x" * 1200}),  # a line too long for 8bit: quoted-printable
        ("Jo", None, "", {"body": ".Une ligne qui commence par un point.\n\n\rFin."}),
    ],
)
def test_rendered_bytes_are_what_django_would_send(curator, org, charter, first_name, email, extra, campaign_fields):
    (person,) = ambassadors(1, unit=org["a-bre-1"], charter=charter, first_name=first_name)
    if email:
        User.objects.filter(pk=person.pk).update(email=email)
        person.refresh_from_db()
    campaign = campaign_for(curator, **campaign_fields)
    row = row_for(campaign, person)
    composer = Composer(campaign)
    recipient, data = composer.render(row, person, extra)
    expected = django_bytes(composer.build(row, person, extra))
    assert without_date(data) == without_date(expected)
    assert recipient == (person.email if person.email.isascii() else recipient)


def test_every_recipient_of_a_campaign_gets_their_own_parts(curator, org, charter):
    first, second = ambassadors(2, unit=org["a-bre-1"], charter=charter)
    campaign = campaign_for(curator)
    composer = Composer(campaign)
    for person in (first, second):
        row = row_for(campaign, person)
        _recipient, data = composer.render(row, person)
        assert without_date(data) == without_date(django_bytes(composer.build(row, person)))
        assert f"To: {person.email}".encode() in data
        assert f"delivery-{row.pk}@".encode() in data


def test_an_address_django_refuses_is_refused(curator, org, charter):
    (person,) = ambassadors(1, unit=org["a-bre-1"], charter=charter)
    person.email = "pas-une-adresse\n@example.org"
    campaign = campaign_for(curator)
    with pytest.raises(ValueError):
        Composer(campaign).render(row_for(campaign, person), person)


@pytest.fixture
def holding_server(settings):
    """A server that answers MAIL and RCPT only once DATA has arrived (RFC 2920 allows
    it): only a client that really pipelines gets through."""
    server = FakeSMTPServer(hold_replies=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        server.port,
        False,
        2,
    )
    yield server
    server.stop()


def test_commands_are_pipelined_when_the_server_offers_it(holding_server, curator, org, charter):
    people = ambassadors(2, unit=org["a-bre-1"], charter=charter)
    campaign = campaign_for(curator)
    composer = Composer(campaign)
    connection = smtp.Connection()
    connection.open()
    assert connection.pipelining
    for person in people:
        connection.send(composer.envelope_sender, *composer.render(row_for(campaign, person), person))
    connection.close()
    assert dict(holding_server.count_by_recipient) == {p.email: 1 for p in people}
    text = holding_server.messages[0][2].get_payload(decode=True).decode()
    assert text.startswith(f"Bonjour {people[0].first_name},")


def test_without_pipelining_each_command_waits_for_its_answer(smtp_server, curator, org, charter):
    smtp_server.pipelining = False
    (person,) = ambassadors(1, unit=org["a-bre-1"], charter=charter)
    campaign = campaign_for(curator)
    composer = Composer(campaign)
    connection = smtp.Connection()
    connection.open()
    assert not connection.pipelining
    connection.send(composer.envelope_sender, *composer.render(row_for(campaign, person), person))
    connection.close()
    assert dict(smtp_server.count_by_recipient) == {person.email: 1}


@pytest.mark.parametrize(
    ("answer", "exception", "code"),
    [
        ("550 5.1.1 user unknown", smtplib.SMTPRecipientsRefused, 550),
        ("451 4.3.0 try again later", smtplib.SMTPRecipientsRefused, 451),
    ],
)
def test_a_refused_recipient_raises_what_smtplib_raises_and_the_connection_goes_on(
    smtp_server, curator, org, charter, answer, exception, code
):
    refused, accepted = ambassadors(2, unit=org["a-bre-1"], charter=charter)
    smtp_server.rules = {refused.email: answer}
    campaign = campaign_for(curator)
    composer = Composer(campaign)
    connection = smtp.Connection()
    connection.open()
    with pytest.raises(exception) as caught:
        connection.send(composer.envelope_sender, *composer.render(row_for(campaign, refused), refused))
    assert caught.value.recipients[refused.email][0] == code
    connection.send(composer.envelope_sender, *composer.render(row_for(campaign, accepted), accepted))
    connection.close()
    assert dict(smtp_server.count_by_recipient) == {accepted.email: 1}
    assert "RSET" in [command.upper() for command in smtp_server.commands]


def test_other_backends_get_django_messages(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert not smtp.is_smtp_backend()
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    assert not smtp.is_smtp_backend()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert smtp.is_smtp_backend()


@pytest.mark.parametrize(
    "address",
    [
        "agent1@francetravail.example",
        "Prenom.Nom+tag@Agence.Pole-Emploi.EXAMPLE",
        "o'brien@example.org",
        "a.b.c@xn--frmation-b1a.example",
        "#AvecPôleEmploi <ne-pas-repondre@avecpoleemploi.example>",
        "zoé@exemple.fr",
        '"quoted local"@example.org',
        "a..b@example.org",
        "nom@" + "x" * 64 + ".example",
    ],
)
def test_envelope_addresses_are_what_django_gives_the_server(address):
    try:
        expected = sanitize_address(address, "utf-8")
    except ValueError:
        with pytest.raises(ValueError):
            smtp.envelope_address(address)
        return
    assert smtp.envelope_address(address) == expected


def test_headers_fold_like_django_whatever_their_length(curator, org, charter):
    """The folding worked out once per length is the folding Django does at every length."""
    (person,) = ambassadors(1, unit=org["a-bre-1"], charter=charter, first_name="Awa")
    campaign = campaign_for(curator)
    composer = Composer(campaign)
    row = row_for(campaign, person)
    for length in range(1, 140, 3):
        person.email = f"{'a' * length}@x.example"
        for _ in range(2):  # the second one reuses what the first one worked out
            _recipient, data = composer.render(row, person)
            assert without_date(data) == without_date(django_bytes(composer.build(row, person)))


def test_a_campaign_signs_the_same_unsubscribe_tokens_as_one_by_one(curator, org, charter):
    (person,) = ambassadors(1, unit=org["a-bre-1"], charter=charter)
    token = tokens.unsubscribe_tokens()(person)
    assert token == tokens.unsubscribe_token(person)
    assert tokens.unsubscribe_payload(token) == {"u": person.pk, "e": person.email}
