"""Webhooks from the running server: imports notify new blocking findings and sweep the project for SLA breaches,
each announced once and signed; a slow or dead receiver never holds up the request; the periodic sweep."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bastion.store.tokens import Role
from bastion.store.webhooks import add_webhook
from tests.receiver import SECRET, SECRET_ENV, Receiver, receiver
from tests.server.conftest import Service, running

ALL = ("finding.new_blocking", "sla.breached", "exception.expiring")


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, SECRET)


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as running_receiver:
        yield running_receiver


def _subscribe(service: Service, url: str, events: tuple[str, ...] = ALL) -> None:
    service.store.write(lambda s: add_webhook(s, url, SECRET_ENV, events, None))


def _import(service: Service, report: bytes, source: str = "gitleaks.json") -> float:
    developer = service.as_role(Role.DEVELOPER)
    started = time.monotonic()
    params = {"project": "shop", "format": "gitleaks", "source": source}
    response = developer.post("/imports", params=params, content=report)
    assert response.status_code == 201, response.text
    return time.monotonic() - started


def test_an_import_notifies_new_blocking_findings_and_breaches_once(
    any_service: Service, hook: Receiver, asset: Callable[[str], Path]
) -> None:
    ids = any_service.seed()  # shop's findings were first seen in January 2026: sqli, xss and dep are overdue
    _subscribe(any_service, hook.url)
    _import(any_service, asset("imports/gitleaks/dir.two-leaks.json").read_bytes())
    (blocking,) = hook.wait_for("finding.new_blocking")
    assert blocking.body["project"] == "shop" and len(blocking.body["findings"]) == 2
    assert {f["severity"] for f in blocking.body["findings"]} == {"high"}
    (breach,) = hook.wait_for("sla.breached")
    assert {f["fingerprint"] for f in breach.body["findings"]} == {ids["sqli"], ids["xss"], ids["dep"]}
    assert breach.body["findings"][0]["fingerprint"] == ids["sqli"]  # worst first

    report = asset("imports/gitleaks/dir.two-leaks.json").read_bytes()
    _import(any_service, report)  # the same report again: nothing new
    _import(any_service, report.replace(b"\n", b"\n "), source="again.json")  # re-parsed, same findings
    time.sleep(0.5)
    assert len(hook.events("finding.new_blocking")) == 1 and len(hook.events("sla.breached")) == 1
    security = any_service.as_role(Role.SECURITY)
    audit = security.get("/audit", params={"project": "shop", "kind": "finding"}).json()
    assert [e["action"] for e in audit] == ["import.record"] * 3
    verified = any_service.client(any_service.token("*", Role.SECURITY)).get("/audit/verify").json()
    assert verified["ok"]


def test_a_slow_or_dead_receiver_does_not_hold_up_the_request(
    sqlite_url: str, tmp_path: Path, hook: Receiver, asset: Callable[[str], Path]
) -> None:
    hook.delay_s = 2.0
    with running(sqlite_url, tmp_path, webhook_attempts=2, webhook_backoff_s=0.05, webhook_timeout_s=5) as service:
        _subscribe(service, hook.url, ("finding.new_blocking",))
        _subscribe(service, "http://127.0.0.1:9/nothing-listens", ("finding.new_blocking",))
        elapsed = _import(service, asset("imports/gitleaks/dir.two-leaks.json").read_bytes())
        assert elapsed < 1.0, f"the import waited {elapsed:.2f}s for the webhooks"
        assert service.as_role(Role.VIEWER).get("/findings").json()["total"] == 2
        hook.wait_for("finding.new_blocking")


def test_the_server_sweeps_periodically_when_asked(sqlite_url: str, tmp_path: Path, hook: Receiver) -> None:
    with running(sqlite_url, tmp_path, notify_interval_s=0.2, notify_window_days=10) as service:
        _subscribe(service, hook.url, ("exception.expiring",))
        expires = (datetime.now(UTC).date() + timedelta(days=9)).isoformat()
        body = {"project": "shop", "target": "B602", "reason": "sandboxed", "approver": "@ciso", "expires": expires}
        created = service.as_role(Role.SECURITY, name="@sec").post("/exceptions", json=body)
        assert created.status_code == 201, created.text
        (expiring,) = hook.wait_for("exception.expiring")
        assert expiring.body["exceptions"][0]["id"] == created.json()["id"]
        assert expiring.body["exceptions"][0]["days_left"] == 9
        time.sleep(0.8)  # several sweeps later
        assert len(hook.events("exception.expiring")) == 1
