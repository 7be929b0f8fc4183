"""A local HTTP server that replays recorded API responses, in order, and keeps the
requests it received, so collectors are tested through real HTTP on 127.0.0.1."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"


def recorded(name: str, **replacements) -> dict:
    """A recorded response: {"status", "headers", "body"}; "{base}" etc. are filled in."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for key, value in replacements.items():
        text = text.replace("{" + key + "}", str(value))
    return json.loads(text)


@dataclass
class Received:
    method: str
    path: str
    query: dict
    headers: dict


@dataclass
class FakeServer:
    responses: list = field(default_factory=list)
    received: list = field(default_factory=list)
    base: str = ""

    def queue(self, *responses):
        self.responses.extend(responses)


def start() -> tuple[FakeServer, ThreadingHTTPServer]:
    state = FakeServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            parts = urlsplit(self.path)
            state.received.append(
                Received("GET", parts.path, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()})
            )
            if not state.responses:
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b'{"detail": "no recorded response left"}')
                return
            response = state.responses.pop(0)
            # "text": a body that is not JSON (a proxy's or a maintenance page's HTML).
            if "text" in response:
                body, content_type = response["text"].encode(), "text/html; charset=utf-8"
            else:
                body, content_type = json.dumps(response.get("body")).encode(), "application/json; charset=utf-8"
            self.send_response(response.get("status", 200))
            self.send_header("Content-Type", content_type)
            for name, value in response.get("headers", {}).items():
                self.send_header(name, str(value))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server
