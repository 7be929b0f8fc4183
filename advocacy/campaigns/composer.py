"""The e-mails of one campaign: greeting by name, the body, the curator's signature, the
reply-to address and the unsubscribe link, written once per campaign and filled per person.

`Composer.build` gives a Django EmailMessage (any e-mail backend: console, file, anymail).
`Composer.render` gives the bytes Django's SMTP backend would send for the same message,
with the headers every recipient shares encoded once per campaign: only To, Date,
Message-ID, List-Unsubscribe and the text's personal lines are written per message.
"""

import re
import time
from email.utils import formatdate
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _

from advocacy.campaigns import smtp, tokens

# The line breaks the e-mail generator recognises (email.generator.NLCRE).
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# RFC 5322: past this many bytes on a line, Django switches the text to quoted-printable.
LINE_LENGTH_LIMIT = 998
# Headers written per recipient; every other header is the same for the whole campaign.
# Where email.header.Header may break a line: spaces and its split characters.
FOLD_POINT = re.compile(r"[\s;,]")
PERSONAL_HEADERS = frozenset({"to", "date", "message-id", "list-unsubscribe", "content-transfer-encoding"})


def absolute(url: str) -> str:
    return url if url.startswith("http") else f"{settings.SITE_URL}{url}"


def message_id_for(row) -> str:
    # Stable per row: if a message is ever sent twice (a worker killed between the
    # server's acceptance and our UPDATE), mail clients and the reconciliation
    # recognise the second copy as the same message.
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
    return f"<campaign-{row.campaign_id}.delivery-{row.pk}@{domain}>"


