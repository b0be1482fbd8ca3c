"""A real webhook receiver for tests: an HTTP server on loopback that checks every delivery's HMAC signature with
``verify_signature`` (as a real receiver would) and records what it got."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bastion.importers.webhook import verify_signature

SECRET = "receiver-secret-for-tests"
SECRET_ENV = "BASTION_TEST_HOOK_SECRET"


@dataclass
class Delivery:
    """One POST the receiver accepted, with its signature checked."""

    event: str
    delivery: str
    body: dict[str, Any]
    signed: bool


@dataclass
class Receiver:
    """Answers with ``statuses`` in turn (then 200), after ``delay_s``; records every request."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    delay_s: float = 0.0
    deliveries: list[Delivery] = field(default_factory=list)
    requests: list[tuple[dict[str, str], bytes, float]] = field(default_factory=list)
    """Every request as it arrived, whatever the answer: headers, body, ``time.monotonic()``."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self, event: str | None = None) -> list[Delivery]:
        """The deliveries so far (of ``event``), each signed correctly."""
        with self.lock:
            got = [d for d in self.deliveries if event is None or d.event == event]
        assert all(d.signed for d in got), "a delivery's signature did not verify"
        return got

    def wait_for(self, event: str, count: int = 1, timeout_s: float = 15.0) -> list[Delivery]:
        """Wait until ``count`` deliveries of ``event`` arrived; return them."""
        deadline = time.monotonic() + timeout_s
        while len(self.events(event)) < count:
            assert time.monotonic() < deadline, f"waited {timeout_s}s for {count} {event}: got {self.events()}"
            time.sleep(0.02)
        return self.events(event)


@contextmanager
def receiver() -> Iterator[Receiver]:
    """A running receiver on a free loopback port."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            with state.lock:
                state.requests.append((dict(self.headers.items()), raw, time.monotonic()))
            time.sleep(state.delay_s)
            with state.lock:
                status = state.statuses.pop(0) if state.statuses else 200
            if status == 200:
                signed = verify_signature(
                    SECRET.encode(), self.headers["X-Bastion-Timestamp"], raw, self.headers["X-Bastion-Signature"]
                )
                delivery = Delivery(
                    self.headers["X-Bastion-Event"], self.headers["X-Bastion-Delivery"], json.loads(raw), signed
                )
                with state.lock:
                    state.deliveries.append(delivery)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
