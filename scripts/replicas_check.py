"""The seed's flow through nginx in front of three replicas (scripts/replicas-check.sh runs it;
docs/replicas.md). Python 3.11 standard library only.

  replicas_check.py flow|failover BASE ADMIN_TOKEN ACCESS_LOG [--replica NAME ADDRESS LOG]...

`flow`: /connect, the login form, the redirect with jwt and refresh, /refresh, /user, and a
revocation, all through nginx; nginx's retry rules (an idempotent request that a replica reset
goes to another; a POST does not); every replica must have served some of it.
`failover` (after the caller stopped the last replica): POSTs the stopped replica refused are
passed to the others, and the flow still works without it.

Each request carries an X-Request-Id; the replicas log it with each answer (log.format json)
and nginx's access log names the replicas it tried, so both tell which replica served what.
Exits 1 at the first unexpected answer.
"""
import argparse
import http.client
import json
import re
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie

API_KEY = "sample-key-with-refresh"  # config/default.toml: permissions refresh and entry_api
USER = PASSWORD = "stiksels"
DESTINATION = "http://localhost:3000/callback"  # loopback: allowed for any key
INVALID_GRANT = "invalid_grant: Unknown or invalid refresh token."
# Faults reach other processes through the shared-state poll, within a second
# (docs/protocol.md#faults); wait a little longer before relying on it.
FAULT_SPREAD = 1.5
LOG_WAIT = 30  # tenths of a second


class Failed(Exception):
    pass


