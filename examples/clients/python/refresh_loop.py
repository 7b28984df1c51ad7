#!/usr/bin/env python3
"""The whole refresh loop of a UiTdatabank Entry API client, against a running uitid-emulator:

1. headless login through GET /connect (the redirect is read, not followed),
2. an Entry API call (GET /user) with the access token,
3. the token expiring (the emulator's clock is moved 13 hours ahead),
4. the next call answering 401 "Token expired (or not yet usable).",
   the client refreshing through GET /refresh and retrying once, successfully.

Needs `requests` (see requirements.txt).

Usage: python refresh_loop.py [BASE_URL [API_KEY]]
  BASE_URL defaults to $UITID_EMULATOR_URL, then http://localhost:8080
  API_KEY  defaults to $UITID_API_KEY, then sample-key-with-refresh
Exits 0 when the loop works, 1 with a message on the first unexpected answer.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import requests

TIMEOUT = (5, 15)  # connect, read (seconds)
REDIRECTS = {301, 302, 303, 307, 308}
BARE_JWT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


class UnexpectedResponse(Exception):
    """Any answer the client did not expect."""


def json_object(response: requests.Response, what: str) -> dict:
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise UnexpectedResponse(f"{what}: expected a JSON object, got: {response.text!r}")
    return data


class EntryApiClient:
    """What a real Entry API client keeps: the API key, the access token (JWT) and the refresh
    token. call_entry_api() refreshes the access token when the Entry API says it expired, and
    retries the call once."""

    EXPIRED = "Token expired (or not yet usable)."

    def __init__(
        self,
        provider_url: str,
        entry_api_url: str,
        api_key: str,
        log: Callable[[str], None],
    ) -> None:
        self.provider_url = provider_url
        self.entry_api_url = entry_api_url
        self.api_key = api_key
        self.log = log
        self.jwt: str | None = None
        self.refresh_token: str | None = None
        self.refreshes = 0
        self.http = requests.Session()

    def connect(self, destination: str) -> None:
        """Starts the login flow. Against the real provider a person logs in in a browser; the
        emulator in headless mode redirects at once to `destination` with jwt and refresh added."""
        response = self.http.get(
            f"{self.provider_url}/connect",
            params={"apiKey": self.api_key, "destination": destination},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        location = response.headers.get("Location")
        if response.status_code not in REDIRECTS or not location:
            raise UnexpectedResponse(
                "GET /connect: expected a redirect with a Location header, "
                f"got HTTP {response.status_code}: {response.text!r}"
            )
        query = parse_qs(urlsplit(location).query)
        jwt = query.get("jwt", [""])[0]
        refresh = query.get("refresh", [""])[0]
        if not jwt:
            raise UnexpectedResponse(f"GET /connect: no jwt in the redirect to {destination}")
        if not refresh:
            raise UnexpectedResponse(
                "GET /connect: no refresh token in the redirect "
                "(does the API key have the refresh permission?)"
            )
        self.jwt, self.refresh_token = jwt, refresh
        self.log(f"connect: HTTP {response.status_code}, redirect carries jwt and refresh")

    def refresh(self) -> None:
        """GET /refresh: the body is the new access token, bare."""
        if self.refresh_token is None:
            raise UnexpectedResponse("cannot refresh: no refresh token (call connect() first)")
        response = self.http.get(
            f"{self.provider_url}/refresh",
            params={"apiKey": self.api_key, "refresh": self.refresh_token},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if response.status_code != 200:
            raise UnexpectedResponse(
                f"GET /refresh: expected 200, got HTTP {response.status_code}: {response.text!r}"
            )
        if not BARE_JWT.fullmatch(response.text):
            raise UnexpectedResponse(f"GET /refresh: the body is not a bare JWT: {response.text!r}")
        self.jwt = response.text
        self.refreshes += 1
        self.log("refresh: HTTP 200, new access token received")

    def call_entry_api(self, method: str, path: str) -> dict:
        """Calls the Entry API with the current access token. On 401 "Token expired" it
        refreshes the token and retries once; any other failure is raised."""
        response = self._send(method, path)
        if response.status_code == 401 and self._problem_detail(response) == self.EXPIRED:
            self.log(f'{method} {path}: HTTP 401 "{self.EXPIRED}" -> refreshing')
            self.refresh()
            response = self._send(method, path)
            self.log(f"{method} {path} (retry): HTTP {response.status_code}")
        else:
            self.log(f"{method} {path}: HTTP {response.status_code}")
        if response.status_code != 200:
            raise UnexpectedResponse(
                f"{method} {path}: expected 200, got HTTP {response.status_code}: {response.text!r}"
            )
        return json_object(response, f"{method} {path}")

    def _send(self, method: str, path: str) -> requests.Response:
        if self.jwt is None:
            raise UnexpectedResponse("not logged in (call connect() first)")
        return self.http.request(
            method,
            f"{self.entry_api_url}{path}",
            headers={
                "Authorization": f"Bearer {self.jwt}",
                "X-Api-Key": self.api_key,
                "Accept": "application/json",
            },
            allow_redirects=False,
            timeout=TIMEOUT,
        )

    @staticmethod
    def _problem_detail(response: requests.Response) -> str | None:
        """The `detail` of an application/problem+json answer, or None."""
        if not response.headers.get("Content-Type", "").startswith("application/problem+json"):
            return None
        try:
            detail = response.json().get("detail")
        except (ValueError, AttributeError):
            return None
        return detail if isinstance(detail, str) else None


class EmulatorClock:
    """The emulator's control plane (no counterpart upstream): here, only its clock."""

    def __init__(self, base_url: str) -> None:
        self.url = f"{base_url}/_emulator/clock"

    def reset(self) -> dict:
        return self._expect_ok(requests.delete(self.url, timeout=TIMEOUT))

    def advance(self, by: str) -> dict:
        return self._expect_ok(requests.post(self.url, json={"advance": by}, timeout=TIMEOUT))

    @staticmethod
    def _expect_ok(response: requests.Response) -> dict:
        if response.status_code != 200:
            raise UnexpectedResponse(
                "/_emulator/clock: expected 200, "
                f"got HTTP {response.status_code}: {response.text!r}"
            )
        return json_object(response, "/_emulator/clock")


