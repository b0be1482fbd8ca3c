"""Server fixtures: the real application under uvicorn on a loopback socket, over SQLite or PostgreSQL."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from bastion.model import Severity
from bastion.server import ServerSettings, create_app
from bastion.store import Store, open_store
from bastion.store.tokens import NewToken, Role, TokenRegistry
from tests.store.conftest import RunFactory


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run ``app`` under uvicorn on a free loopback port in a thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass
class Service:
    """A running server, a store on the same database to seed it, and tokens for clients."""

    url: str
    store: Store
    runs: RunFactory = field(default_factory=RunFactory)
    clients: list[httpx.Client] = field(default_factory=list)

    def token(self, project: str, role: Role, name: str = "@someone", expires_at: datetime | None = None) -> str:
        """A new token's secret."""
        return TokenRegistry(self.store).create(NewToken(name, project, role, expires_at), actor="test")[1]

    def client(self, secret: str | None = None) -> httpx.Client:
        """An HTTP client for the server, with ``secret`` as its bearer token."""
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        client = httpx.Client(base_url=self.url + "/api/v1", headers=headers, timeout=30)
        self.clients.append(client)
        return client

    def as_role(self, role: Role, project: str = "shop", name: str = "@someone") -> httpx.Client:
        """A client holding a new token for ``role`` on ``project``."""
        return self.client(self.token(project, role, name))

    def seed(self) -> dict[str, str]:
        """Record one run of project ``shop`` and one of ``other``; return the fingerprints by rule."""
        runs = self.runs
        shop = {
            "sqli": runs.finding("sqli", path="src/payments/db.py", severity=Severity.CRITICAL),
            "xss": runs.finding("xss", path="web/app.py", severity=Severity.MEDIUM),
            "dep": runs.finding("dep", path="requirements.txt", control="sca", severity=Severity.LOW),
        }
        self.store.record_run(
            runs.record(
                runs.control("sast", shop["sqli"], shop["xss"]), runs.control("sca", shop["dep"]), project="shop"
            )
        )
        other = runs.finding("leak", path="config.py", control="secrets", severity=Severity.HIGH)
        self.store.record_run(runs.record(runs.control("secrets", other), project="other"))
        return {name: f.fingerprint for name, f in {**shop, "leak": other}.items()}


@contextmanager
def running(url: str, root: Path, **settings: Any) -> Iterator[Service]:
    """The server on the store at ``url``, with a second store handle to seed it; ``settings`` override the test
    defaults (no periodic webhook sweep unless a test asks for one)."""
    options: dict[str, Any] = {"max_body_bytes": 64 * 1024, "notify_interval_s": 0, **settings}
    with open_store(url, root) as store:
        app = create_app(ServerSettings(database_url=url, root=root, **options))
        with serve(app) as base:
            service = Service(base, store)
            try:
                yield service
            finally:
                for client in service.clients:
                    client.close()


@pytest.fixture
def service(sqlite_url: str, tmp_path: Path) -> Iterator[Service]:
    """The server on SQLite (the store is migrated before it starts)."""
    with running(sqlite_url, tmp_path) as started:
        yield started


@pytest.fixture
def any_service(store_url: str, tmp_path: Path) -> Iterator[Service]:
    """The server on each backend in turn: SQLite, then the real PostgreSQL server."""
    with running(store_url, tmp_path) as started:
        yield started