class Check:
    def __init__(self, args):
        self.base = urllib.parse.urlsplit(args.base)
        self.admin = {"Authorization": f"Bearer {args.admin_token}"}
        self.access_log = args.access_log
        self.replicas = {address: (name, log) for name, address, log in args.replica}
        self.mode = args.mode
        self.sent = []  # (request id, label, status)

    # --- HTTP through nginx ------------------------------------------------------------------

    def request(self, label, method, path, expect, headers=None, body=None, cookies=None):
        request_id = f"{self.mode}-{len(self.sent) + 1:02d}"
        headers = {"X-Request-Id": request_id, **(headers or {})}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        connection = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        if cookies is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    cookies[name] = morsel.value
        self.sent.append((request_id, label, response.status))
        if response.status != expect:
            raise Failed(f"{label}: {method} {path.split('?')[0]} answered {response.status}, "
                         f"expected {expect}: {text[:200]!r}")
        print(f"  ok  {request_id}  {label}: {response.status}")
        return response, text

    def login_form(self, cookies):
        """/connect, then the login form: returns the form's fields."""
        query = urllib.parse.urlencode({"apiKey": API_KEY, "destination": DESTINATION})
        response, _ = self.request("/connect (a new browser)", "GET", f"/connect?{query}", 302,
                                   cookies=cookies)
        location = response.headers["Location"]
        if not location.startswith("/login?flow="):
            raise Failed(f"/connect redirected to {location!r}, not to /login?flow=...")
        _, page = self.request("login form", "GET", location, 200, cookies=cookies)
        fields = dict(re.findall(r'<input type="hidden" name="(flow|csrf)" value="([^"]*)"', page))
        if set(fields) != {"flow", "csrf"}:
            raise Failed("the login form has no hidden flow and csrf fields")
        return {**fields, "username": USER, "password": PASSWORD, "action": "login"}

    def post_login(self, label, form, cookies, expect):
        body = urllib.parse.urlencode(form).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(label, "POST", "/login", expect, headers, body, cookies)

    def login(self):
        """A full form login in a new browser: returns (jwt, refresh)."""
        cookies = {}
        form = self.login_form(cookies)
        response, _ = self.post_login("POST /login (stiksels)", form, cookies, 303)
        location = response.headers["Location"]
        if not location.startswith(DESTINATION + "?"):
            raise Failed(f"the login redirected to {location.split('?')[0]!r}, not {DESTINATION}")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
        if "jwt" not in query or "refresh" not in query:
            raise Failed("the redirect after the login carries no jwt and refresh")
        return query["jwt"][0], query["refresh"][0]

    def refresh(self, token, expect=200):
        query = urllib.parse.urlencode({"apiKey": API_KEY, "refresh": token})
        _, text = self.request("/refresh", "GET", f"/refresh?{query}", expect)
        if expect == 200 and text.count(".") != 2:
            raise Failed(f"/refresh answered {text[:60]!r}, not a bare JWT")
        if expect == 400 and text != INVALID_GRANT:
            raise Failed(f"/refresh refused with {text!r}, not {INVALID_GRANT!r}")
        return text

    def user(self, jwt):
        headers = {"Authorization": f"Bearer {jwt}", "X-Api-Key": API_KEY}
        _, text = self.request("/user", "GET", "/user", 200, headers)
        if json.loads(text).get("nick") != USER:
            raise Failed(f"/user answered {text!r}")

    def control(self, label, method, path, expect, body=None):
        _, text = self.request(label, method, path, expect, self.admin, body)
        return json.loads(text) if text else None

    # --- who served what ----------------------------------------------------------------------

    def served_by(self):
        """Request id -> replica names, from the replicas' own logs, once every request sent is
        in them (a log line may be written just after its answer)."""
        for _ in range(LOG_WAIT):
            served = self.read_replica_logs()
            if all(request_id in served for request_id, _, _ in self.sent):
                return served
            time.sleep(0.1)
        missing = [request_id for request_id, _, _ in self.sent if request_id not in served]
        raise Failed(f"no replica logged {', '.join(missing)}")

    def read_replica_logs(self):
        served = {}
        for name, log in self.replicas.values():
            with open(log, encoding="utf-8", errors="replace") as lines:
                for line in lines:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue
                    request_id = entry.get("span", {}).get("request_id")
                    if entry.get("fields", {}).get("message") == "answered" and request_id:
                        served.setdefault(request_id, []).append(name)
        return served

    def attempts(self, request_id):
        """nginx's attempts for one request: [(replica name, upstream status)]."""
        for _ in range(LOG_WAIT):
            with open(self.access_log, encoding="utf-8") as lines:
                for line in lines:
                    entry = json.loads(line)
                    if entry["request_id"] == request_id:
                        addresses = entry["upstream"].split(", ")
                        statuses = entry["upstream_status"].split(", ")
                        return [(self.replicas.get(a, (a,))[0], s)
                                for a, s in zip(addresses, statuses)]
            time.sleep(0.1)  # nginx logs a request once its answer is sent
        raise Failed(f"nginx logged no request {request_id}")

    def summary(self):
        served = self.served_by()
        print("  which replica answered (replica logs; nginx's attempts in brackets):")
        for request_id, label, status in self.sent:
            tried = " -> ".join(f"{n} {s}" for n, s in self.attempts(request_id))
            print(f"    {request_id}  {label:<42} {status}  {','.join(served[request_id]):<20}"
                  f" [{tried}]")
        return served

    # --- the two runs -------------------------------------------------------------------------

    def flow(self):
        print("the seed's flow, through nginx:")
        jwt, refresh = self.login()
        self.user(jwt)
        for _ in range(3):
            self.user(self.refresh(refresh))

        print("a GET that a replica resets is retried on another (proxy_next_upstream):")
        self.control("queue a fault: /refresh connection reset", "POST", "/_emulator/faults", 201,
                     {"route": "/refresh", "connection": "reset"})
        time.sleep(FAULT_SPREAD)
        self.refresh(refresh)
        tried = self.attempts(self.sent[-1][0])
        if len(tried) != 2 or tried[0][1] != "502" or tried[1][1] != "200":
            raise Failed(f"nginx did not retry the reset /refresh once: {tried}")
        if self.control("pending faults", "GET", "/_emulator/faults", 200)["faults"]:
            raise Failed("the /refresh fault is still pending after the retry")

        print("a POST that a replica resets is not sent again:")
        self.control("queue a fault: /login connection reset", "POST", "/_emulator/faults", 201,
                     {"route": "/login", "connection": "reset"})
        time.sleep(FAULT_SPREAD)
        cookies = {}
        form = self.login_form(cookies)
        self.post_login("POST /login, reset by the replica", form, cookies, 502)
        tried = self.attempts(self.sent[-1][0])
        if len(tried) != 1:
            raise Failed(f"nginx sent the POST /login to {len(tried)} replicas: {tried}")
        # The replica did log the user in before the reset: a retry would have posted a used flow.
        _, text = self.post_login("the same form again (what a retry sends)", form, cookies, 400)
        if "already used" not in text:
            raise Failed(f"posting the used form again answered {text!r}")

        print("a revocation through nginx ends the refresh token on every replica:")
        query = urllib.parse.urlencode({"user": USER, "api_key": API_KEY})
        revoked = self.control("revoke stiksels's refresh tokens", "DELETE",
                               f"/_emulator/refresh-tokens?{query}", 200)["revoked"]
        if revoked < 1:
            raise Failed(f"the revocation revoked {revoked} tokens")
        for _ in range(3):
            self.refresh(refresh, expect=400)

        served = self.summary()
        names = {name for name, _ in self.replicas.values()}
        reached = {name for names_ in served.values() for name in names_}
        if reached != names:
            raise Failed(f"requests reached {sorted(reached)}, not all of {sorted(names)}")
        refused = [set(served.get(request_id, [])) for request_id, _, _ in self.sent[-3:]]
        if set().union(*refused) != names:
            raise Failed(f"the three refused refreshes were answered by {refused}, "
                         "not by each replica once (round robin)")
        print(f"every replica served the flow; the revocation held on all {len(names)}")

    def failover(self, stopped):
        print(f"POSTs while {stopped} is stopped:")
        # POSTs until one went to the stopped replica first: it never reached it (connection
        # refused), so nginx passes it on even though POST is not idempotent. Round robin tries
        # the stopped replica within three requests.
        body = {"route": "/connect", "at_least": 0}
        for _ in range(6):
            self.control("POST /_emulator/journal/verify", "POST", "/_emulator/journal/verify",
                         202, body)
            tried = self.attempts(self.sent[-1][0])
            if tried[0][0] == stopped:
                print(f"  passed on: {' -> '.join(f'{n} {s}' for n, s in tried)}")
                break
        else:
            raise Failed(f"nginx never tried {stopped} in 6 requests")
        print(f"the seed's flow without {stopped}:")
        jwt, refresh = self.login()
        self.user(jwt)
        for _ in range(3):
            self.user(self.refresh(refresh))
        served = self.summary()
        if any(stopped in served.get(request_id, []) for request_id, _, _ in self.sent):
            raise Failed(f"{stopped} answered after it was stopped")
        print(f"nothing reached {stopped}; the other replicas served everything")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["flow", "failover"])
    parser.add_argument("base")
    parser.add_argument("admin_token")
    parser.add_argument("access_log")
    parser.add_argument("--replica", nargs=3, action="append", required=True,
                        metavar=("NAME", "ADDRESS", "LOG"))
    parser.add_argument("--stopped", help="failover: the stopped replica's name")
    args = parser.parse_args()
    check = Check(args)
    try:
        check.flow() if args.mode == "flow" else check.failover(args.stopped)
    except (Failed, OSError, ValueError, KeyError, http.client.HTTPException) as error:
        print(f"FAIL: {error}")
        sys.exit(1)


if __name__ == "__main__":
    main()
