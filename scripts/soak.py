#!/usr/bin/env python3
"""Mixed traffic against a running emulator for a while, then its figures (docs/reliability.md#soak).

Workers log in through the form, refresh, call /user, use the control plane and send bad
input, while the emulator clock jumps six hours every ten seconds so tokens, flows and sessions
expire and get purged. Every answer must be one the route documents; memory must stay flat
after warm-up without any /metrics scrape; the database must stop growing.

    soak.py BASE_URL PID DATABASE SECONDS [WORKERS]
"""
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse

from soak_checks import Figures, database_bytes, integrity_ok, rss_kib

KEY = "sample-key-with-refresh"
USER, PASSWORD = "stiksels", "stiksels"
DESTINATION = "http://localhost/cb"
# Every 10 s the emulator clock jumps this far: past the 2 h refresh-token lifetime the soak
# configures and, within two jumps, past the 10 h SSO sessions, so the database reaches its
# steady size (expired rows purged as fast as new ones come) within about half a minute.
JUMP = "6h"
stop = threading.Event()


class Client:
    """One keep-alive connection, with the two cookies a browser would keep."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=15)
        self.cookies = {}

    def send(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key] = val
        return response.status, dict((k.lower(), v) for k, v in response.getheaders()), data


def log_in(client):
    """The form login; returns (jwt, refresh) or None, and what was answered."""
    client.cookies.clear()
    query = urllib.parse.urlencode({"apiKey": KEY, "destination": DESTINATION})
    status, headers, _ = client.send("GET", f"/connect?{query}")
    if status != 302:
        return None, [("connect", status)]
    status, _, page = client.send("GET", headers["location"])
    if status != 200:  # 400 when a clock jump expired the flow in between
        return None, [("connect", 302), ("login form", status)]
    fields = dict(re.findall(rb'name="(flow|csrf)" value="([^"]*)"', page))
    form = urllib.parse.urlencode({"flow": fields[b"flow"].decode(), "csrf": fields[b"csrf"].decode(),
                                   "username": USER, "password": PASSWORD, "action": "login"})
    status, headers, _ = client.send("POST", "/login", form,
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 303:
        return None, [("connect", 302), ("login form", 200), ("login", status)]
    params = urllib.parse.parse_qs(urllib.parse.urlparse(headers["location"]).query)
    return (params["jwt"][0], params["refresh"][0]), [("connect", 302), ("login form", 200), ("login", 303)]


# What each kind of request may answer: anything else is a failure.
EXPECTED = {
    # 400: the login's flow expired in a clock jump between two of its requests.
    "connect": {302}, "login form": {200, 400}, "login": {303, 400},
    "refresh": {200, 400, 429},       # 400: expired in a clock jump; 429: too many of those
    "user": {200, 401},               # 401: expired after a clock jump
    "control": {200},
    "bad refresh": {400, 429},        # 429: guessing is rate limited
    "duplicate parameter": {400}, "unknown path": {404}, "no token": {401}, "bad json": {400},
}


def worker(base, figures, seed):
    url = urllib.parse.urlparse(base)
    client, tokens, step = Client(url.hostname, url.port), [], seed
    while not stop.is_set():
        step += 1
        try:
            if not tokens or step % 10 == 0:
                pair, answers = log_in(client)
                for kind, status in answers:
                    figures.count(kind, status in EXPECTED[kind], status)
                if pair:
                    tokens = (tokens + [pair])[-20:]
                continue
            jwt, refresh = tokens[step % len(tokens)]
            kind, (method, path, body, headers) = pick(step, jwt, refresh)
            status, _, _ = client.send(method, path, body, headers)
            figures.count(kind, status in EXPECTED[kind], status)
        except (http.client.HTTPException, OSError) as error:
            figures.count("connection", False, repr(error))
            client = Client(url.hostname, url.port)


def pick(step, jwt, refresh):
    q = urllib.parse.urlencode
    choices = [
        ("refresh", ("GET", "/refresh?" + q({"apiKey": KEY, "refresh": refresh}), None, {})),
        ("user", ("GET", "/user", None, {"Authorization": f"Bearer {jwt}", "X-Api-Key": KEY})),
        ("refresh", ("GET", "/refresh?" + q({"apiKey": KEY, "refresh": refresh}), None, {})),
        ("user", ("GET", "/user", None, {"Authorization": f"Bearer {jwt}", "X-Api-Key": KEY})),
        ("control", ("GET", "/_emulator/journal?limit=5", None, {})),
        ("control", ("POST", "/_emulator/tokens", json.dumps({"user": USER}), {})),
        ("bad refresh", ("GET", "/refresh?" + q({"apiKey": KEY, "refresh": "guess"}), None, {})),
        ("duplicate parameter", ("GET", f"/refresh?apiKey={KEY}&apiKey={KEY}", None, {})),
        ("unknown path", ("GET", "/nowhere", None, {})),
        ("no token", ("GET", "/user", None, {"X-Api-Key": KEY})),
        ("bad json", ("POST", "/_emulator/clock", "{not json", {})),
    ]
    return choices[step % len(choices)]


def clock_jumps(base, figures):
    url = urllib.parse.urlparse(base)
    while not stop.wait(10):
        try:
            # A fresh connection each time: a kept one may have been closed as idle.
            client = Client(url.hostname, url.port)
            status, _, _ = client.send("POST", "/_emulator/clock", json.dumps({"advance": JUMP}))
            figures.count("control", status == 200, status)
        except (http.client.HTTPException, OSError) as error:
            figures.count("connection", False, repr(error))


def main():
    base, pid, database, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    workers = int(sys.argv[5]) if len(sys.argv) > 5 else 4
    figures = Figures()
    threads = [threading.Thread(target=worker, args=(base, figures, i * 7)) for i in range(workers)]
    threads.append(threading.Thread(target=clock_jumps, args=(base, figures)))
    for thread in threads:
        thread.start()
    # The first third: the database and SQLite's page caches fill up to their steady size.
    warm_up = seconds / 3
    started = time.monotonic()
    samples = []
    while time.monotonic() - started < seconds:
        time.sleep(1)
        samples.append((time.monotonic() - started, rss_kib(pid), database_bytes(database)))
    stop.set()
    for thread in threads:
        thread.join()
    return figures.report(samples, warm_up, seconds)


if __name__ == "__main__":
    sys.exit(main())