def main(argv: list[str]) -> int:
    args = argv[1:] + [None, None]
    base_url = (args[0] or os.environ.get("UITID_EMULATOR_URL") or "http://localhost:8080").rstrip(
        "/"
    )
    api_key = args[1] or os.environ.get("UITID_API_KEY") or "sample-key-with-refresh"
    step = 0

    def log(message: str) -> None:
        nonlocal step
        step += 1
        print(f"[python] {step}. {message}", flush=True)

    # The emulator plays both the JWT provider and the Entry API; against publiq these are
    # two base URLs (e.g. https://jwt-test.uitdatabank.be and https://io-test.uitdatabank.be).
    client = EntryApiClient(base_url, base_url, api_key, log)
    clock = EmulatorClock(base_url)

    try:
        clock.reset()
        log(f"emulator at {base_url}, clock reset")

        client.connect("http://localhost/callback")

        user = client.call_entry_api("GET", "/user")
        if not isinstance(user.get("uuid"), str) or not isinstance(user.get("nick"), str):
            raise UnexpectedResponse(f"GET /user: no uuid or nick in {user}")
        if client.refreshes != 0:
            raise UnexpectedResponse("a fresh token was refreshed")
        log(f"logged in as {user['nick']} ({user['uuid']})")

        state = clock.advance("13h")
        if state.get("offset") != 13 * 3600:
            raise UnexpectedResponse(
                f"clock: expected offset 46800 after advancing 13h, got {state}"
            )
        log(f"clock advanced 13h (offset {state['offset']} s): the 12 h access token has expired")

        old_jwt = client.jwt
        again = client.call_entry_api("GET", "/user")
        if client.refreshes != 1:
            raise UnexpectedResponse(
                f"expected the expired token to be refreshed once, got {client.refreshes} refreshes"
            )
        if client.jwt == old_jwt:
            raise UnexpectedResponse("the refreshed access token equals the expired one")
        if again.get("uuid") != user["uuid"]:
            raise UnexpectedResponse(f"GET /user after refresh: another user: {again}")
        log(f"same user after refresh ({again['nick']}); the loop works")
    except UnexpectedResponse as error:
        print(f"[python] FAIL: {error}", file=sys.stderr)
        return 1
    except requests.RequestException as error:
        print(f"[python] FAIL: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print("[python] OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
