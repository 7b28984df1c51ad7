#!/usr/bin/env python3
"""Runs the login app (app.py) on a free port and drives it the way a visitor's browser does,
against a running uitid-emulator with the login form (the default mode): Cancel on the form,
log in through it, see the user, rotate the refresh token, log out and find the form again; then
log in once more, revoke the chain through the control plane, and see /refresh fail.

Usage: check_app.py [EMULATOR_URL]   (default $UITID_EMULATOR_URL, then http://localhost:8080)
examples/clients/run.sh runs it in CI. Exits 0 when every step works, 1 with a FAIL: line.
"""

import os
import re
import sys
import threading
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

import app as login_app

USER = ("stiksels", "stiksels")


def expect(condition, what):
    if not condition:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok   {what}")


def element(page, name):
    """The text of the element with id `name` on one of the app's pages, or None."""
    found = re.search(rf'id="{name}">([^<]*)<', page.text)
    return found and found.group(1)


class Form(HTMLParser):
    """The first form of a page: its action and hidden fields (the emulator's `flow` and `csrf`)."""

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


def submit(browser, form_page, action):
    form = Form(form_page.text)
    fields = {**form.fields, "username": USER[0], "password": USER[1], "action": action}
    return browser.post(urljoin(form_page.url, form.action), data=fields)


def drive(browser, app_url, emulator, emulator_form):
    start = browser.get(f"{app_url}/")
    expect("Not logged in." in start.text, "the app starts logged out")
    form_page = browser.get(f"{app_url}/login")
    expect(form_page.url.startswith(emulator_form), "Log in leads to the emulator's login form")
    cancelled = submit(browser, form_page, "cancel")
    expect(cancelled.status_code == 400 and "access_denied" in cancelled.text, "Cancel: the app says access_denied")
    home = submit(browser, browser.get(f"{app_url}/login"), "login")
    expect(home.url == f"{app_url}/" and element(home, "user"), f"back in the app, logged in as {element(home, 'user')}")
    before = element(home, "refresh")

    refreshed = browser.get(f"{app_url}/refresh")
    expect(element(refreshed, "old") == before, f"/refresh retired refresh token {before}...")
    after = element(refreshed, "refresh")
    expect(after and after != before, f"and shows the new one, {after}...")
    expect(element(browser.get(f"{app_url}/"), "refresh") == after, "the app now holds the new one")

    out = browser.get(f"{app_url}/logout")
    expect(out.url.startswith(f"{app_url}/?state=") and element(out, "message"), "logout comes back with our state")
    again = browser.get(f"{app_url}/login")
    expect(again.url.startswith(emulator_form), "after logout, logging in shows the form again")

    expect(element(submit(browser, again, "login"), "user"), "logged in again")
    revoked = requests.delete(f"{emulator}/_emulator/refresh-tokens", params={"client": login_app.CLIENT_ID}, timeout=10)
    expect(revoked.json().get("revoked", 0) >= 1, "the control plane revokes the client's live refresh-token chains")
    dead = browser.get(f"{app_url}/refresh")
    expect(dead.status_code == 400 and "invalid_grant" in dead.text, "then /refresh tells the visitor invalid_grant")


def main():
    emulator = (sys.argv[1] if len(sys.argv) > 1 else os.environ.get("UITID_EMULATOR_URL", "http://localhost:8080")).rstrip("/")
    server = login_app.serve(emulator, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app_url = login_app.Handler.app.app_url
    print(f"login app at {app_url}/")
    # The login form lives at the authorization endpoint's host, as discovery names it.
    realm = login_app.Handler.app.realm["authorization_endpoint"]
    try:
        drive(requests.Session(), app_url, emulator, urljoin(realm, "/login?flow="))
    finally:
        server.shutdown()
    print("login app: all steps worked")


if __name__ == "__main__":
    main()
