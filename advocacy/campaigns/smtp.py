"""The SMTP connection a chunk of a campaign is sent on, with ESMTP pipelining (RFC 2920).

Opened through Django's SMTP backend (host, port, TLS, login and timeout from its
settings), it sends prepared bytes (composer.Composer.render). When the server offers
PIPELINING, MAIL FROM, RCPT TO and DATA go in one write and the text in a second: two
round trips per message instead of four. Failures raise smtplib's own exceptions, so
sending.classify sorts them as before (4xx transient, 5xx permanent).
"""

import re
import smtplib
import socket

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import sanitize_address

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# RFC 5321 4.5.2: a line of the text that starts with a dot gets a second one.
LEADING_DOT = re.compile(rb"(?m)^\.")
# An address written as a plain dot-atom (RFC 5322 3.4.1) with an ASCII domain whose
# labels IDNA leaves as they are: Django's sanitize_address gives it back unchanged.
ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
PLAIN_ADDRESS = re.compile(rf"{ATEXT}(?:\.{ATEXT})*@[A-Za-z0-9-]{{1,63}}(?:\.[A-Za-z0-9-]{{1,63}})*")


def envelope_address(address: str) -> str:
    """The address as Django's SMTP backend gives it to MAIL FROM or RCPT TO; raises
    ValueError for one it refuses. Parsing every address costs more than writing its
    message, so plain ones skip the parser."""
    if PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, settings.DEFAULT_CHARSET)


def _quoted(address: str) -> str:
    # smtplib.quoteaddr parses the address again; a plain one only needs its brackets.
    return f"<{address}>" if PLAIN_ADDRESS.fullmatch(address) else smtplib.quoteaddr(address)


def is_smtp_backend() -> bool:
    """Only Django's own SMTP backend is replaced; any other backend (console, file,
    locmem, a provider through anymail) gets Django EmailMessages as before."""
    return settings.EMAIL_BACKEND == SMTP_BACKEND


class Connection:
    def __init__(self):
        self.backend = get_connection(backend=SMTP_BACKEND, fail_silently=False)
        self.smtp: smtplib.SMTP | None = None
        self.pipelining = False
        self._sender = ("", "")

    def open(self) -> None:
        self.backend.open()
        self.smtp = self.backend.connection
        self.smtp.ehlo_or_helo_if_needed()
        self.pipelining = self.smtp.has_extn("pipelining")
        # Commands are small writes answered by small writes: without this, Nagle's
        # algorithm can hold a command until the previous reply's ACK.
        self.smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        self.backend.close()

    def send(self, sender: str, recipient: str, data: bytes) -> None:
        """Send one message to one recipient; raises smtplib's exceptions as sendmail does."""
        smtp = self.smtp
        if smtp is None or smtp.sock is None:
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        if not self.pipelining:
            smtp.sendmail(sender, [recipient], data)
            return
        options = f" SIZE={len(data)}" if smtp.has_extn("size") else ""
        if sender != self._sender[0]:
            self._sender = (sender, _quoted(sender))
        mail, rcpt = self._sender[1], _quoted(recipient)
        smtp.send(f"MAIL FROM:{mail}{options}\r\nRCPT TO:{rcpt}\r\nDATA\r\n")
        mail_code, mail_reply = smtp.getreply()
        rcpt_code, rcpt_reply = smtp.getreply()
        data_code, data_reply = smtp.getreply()
        if data_code == 354 and (mail_code != 250 or rcpt_code not in (250, 251)):
            # A server that accepts DATA after refusing the sender or the recipient gets
            # an empty message ended at once (RFC 2920 3.1), which it will not deliver.
            smtp.send(b".\r\n")
            data_code, data_reply = smtp.getreply()
        if mail_code != 250:
            self._abandon(mail_code)
            raise smtplib.SMTPSenderRefused(mail_code, mail_reply, sender)
        if rcpt_code not in (250, 251):
            self._abandon(rcpt_code)
            raise smtplib.SMTPRecipientsRefused({recipient: (rcpt_code, rcpt_reply)})
        if data_code != 354:
            self._abandon(data_code)
            raise smtplib.SMTPDataError(data_code, data_reply)
        text = LEADING_DOT.sub(b"..", data)
        if not text.endswith(b"\r\n"):
            text += b"\r\n"
        smtp.send(text + b".\r\n")
        code, reply = smtp.getreply()
        if code != 250:
            self._abandon(code)
            raise smtplib.SMTPDataError(code, reply)

    def _abandon(self, code: int) -> None:
        # As smtplib.sendmail: 421 means the server is closing the connection.
        if code == 421:
            self.smtp.close()
            return
        try:
            self.smtp.rset()
        except smtplib.SMTPServerDisconnected:
            pass
