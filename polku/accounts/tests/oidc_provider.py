"""A tiny real OpenID Connect provider on 127.0.0.1 for the single sign-on tests.

It serves the token, JWKS and userinfo endpoints over HTTP in a thread; the test plays
the browser at the authorization endpoint by calling ``approve``.
"""

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "polku-test"
CLIENT_SECRET = "polku-test-secret"
KEY_ID = "test-key"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class FakeProvider:
    """What the provider will answer; tests change the fields to make it misbehave."""

    key: rsa.RSAPrivateKey = field(default_factory=new_key)
    signing_key: rsa.RSAPrivateKey | None = None  # another key: a forged signature
    issuer: str = ""
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    access_tokens: dict[str, str] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def approve(self, *, subject: str, nonce: str, **claims: Any) -> str:
        """The user signed in at the provider: an authorization code for these claims."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"sub": subject, "nonce": nonce, **claims}
        return code

    def id_token(self, claims: dict[str, Any]) -> str:
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300, **claims}
        key = self.signing_key or self.key
        return jwt.encode(payload, key, algorithm="RS256", headers={"kid": KEY_ID})

    def jwks(self) -> dict[str, Any]:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}


def _handler(provider: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

        def _json(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            provider.token_requests.append(form)
            claims = provider.codes.pop(form.get("code", ""), None)
            if (
                self.path != "/token"
                or claims is None
                or form.get("client_secret") != CLIENT_SECRET
            ):
                self._json(400, {"error": "invalid_grant"})
                return
            access_token = secrets.token_urlsafe(16)
            provider.access_tokens[access_token] = claims["sub"]
            self._json(
                200,
                {
                    "access_token": access_token,
                    "token_type": "Bearer",
                    "id_token": provider.id_token(claims),
                },
            )

        def do_GET(self) -> None:
            if self.path == "/jwks":
                self._json(200, provider.jwks())
                return
            bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if self.path == "/userinfo" and bearer in provider.access_tokens:
                self._json(200, {"sub": provider.access_tokens[bearer]})
                return
            self._json(404, {"error": "not_found"})

    return Handler


class RunningProvider:
    """The provider served on a free port of 127.0.0.1 until ``stop``."""

    def __init__(self) -> None:
        self.provider = FakeProvider()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.provider))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.provider.issuer = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def settings(self) -> dict[str, Any]:
        return {
            "OIDC_ENABLED": True,
            "OIDC_ISSUER": self.url,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_RP_SIGN_ALGO": "RS256",
        }
