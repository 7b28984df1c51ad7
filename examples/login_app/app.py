#!/usr/bin/env python3
"""A small web app that logs its visitors in with UiTiD v2 (docs/protocol.md#oauth2-realm):
the authorization-code flow with PKCE, state and nonce, against the realm's discovery document.

  /          who is logged in, the refresh token's first characters, links
  /login     a new PKCE verifier, state and nonce, kept server-side; 302 to the authorization endpoint
  /callback  checks iss and state, exchanges the code, verifies the id_token, calls userinfo
  /refresh   rotates the refresh token (the old one is dead from now on)
  /logout    RP-initiated logout with id_token_hint; UiTiD sends the browser back to /

Usage: python app.py [EMULATOR_URL [PORT]]   (default http://localhost:8080 and 3000)
Uses the sample client of the emulator's embedded configuration; its redirect URI
http://localhost:3000/callback is registered, and other loopback ports are accepted too.
Needs requests, Authlib and PyJWT (examples/clients/python/requirements.txt).
"""

import html
import secrets
import sys
import threading
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken

CLIENT_ID, CLIENT_SECRET = "5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11", "sampleclientsecret"
COOKIE = "login_app_session"


class Failure(Exception):
    """Shown to the visitor as a 400 page."""


class LoginApp:
    """The realm's endpoints (from discovery) and one record per visitor, keyed by a cookie."""

    def __init__(self, emulator_url, app_url):
        well_known = f"{emulator_url.rstrip('/')}/realms/uitid/.well-known/openid-configuration"
        self.realm = requests.get(well_known, timeout=10).json()
        self.jwks = jwt.PyJWKClient(self.realm["jwks_uri"])
        self.app_url = app_url
        self.visitors, self.lock = {}, threading.Lock()

    def visitor(self, cookie):
        with self.lock:
            return self.visitors.setdefault(cookie, {"pending": {}})

    def oauth(self):
        return OAuth2Session(
            CLIENT_ID, CLIENT_SECRET, scope="openid profile email",
            redirect_uri=f"{self.app_url}/callback", code_challenge_method="S256", default_timeout=10,
        )

    def login(self, visitor):
        verifier, nonce = generate_token(64), generate_token(24)
        url, state = self.oauth().create_authorization_url(
            self.realm["authorization_endpoint"], code_verifier=verifier, nonce=nonce
        )
        visitor["pending"][state] = (verifier, nonce)
        return url

    def callback(self, visitor, query):
        if query.get("iss") != self.realm["issuer"]:
            raise Failure("The authorization response's iss is not our issuer (RFC 9207).")
        pending = visitor["pending"].pop(query.get("state", ""), None)
        if pending is None:
            raise Failure("Unknown state: this login was not started here, or was used already.")
        if "code" not in query:
            raise Failure(f"UiTiD answered {query.get('error')}: {query.get('error_description', '')}")
        verifier, nonce = pending
        oauth = self.oauth()
        tokens = oauth.fetch_token(self.realm["token_endpoint"], code=query["code"], code_verifier=verifier)
        claims = self.verified_id_token(tokens, nonce)
        profile = oauth.get(self.realm["userinfo_endpoint"]).json()
        visitor.update(tokens=dict(tokens), user=profile.get("preferred_username"), sub=claims["sub"])

    def verified_id_token(self, tokens, nonce):
        id_token = tokens["id_token"]
        claims = jwt.decode(
            id_token, self.jwks.get_signing_key_from_jwt(id_token).key, algorithms=["RS256"],
            audience=CLIENT_ID, issuer=self.realm["issuer"],
        )
        params = {"nonce": nonce, "client_id": CLIENT_ID, "access_token": tokens["access_token"]}
        CodeIDToken(claims, jwt.get_unverified_header(id_token), None, params).validate()
        return claims

    def refresh(self, visitor):
        old = visitor["tokens"]["refresh_token"]
        try:
            visitor["tokens"] = dict(self.oauth().refresh_token(self.realm["token_endpoint"], refresh_token=old))
        except OAuthError as error:
            visitor.pop("tokens")
            raise Failure(f"The refresh failed ({error.error}: {error.description}); log in again.") from error
        return old

    def logout(self, visitor):
        state = visitor["logout_state"] = secrets.token_urlsafe(16)
        hint = visitor.pop("tokens")["id_token"]
        query = {"id_token_hint": hint, "post_logout_redirect_uri": f"{self.app_url}/", "state": state}
        return f"{self.realm['end_session_endpoint']}?{urlencode(query)}"


def page(title, *lines):
    body = "".join(f"<p>{line}</p>" for line in lines)
    return f"<!DOCTYPE html><title>{title}</title><h1>{title}</h1>{body}"


def home(visitor, query):
    said = []
    if query.get("state") and query.get("state") == visitor.pop("logout_state", None):
        said.append('<span id="message">You are logged out of UiTiD.</span>')
    if "tokens" not in visitor:
        return page("Login app", *said, "Not logged in.", '<a href="/login">Log in with UiTiD</a>')
    return page(
        "Login app", *said,
        f'Logged in as <b id="user">{html.escape(visitor["user"])}</b> (sub {visitor["sub"]}).',
        f'Refresh token: <code id="refresh">{visitor["tokens"]["refresh_token"][:8]}</code>...',
        '<a href="/refresh">Refresh the tokens</a> | <a href="/logout">Log out</a>',
    )


class Handler(BaseHTTPRequestHandler):
    app = None  # set by serve()

    def do_GET(self):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        sent = SimpleCookie(self.headers.get("Cookie", "")).get(COOKIE)
        cookie = sent.value if sent and sent.value in self.app.visitors else secrets.token_urlsafe(24)
        visitor, app = self.app.visitor(cookie), self.app
        try:
            if url.path == "/login":
                return self.answer(302, cookie, location=app.login(visitor))
            if url.path == "/callback":
                app.callback(visitor, query)
                return self.answer(302, cookie, location="/")
            if url.path == "/refresh" and "tokens" in visitor:
                old = app.refresh(visitor)
                new = visitor["tokens"]["refresh_token"]
                return self.answer(200, cookie, page(
                    "Refreshed", f'Old refresh token <code id="old">{old[:8]}</code>... is now dead;',
                    f'the new one is <code id="refresh">{new[:8]}</code>...', '<a href="/">Back</a>'))
            if url.path == "/logout" and "tokens" in visitor:
                return self.answer(302, cookie, location=app.logout(visitor))
            if url.path in ("/", "/refresh", "/logout"):
                return self.answer(200, cookie, home(visitor, query))
            return self.answer(404, cookie, page("Not found"))
        except Exception as error:  # a refusal (ours or UiTiD's), shown instead of a dropped connection
            return self.answer(400, cookie, page("Error", html.escape(str(error)), '<a href="/">Back</a>'))

    def answer(self, status, cookie, body="", location=None):
        self.send_response(status)
        self.send_header("Set-Cookie", f"{COOKIE}={cookie}; HttpOnly; SameSite=Lax; Path=/")
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body.encode())


def serve(emulator_url, port):
    """The app's server on 127.0.0.1:port (0: a free one), not started yet."""
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    Handler.app = LoginApp(emulator_url, f"http://localhost:{server.server_address[1]}")
    return server


if __name__ == "__main__":
    emulator_url = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080"
    server = serve(emulator_url, int(sys.argv[2]) if len(sys.argv) > 2 else 3000)
    print(f"login app at {Handler.app.app_url}/ (Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
