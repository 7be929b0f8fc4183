"""A local OpenID Connect provider, real enough for allauth: discovery document, token
endpoint issuing RS256-signed ID tokens, userinfo and JWKS, served over HTTP on
127.0.0.1 in a thread. It only knows the codes a test registers."""

import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "avecpoleemploi-tests"
CLIENT_SECRET = "client-secret-for-tests"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class FakeProvider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.requests: list[str] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                provider.requests.append(f"GET {self.path}")
                if self.path == "/.well-known/openid-configuration":
                    return self._json(200, provider.discovery())
                if self.path == "/jwks":
                    return self._json(200, provider.jwks())
                if self.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    claims = provider.tokens.get(token)
                    if claims is None:
                        return self._json(401, {"error": "invalid_token"})
                    return self._json(200, claims)
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                provider.requests.append(f"POST {self.path}")
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path != "/token":
                    return self._json(404, {"error": "not_found"})
                client_id, secret = form.get("client_id"), form.get("client_secret")
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                if client_id != CLIENT_ID or secret != CLIENT_SECRET:
                    return self._json(401, {"error": "invalid_client"})
                claims = provider.codes.pop(form.get("code", ""), None)
                if claims is None:
                    return self._json(400, {"error": "invalid_grant"})
                access_token = uuid.uuid4().hex
                provider.tokens[access_token] = claims
                return self._json(
                    200,
                    {
                        "access_token": access_token,
                        "token_type": "Bearer",
                        "expires_in": 3600,
                        "id_token": provider.id_token(claims),
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def discovery(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self):
        numbers = self.key.public_key().public_numbers()
        return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid,
                          "n": _b64(numbers.n), "e": _b64(numbers.e)}]}  # fmt: skip

    def id_token(self, claims):
        now = int(time.time())
        payload = {"iss": self.url, "aud": CLIENT_ID, "iat": now, "exp": now + 300, **claims}
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})

    def issue_code(self, **claims) -> str:
        code = uuid.uuid4().hex
        self.codes[code] = claims
        return code
