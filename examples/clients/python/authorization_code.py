#!/usr/bin/env python3
"""UiTiD v2 user login as a standard OpenID Connect relying party (Authlib, requests, PyJWT),
configured from the realm's discovery document only (docs/protocol.md#oauth2-realm):

  1. authorization request with PKCE (S256), state and nonce; this script plays the browser:
     it follows the redirect to the login form, posts it, and reads the code from the redirect
     to the callback without following it; the response's `iss` (RFC 9207) and state are checked;
  2. the code for tokens (with the code verifier); the id_token verified against the JWKS
     (PyJWT: signature, iss, aud, exp; Authlib's CodeIDToken: nonce, azp, at_hash); userinfo;
  3. refresh-token rotation: a new refresh token each time, the old one refused, and reusing it
     ends the chain, so the new one is refused too;
  4. a second login skips the form (SSO); RP-initiated logout with id_token_hint comes back to
     the registered post-logout URI with the state, and that login's refresh token is dead.

Usage: authorization_code.py [BASE_URL]   (default $UITID_EMULATOR_URL, then http://localhost:8080)
Needs an emulator in form login mode (the default) with the embedded sample configuration.
Exits 0 when every step answers as expected, 1 with a FAIL: line otherwise.
"""

import os
import sys
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import jwt
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken

CLIENT_ID, CLIENT_SECRET = "5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11", "sampleclientsecret"
REDIRECT_URI, POST_LOGOUT_URI = "http://localhost:3000/callback", "http://localhost:3000/"
USER = ("stiksels", "stiksels")
TIMEOUT = 10


def expect(condition, what):
    if not condition:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok   {what}")


class LoginForm(HTMLParser):
    """The first form of a page: its action and hidden fields (here `flow` and `csrf`)."""

    def __init__(self, html):
        super().__init__()
        self.action, self.fields = None, {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action") or ""
        elif tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value") or ""


def log_in(browser, rp, discovery):
    """One authorization request; returns (tokens, nonce, whether the form was shown)."""
    verifier, nonce = generate_token(64), generate_token(24)
    url, state = rp.create_authorization_url(
        discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    answer = browser.get(url, allow_redirects=False, timeout=TIMEOUT)
    expect(answer.status_code == 302, f"the authorization endpoint redirects ({answer.status_code})")
    location = urljoin(url, answer.headers["Location"])
    form_shown = not location.startswith(REDIRECT_URI + "?")
    if form_shown:
        page = browser.get(location, timeout=TIMEOUT)
        form = LoginForm(page.text)
        expect({"flow", "csrf"} <= form.fields.keys(), "the login form has its hidden flow and csrf")
        fields = {**form.fields, "username": USER[0], "password": USER[1], "action": "login"}
        answer = browser.post(urljoin(page.url, form.action), data=fields, allow_redirects=False, timeout=TIMEOUT)
        expect(answer.status_code == 303, f"the form answers 303 ({answer.status_code})")
        location = urljoin(page.url, answer.headers["Location"])
    expect(location.startswith(REDIRECT_URI + "?"), f"back at the redirect URI: {location[:60]}...")
    response = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    expect(response.get("iss") == discovery["issuer"], "the response's iss is the issuer (RFC 9207)")
    expect(response.get("state") == state and "code" in response, "with our state and a code")
    tokens = rp.fetch_token(
        discovery["token_endpoint"], authorization_response=location, state=state, code_verifier=verifier
    )
    expect({"access_token", "refresh_token", "id_token"} <= tokens.keys(), "the code gives access, refresh and id tokens")
    return tokens, nonce, form_shown


def verified_id_token(tokens, nonce, discovery):
    id_token = tokens["id_token"]
    key = jwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(id_token)
    claims = jwt.decode(
        id_token, key.key, algorithms=discovery["id_token_signing_alg_values_supported"],
        audience=CLIENT_ID, issuer=discovery["issuer"], options={"require": ["exp", "iat", "sub"]},
    )
    oidc = CodeIDToken(
        claims, jwt.get_unverified_header(id_token),
        {"iss": {"essential": True, "value": discovery["issuer"]}},
        {"nonce": nonce, "client_id": CLIENT_ID, "access_token": tokens["access_token"]},
    )
    oidc.validate()
    expect("at_hash" in claims, "the id_token verifies: signature, iss, aud, exp, nonce, azp, at_hash")
    return claims


def refused(rp, discovery, refresh_token, what):
    try:
        rp.refresh_token(discovery["token_endpoint"], refresh_token=refresh_token)
    except OAuthError as error:
        expect(error.error == "invalid_grant", f"{what}: invalid_grant ({error.description})")
        return
    expect(False, f"{what}: refused")


def main():
    base = (sys.argv[1] if len(sys.argv) > 1 else os.environ.get("UITID_EMULATOR_URL", "http://localhost:8080")).rstrip("/")
    discovery = requests.get(f"{base}/realms/uitid/.well-known/openid-configuration", timeout=TIMEOUT).json()
    expect("S256" in discovery["code_challenge_methods_supported"], "discovery offers PKCE S256")
    browser = requests.Session()  # the user agent: cookies of the login form and SSO session
    rp = OAuth2Session(
        CLIENT_ID, CLIENT_SECRET, scope="openid profile email", redirect_uri=REDIRECT_URI,
        code_challenge_method="S256", default_timeout=TIMEOUT,
    )

    tokens, nonce, form_shown = log_in(browser, rp, discovery)
    expect(form_shown, "the first login showed the form")
    claims = verified_id_token(tokens, nonce, discovery)
    info = rp.get(discovery["userinfo_endpoint"]).json()
    same = info["sub"] == claims["sub"] and info["preferred_username"] == claims["preferred_username"]
    expect(same, f"userinfo names the id_token's user ({info['preferred_username']})")

    first = tokens["refresh_token"]
    second = rp.refresh_token(discovery["token_endpoint"], refresh_token=first)["refresh_token"]
    expect(second != first, "a refresh rotates the refresh token")
    refused(rp, discovery, first, "the rotated-out refresh token")
    refused(rp, discovery, second, "after that reuse, the chain's newest refresh token")

    tokens, nonce, form_shown = log_in(browser, rp, discovery)
    expect(not form_shown, "the second login skips the form (SSO)")
    verified_id_token(tokens, nonce, discovery)
    state = generate_token(16)
    answer = browser.get(discovery["end_session_endpoint"], allow_redirects=False, timeout=TIMEOUT, params={
        "id_token_hint": tokens["id_token"], "post_logout_redirect_uri": POST_LOGOUT_URI, "state": state,
    })
    expect(answer.status_code == 302, f"logout redirects ({answer.status_code})")
    expect(answer.headers["Location"] == f"{POST_LOGOUT_URI}?state={state}", "to the post-logout URI with our state")
    refused(rp, discovery, tokens["refresh_token"], "the logged-out session's refresh token")
    tokens, nonce, form_shown = log_in(browser, rp, discovery)
    expect(form_shown, "after logout, the next login shows the form again")
    print("authorization code: all steps answered as expected")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # an unexpected answer the library refused: one FAIL line
        print(f"FAIL: {type(error).__name__}: {error}")
        sys.exit(1)
