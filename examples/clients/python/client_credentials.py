#!/usr/bin/env python3
"""UiTiD v2 client credentials with a standard OAuth2 library, against a running uitid-emulator
whose Entry API gateway has an upstream (the example stand-in, ../stand_in/entry_api.py):

  1. discovery: the realm's /.well-known/openid-configuration names the token endpoint and JWKS;
  2. Authlib's OAuth2Session gets a client access token (client_secret_basic);
  3. PyJWT, a library that has nothing to do with the emulator, verifies it against the JWKS;
  4. GET /user with it: 401, the Entry API's text for client tokens (a user is required);
  5. POST /events through the gateway: the stand-in's 201, which knows the client;
  6. a client without `entry` (client_secret_post this time): 403 problem+json;
  7. a wrong secret: Authlib raises invalid_client.

Usage: client_credentials.py [BASE_URL]   (default $UITID_EMULATOR_URL, then http://localhost:8080)
Uses the embedded sample configuration's clients. Exits 0 when every step answers as expected,
1 with a FAIL: line otherwise. Needs `pip install -r requirements.txt` (requests, Authlib, PyJWT).
"""

import os
import sys

import jwt
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.integrations.base_client.errors import OAuthError

ENTRY_CLIENT = ("5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11", "sampleclientsecret")
NO_ENTRY_CLIENT = ("0c9a4c71-3c1e-4c53-8a0e-2b7f5d1e6f42", "samplesecretwithoutentry")
CLIENT_TOKEN_AT_USER = (
    "Client access tokens are not supported on this endpoint because a user is required to "
    "return user info."
)
NOT_FOR_ENTRY = "The given token and its related client are not allowed to access EntryAPI."


def expect(condition, what):
    if not condition:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok   {what}")


def problem(response):
    expect(
        response.headers.get("Content-Type") == "application/problem+json",
        f"{response.request.method} {response.request.path_url}: problem+json",
    )
    return response.json()


def main():
    base = (sys.argv[1] if len(sys.argv) > 1 else os.environ.get("UITID_EMULATOR_URL", "http://localhost:8080")).rstrip("/")
    discovery = requests.get(f"{base}/realms/uitid/.well-known/openid-configuration", timeout=10).json()
    expect("token_endpoint" in discovery and "jwks_uri" in discovery, "discovery names the token endpoint and JWKS")

    client_id, secret = ENTRY_CLIENT
    session = OAuth2Session(client_id, secret, token_endpoint_auth_method="client_secret_basic")
    token = session.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
    expect(token["token_type"] == "Bearer" and token["expires_in"] == 86400, "a Bearer token for 24 hours")
    expect("refresh_token" not in token, "no refresh token for a client")

    access = token["access_token"]
    signing_key = jwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(access)
    claims = jwt.decode(
        access,
        signing_key.key,
        algorithms=["RS256"],
        issuer=discovery["issuer"],
        options={"require": ["exp", "iat", "iss", "sub"]},
    )
    expect(claims["sub"] == f"{client_id}@clients", "PyJWT verifies it: sub is <client_id>@clients")
    expect(claims["gty"] == "client-credentials", "gty is client-credentials")
    expect("entry" in claims["https://publiq.be/publiq-apis"].split(), "publiq-apis lists entry")

    user = session.get(f"{base}/user", timeout=10)
    expect(user.status_code == 401, "GET /user with a client token: 401")
    expect(problem(user)["detail"] == CLIENT_TOKEN_AT_USER, "with the Entry API's text")

    created = session.post(f"{base}/events", json={"name": {"nl": "Voorbeeld"}}, timeout=10)
    expect(created.status_code == 201, f"POST /events through the gateway: 201 (got {created.status_code})")
    expect(created.headers.get("X-Stand-In-Caller") == client_id, "the stand-in knows the client")
    expect("id" in created.json(), "and answers the new event's id")

    other_id, other_secret = NO_ENTRY_CLIENT
    other = OAuth2Session(other_id, other_secret, token_endpoint_auth_method="client_secret_post")
    other.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
    refused = other.post(f"{base}/events", json={}, timeout=10)
    expect(refused.status_code == 403, "a client without entry: 403")
    expect(problem(refused)["detail"] == NOT_FOR_ENTRY, "with the Entry API's text")

    wrong = OAuth2Session(client_id, "wrongsecret", token_endpoint_auth_method="client_secret_basic")
    try:
        wrong.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
        expect(False, "a wrong secret is refused")
    except OAuthError as error:
        expect(error.error == "invalid_client", "a wrong secret: invalid_client")
    print("client credentials: all steps answered as expected")


if __name__ == "__main__":
    main()
