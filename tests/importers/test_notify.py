"""The notifier over a real store (SQLite file and PostgreSQL) and a real receiver: SLA breaches and expiring
exceptions are announced once per subscription, signed, and again only after a failed delivery or a new breach."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bastion.importers.webhook import DeliveryResult, Notifier, WebhookEvent
from bastion.model import Severity
from bastion.model.triage import TriageDecision, TriageState
from bastion.policy.exception import new_exception
from bastion.store import Store, open_store
from bastion.store.exceptions import ExceptionRegister
from bastion.store.triage import TriageLedger
from bastion.store.webhooks import add_webhook
from tests.receiver import SECRET, SECRET_ENV, Receiver, receiver
from tests.store.conftest import RunFactory

TODAY = datetime.now(UTC).date()
SLA, EXPIRING = WebhookEvent.SLA_BREACHED.value, WebhookEvent.EXCEPTION_EXPIRING.value


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as running:
        yield running


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> Iterator[Store]:
    with open_store(store_url, tmp_path) as opened:
        yield opened


def _subscribe(store: Store, url: str, events: tuple[str, ...] = (SLA, EXPIRING), project: str | None = None) -> int:
    return store.write(lambda s: add_webhook(s, url, SECRET_ENV, events, project)).id


def _seed(store: Store) -> dict[str, str]:
    """Project ``demo`` first seen in January 2026: its critical and high findings are long past their SLA."""
    runs = RunFactory()
    found = {
        "sqli": runs.finding("sqli", severity=Severity.CRITICAL),
        "xss": runs.finding("xss", path="web.py", severity=Severity.HIGH),
        "note": runs.finding("note", path="x.py", severity=Severity.INFO),  # no SLA
    }
    store.record_run(runs.record(runs.control("sast", *found.values())))
    return {name: f.fingerprint for name, f in found.items()}


def _notifier(store: Store, results: list[DeliveryResult] | None = None, **options: object) -> Notifier:
    on_result = results.append if results is not None else None
    return Notifier(store, secrets={SECRET_ENV: SECRET}, backoff_s=0.01, on_result=on_result, **options)  # type: ignore[arg-type]


def _sweep(store: Store, **options: object) -> tuple[int, int]:
    notifier = _notifier(store, **options)
    try:
        result = notifier.sweep()
    finally:
        notifier.close()
    return result.breached, result.expiring


def test_each_breach_and_expiring_exception_is_announced_once(store: Store, hook: Receiver) -> None:
    ids = _seed(store)
    _subscribe(store, hook.url)
    register = ExceptionRegister(store)
    soon = new_exception("B602", reason="r", approver="@ciso", expires=TODAY + timedelta(days=3))
    later = new_exception("B101", reason="r", approver="@ciso", expires=TODAY + timedelta(days=30), exception_id="L1")
    register.add("demo", soon, "@sec")
    register.add("demo", later, "@sec")

    assert _sweep(store) == (2, 1)
    (breach,) = hook.events(SLA)
    assert breach.body["project"] == "demo"
    assert {f["fingerprint"] for f in breach.body["findings"]} == {ids["sqli"], ids["xss"]}
    first = breach.body["findings"][0]
    assert first["risk"] == "critical" and first["due_at"].startswith("2026-01-")
    (expiring,) = hook.events(EXPIRING)
    assert [e["id"] for e in expiring.body["exceptions"]] == [soon.id]
    assert expiring.body["exceptions"][0]["days_left"] == 3 and expiring.body["window_days"] == 7

    assert _sweep(store) == (0, 0)  # nothing new: nothing sent
    assert _sweep(store, window_days=40) == (0, 1)  # the later exception enters the wider window, once
    assert [e.body["exceptions"][0]["id"] for e in hook.events(EXPIRING)] == [soon.id, "L1"]
    assert len(hook.events()) == 3


def test_a_breach_is_announced_again_only_after_it_ended(store: Store, hook: Receiver) -> None:
    ids = _seed(store)
    _subscribe(store, hook.url, (SLA,))
    assert _sweep(store) == (2, 0)
    ledger = TriageLedger(store)
    now = datetime.now(UTC)
    ledger.set(ids["sqli"], TriageDecision(TriageState.FALSE_POSITIVE, "test code", "@sec", now))
    assert _sweep(store) == (0, 0)  # closed by triage: its notice is released
    ledger.set(ids["sqli"], TriageDecision(TriageState.OPEN, "it is reachable after all", "@sec", now))
    assert _sweep(store) == (1, 0)
    assert [[f["fingerprint"] for f in d.body["findings"]] for d in hook.events(SLA)][-1] == [ids["sqli"]]


def test_a_failed_delivery_is_sent_again_by_the_next_sweep(store: Store, hook: Receiver) -> None:
    _seed(store)
    _subscribe(store, hook.url, (SLA,))
    hook.statuses = [400]  # not retried: the delivery fails at once
    results: list[DeliveryResult] = []
    notifier = _notifier(store, results)
    assert notifier.sweep().breached == 2
    notifier.close()
    assert [(r.delivered, r.status) for r in results] == [(False, 400)]
    assert hook.events(SLA) == []
    assert _sweep(store) == (2, 0)
    assert len(hook.events(SLA)) == 1
    assert _sweep(store) == (0, 0)


def test_each_subscription_gets_its_own_projects_events(store: Store, hook: Receiver) -> None:
    _seed(store)
    _subscribe(store, hook.url, (SLA,), project="demo")
    _subscribe(store, hook.url, (SLA,), project="other")
    _subscribe(store, hook.url, (EXPIRING,))
    assert _sweep(store) == (2, 0)
    assert len(hook.events(SLA)) == 1  # only the subscription to demo wants demo's breaches


def test_concurrent_sweeps_announce_once(store: Store, hook: Receiver) -> None:
    _seed(store)
    _subscribe(store, hook.url)
    register = ExceptionRegister(store)
    register.add("demo", new_exception("B602", reason="r", approver="@c", expires=TODAY + timedelta(days=1)), "@s")
    results: list[tuple[int, int]] = []
    barrier = threading.Barrier(4)

    def sweep() -> None:
        barrier.wait()
        results.append(_sweep(store))

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results)[-1] != (0, 0) and sum(b for b, _ in results) == 2 and sum(e for _, e in results) == 1
    assert len(hook.events(SLA)) == 1 and len(hook.events(EXPIRING)) == 1


def test_no_subscription_no_work(store: Store) -> None:
    _seed(store)
    assert _sweep(store) == (0, 0)
