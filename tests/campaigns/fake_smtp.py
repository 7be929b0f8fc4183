"""A small SMTP server for tests and benchmarks (aiosmtpd is not installed here).

It speaks enough of RFC 5321 for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT, and offers PIPELINING unless told not to. `rules` maps a recipient address (or
"*") to the reply given to RCPT TO, so a test can make one address answer a transient
451 and another a permanent 550.
`fail_first` makes an address fail that many times before it is accepted.
"""

import socket
import socketserver
import threading
from collections import defaultdict
from email import message_from_bytes


class _Handler(socketserver.StreamRequestHandler):
    def setup(self):
        super().setup()
        # Replies are small writes answered by small writes: without this, Nagle's
        # algorithm and delayed ACKs add tens of milliseconds to every command.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    held: list[str]

    def reply(self, line: str, *, hold: bool = False):
        # With `hold_replies`, the answers to MAIL and RCPT wait for the next DATA, as a
        # server may do with a pipelining client (RFC 2920 3.2): a client that waits
        # for each answer before its next command then never gets one.
        if hold and self.server.hold_replies:
            self.held.append(line)
            return
        self.wfile.write("".join(f"{held}\r\n" for held in self.held).encode() + f"{line}\r\n".encode())
        self.held = []
        self.wfile.flush()

    def handle(self):
        try:
            self._session()
        except (ConnectionResetError, BrokenPipeError):
            # The client died mid-session (the campaign bench kills workers on purpose):
            # like "went away" below, the unfinished message is dropped.
            return

    def _session(self):
        server = self.server
        self.held = []
        self.reply("220 fake-smtp ESMTP ready")
        recipients, sender = [], None
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode(errors="replace").strip()
            verb = command[:4].upper()
            if server.keep_messages:
                server.commands.append(command)
            if verb in ("EHLO", "HELO"):
                extensions = ["8BITMIME", "SIZE 10240000"] + (["PIPELINING"] if server.pipelining else [])
                lines = ["fake-smtp", *extensions]
                if verb == "EHLO":
                    self.reply("\r\n".join(f"250-{line}" for line in lines[:-1]) + f"\r\n250 {lines[-1]}")
                else:
                    self.reply("250 fake-smtp")
            elif verb == "MAIL":
                sender, recipients = command[10:].split(" ", 1)[0].strip("<> "), []
                self.reply("250 OK", hold=True)
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>").lower()
                answer = server.answer_for(address)
                if answer.startswith("250"):
                    recipients.append(address)
                self.reply(answer, hold=True)
            elif verb == "DATA":
                if not recipients:
                    self.reply("503 no valid recipients")
                    continue
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        # The client went away before the final dot: like a real server,
                        # the unfinished message is dropped, not delivered.
                        return
                    if line in (b".\r\n", b".\n"):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                server.record(sender, recipients, b"".join(lines))
                self.reply("250 OK queued")
            elif verb == "RSET":
                recipients, sender = [], None
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 command not implemented")


class FakeSMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *, rules=None, fail_first=None, keep_messages=True, pipelining=True, hold_replies=False):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.rules = {k.lower(): v for k, v in (rules or {}).items()}
        self.fail_first = {k.lower(): v for k, v in (fail_first or {}).items()}
        self.keep_messages = keep_messages
        # Like most servers, it offers PIPELINING (RFC 2920): commands sent together are
        # read one line at a time and answered in order, which is all the RFC asks.
        self.pipelining = pipelining
        self.hold_replies = hold_replies
        self.commands = []
        self.lock = threading.Lock()
        self.messages = []
        self.count_by_recipient = defaultdict(int)
        self.message_ids_by_recipient = defaultdict(set)
        self.thread = None

    @property
    def port(self) -> int:
        return self.server_address[1]

    def answer_for(self, address: str) -> str:
        with self.lock:
            for key in (address, "*"):
                if self.fail_first.get(key, 0) > 0:
                    self.fail_first[key] -= 1
                    return "451 4.3.0 try again later"
            return self.rules.get(address) or self.rules.get("*") or "250 OK"

    def record(self, sender, recipients, data: bytes):
        message_id = ""
        if self.keep_messages:
            parsed = message_from_bytes(data)
            message_id = parsed.get("Message-ID", "")
        else:
            for line in data.split(b"\n", 60)[:60]:
                if line.lower().startswith(b"message-id:"):
                    message_id = line.split(b":", 1)[1].strip().decode()
                    break
        with self.lock:
            for address in recipients:
                self.count_by_recipient[address] += 1
                self.message_ids_by_recipient[address].add(message_id)
            if self.keep_messages:
                self.messages.append((sender, recipients, parsed))

    def start(self):
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()


def closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_until_terminated(port_file: str, report_file: str) -> None:
    """Run as a separate process (the benchmark's sink): write the port to `port_file`,
    serve until SIGTERM, then write what arrived to `report_file` as JSON."""
    import json
    import signal

    server = FakeSMTPServer(keep_messages=False).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with open(port_file, "w") as handle:
        handle.write(str(server.port))
    stop.wait()
    server.stop()
    with server.lock:
        counts = dict(server.count_by_recipient)
        distinct = {address: len(ids) for address, ids in server.message_ids_by_recipient.items()}
    with open(report_file, "w") as handle:
        json.dump({"counts": counts, "distinct_ids": distinct}, handle)


if __name__ == "__main__":
    import sys

    serve_until_terminated(sys.argv[1], sys.argv[2])