class Composer:
    """Builds the personal e-mails of one campaign."""

    def __init__(self, campaign):
        self.campaign = campaign
        sender = campaign.sender
        team = _("Équipe web-social")
        service = settings.BRAND["service_name"]
        self.signature = (
            f"{sender.get_full_name() or sender.email}\n{team} — {service}" if sender else f"{team} — {service}"
        )
        self.link = absolute(campaign.url) if campaign.url else ""
        self.reply_line = _("Une question ? Répondez simplement à ce message : il arrive à l’équipe web-social.")
        self.unsubscribe_label = _("Ne plus recevoir ces e-mails (un clic, sans vous connecter) :")
        self.greeting_named = _("Bonjour %(name)s,")
        self.greeting = _("Bonjour,")
        # Reversed once per campaign, not once per message.
        self.unsubscribe_pattern = absolute(reverse("campaigns:unsubscribe", args=["TOKEN"]))
        self.unsubscribe_token = tokens.unsubscribe_tokens()
        self.reply_to = campaign.reply_to or settings.CAMPAIGN_REPLY_TO
        self.mailto = f"<mailto:{self.reply_to}?subject={quote('désinscription')}>"
        self._template = None

    # --- What every message says ---------------------------------------------------------

    def _parts(self, recipient, extra: str) -> tuple[str, str]:
        """(text, unsubscribe url) of the message to `recipient`."""
        unsubscribe_url = self.unsubscribe_pattern.replace("TOKEN", self.unsubscribe_token(recipient))
        greeting = self.greeting_named % {"name": recipient.first_name} if recipient.first_name else self.greeting
        parts = [greeting, self.campaign.body]
        if extra:
            parts.append(extra)
        if self.link:
            parts.append(self.link)
        parts += [self.signature, self.reply_line, f"{self.unsubscribe_label}\n{unsubscribe_url}"]
        return "\n\n".join(parts), unsubscribe_url

    def _message(self, *, to: str, body: str, message_id: str, unsubscribe_url: str) -> EmailMessage:
        return EmailMessage(
            subject=self.campaign.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            reply_to=[self.reply_to],
            headers={
                "Message-ID": message_id,
                # RFC 8058: mail clients show an unsubscribe button that POSTs here.
                "List-Unsubscribe": f"<{unsubscribe_url}>, {self.mailto}",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )

    def build(self, row, recipient, extra: str = "") -> EmailMessage:
        body, unsubscribe_url = self._parts(recipient, extra)
        message = self._message(
            to=recipient.email, body=body, message_id=message_id_for(row), unsubscribe_url=unsubscribe_url
        )
        # Providers (anymail) report tracking events with these.
        message.metadata = {"campaign": str(row.campaign_id), "delivery": str(row.pk)}
        message.tags = [self.campaign.kind]
        return message

    # --- The same message as bytes, for the SMTP connection -----------------------------

    @property
    def envelope_sender(self) -> str:
        # What Django's SMTP backend gives as MAIL FROM.
        return smtp.envelope_address(settings.DEFAULT_FROM_EMAIL)

    def render(self, row, recipient, extra: str = "") -> tuple[str, bytes]:
        """(envelope recipient, message bytes): the bytes Django's SMTP backend would send
        for `build(row, recipient, extra)`. Raises ValueError for an address Django
        refuses, as Django would."""
        # MAIL FROM and RCPT TO carry the sanitised address, as in Django's backend; it
        # also refuses what Django refuses (newlines, unparsable addresses).
        envelope_recipient = smtp.envelope_address(recipient.email)
        body, unsubscribe_url = self._parts(recipient, extra)
        message_id = message_id_for(row)
        template = self._template or self._compile()
        pieces = template.fill(
            to=recipient.email, body=body, message_id=message_id, unsubscribe=f"<{unsubscribe_url}>, {self.mailto}"
        )
        if pieces is None:
            # Outside what the template knows how to write (a non-ASCII address, a very
            # long line): Django writes this one.
            message = self._message(
                to=recipient.email, body=body, message_id=message_id, unsubscribe_url=unsubscribe_url
            )
            return envelope_recipient, message.message().as_bytes(linesep="\r\n")
        return envelope_recipient, pieces

    def _compile(self) -> "_Template":
        self._template = _Template(
            self._message(
                to="recipient@example.org", body="-", message_id="<id@example.org>", unsubscribe_url="https://x"
            )
        )
        return self._template


class _Template:
    """The headers of a campaign's messages, encoded once by Django's own code (the
    subject, sender and reply-to are the same for everyone), with slots for the personal
    headers, which are folded the same way per message."""

    def __init__(self, sample: EmailMessage):
        message = sample.message()
        self.policy = message.policy.clone(linesep="\r\n")
        self.localtime = settings.EMAIL_USE_LOCALTIME
        self.slots: list[bytes | str] = []
        for name, value in message.raw_items():
            if name.lower() in PERSONAL_HEADERS:
                self.slots.append(name.lower())
            else:
                self.slots.append(self.policy.fold_binary(name, value))
        self.transfer_encodings = {
            cte: self.policy.fold_binary("Content-Transfer-Encoding", cte) for cte in ("7bit", "8bit")
        }
        self._date = (None, b"")
        self.folds: dict[tuple, list[bytes]] = {}

    def _header(self, name: str, value: str) -> bytes:
        """`name: value` folded as Django's generator folds it (email.header.Header at
        78 columns). The folding only looks at the value's length and where its spaces,
        commas and semicolons are, so it is worked out once per such shape and reused:
        an address or an unsubscribe link of the same length folds the same way."""
        shape = (name, len(value), tuple(match.start() for match in FOLD_POINT.finditer(value)))
        separators = self.folds.get(shape)
        if separators is None:
            folded = self.policy.fold_binary(name, value)
            separators = self._separators(value, folded)
            if separators is None:
                return folded
            self.folds[shape] = separators
        words = value.split()
        return (
            b"".join(separator + word.encode() for separator, word in zip(separators, words, strict=False))
            + (separators[-1])
        )

    @staticmethod
    def _separators(value: str, folded: bytes) -> list[bytes] | None:
        """What the folded header has around the value's words (the header name, line
        breaks), or None if the words are not all there, unchanged and in order."""
        separators, position = [], 0
        for word in value.split():
            found = folded.find(word.encode(), position)
            if found < 0:
                return None
            separators.append(folded[position:found])
            position = found + len(word)
        separators.append(folded[position:])
        return separators

    def _date_header(self) -> bytes:
        # One Date header per second is enough: formatdate() has a one-second resolution.
        now = int(time.time())
        if self._date[0] != now:
            self._date = (now, self._header("Date", formatdate(now, localtime=self.localtime)))
        return self._date[1]

    def fill(self, *, to: str, body: str, message_id: str, unsubscribe: str) -> bytes | None:
        """The message's bytes, or None when one of its personal parts needs what only
        Django's full encoder does (non-ASCII or multi-line header values, long lines)."""
        for value in (to, message_id, unsubscribe):
            if not value.isascii() or "\n" in value or "\r" in value:
                return None
        if len(body) * 4 > LINE_LENGTH_LIMIT and any(
            len(line.encode(errors="surrogateescape")) > LINE_LENGTH_LIMIT for line in body.splitlines()
        ):
            return None
        personal = {
            "to": self._header("To", to),
            "date": self._date_header(),
            "message-id": self._header("Message-ID", message_id),
            "list-unsubscribe": self._header("List-Unsubscribe", unsubscribe),
            "content-transfer-encoding": self.transfer_encodings["7bit" if body.isascii() else "8bit"],
        }
        headers = b"".join(slot if isinstance(slot, bytes) else personal[slot] for slot in self.slots)
        return headers + b"\r\n" + "\r\n".join(LINE_BREAK.split(body)).encode()
