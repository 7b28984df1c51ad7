#!/usr/bin/env python3
"""A tiny stand-in for UiTdatabank's Entry API, for the example clients: what a team would put
behind uitid-emulator's Entry API gateway (docs/gateway.md) instead of the real API.

It trusts the gateway: the gateway has already checked the token (and the API key, for
JWT-provider tokens) and says who called in X-Uitid-User / X-Uitid-Client. It answers

  POST /events           201 {"id": <new UUID>, "url": ...}, remembering the event
  GET  /events/{id}      200 the remembered event, or 404
  PUT  /places/{id}      200 {"id": ...}
  anything else          404

with an extra header X-Stand-In-Caller naming who the gateway said called, so a client can check
it reached this stand-in. Standard library only.

Usage: entry_api.py [PORT]   (0, the default, picks a free port; the first line printed is
       "listening on PORT")
"""

import json
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EVENTS = {}


class EntryApi(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def caller(self):
        return self.headers.get("X-Uitid-Client") or self.headers.get("X-Uitid-User") or "anonymous"

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Stand-In-Caller", self.caller())
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return None

    def do_POST(self):
        if self.path.split("?")[0] != "/events":
            return self.answer(404, {"title": "Not Found"})
        event = self.body()
        if not isinstance(event, dict):
            return self.answer(400, {"title": "Bad Request", "detail": "not a JSON object"})
        event_id = str(uuid.uuid4())
        EVENTS[event_id] = dict(event, id=event_id, creator=self.caller())
        self.answer(201, {"id": event_id, "url": f"/events/{event_id}"})

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        if len(parts) == 2 and parts[0] == "events" and parts[1] in EVENTS:
            return self.answer(200, EVENTS[parts[1]])
        self.answer(404, {"title": "Not Found"})

    def do_PUT(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        if len(parts) == 2 and parts[0] == "places":
            self.body()
            return self.answer(200, {"id": parts[1]})
        self.answer(404, {"title": "Not Found"})

    def log_message(self, format, *args):
        sys.stderr.write("stand-in: " + (format % args) + "\n")


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = ThreadingHTTPServer(("127.0.0.1", port), EntryApi)
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
