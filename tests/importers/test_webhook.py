"""Webhook delivery against a real HTTP receiver on loopback: signatures, retries with back-off, never blocking."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bastion.importers.webhook import DeliveryResult, WebhookSender, sign, verify_signature
from bastion.store.webhooks import Webhook
from tests.receiver import Receiver
from tests.receiver import receiver as running_receiver

SECRET = "s3cret-for-tests"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as state:
        yield state


def _sender(url: str, results: list[DeliveryResult], **options: object) -> WebhookSender:
    webhook = Webhook(1, url, "HOOK_SECRET", ("finding.new_blocking", "sla.breached"))
    return WebhookSender([webhook], secrets={"HOOK_SECRET": SECRET}, on_result=results.append, **options)  # type: ignore[arg-type]


def test_delivery_is_signed_with_hmac_over_timestamp_and_body(receiver: Receiver) -> None:
    results: list[DeliveryResult] = []
    sender = _sender(receiver.url, results)
    sender.publish("finding.new_blocking", "shop", {"findings": [{"id": "abc"}]})
    sender.close()
    assert results and results[0].delivered and results[0].attempts == 1
    headers, body, _ = receiver.requests[0]
    assert headers["X-Bastion-Event"] == "finding.new_blocking"
    timestamp, signature = headers["X-Bastion-Timestamp"], headers["X-Bastion-Signature"]
    assert signature == sign(SECRET.encode(), timestamp, body)
    assert verify_signature(SECRET.encode(), timestamp, body, signature)
    assert not verify_signature(b"wrong", timestamp, body, signature)
    assert not verify_signature(SECRET.encode(), timestamp, body + b" ", signature)


def test_failed_deliveries_are_retried_with_back_off(receiver: Receiver) -> None:
    receiver.statuses = [503, 500]
    results: list[DeliveryResult] = []
    sender = _sender(receiver.url, results, backoff_s=0.1)
    sender.publish("sla.breached", "shop", {})
    sender.close()
    assert results[0].delivered and results[0].attempts == 3
    times = [at for _, _, at in receiver.requests]
    assert times[1] - times[0] >= 0.1 and times[2] - times[1] >= 0.2  # doubling waits
    assert len({h["X-Bastion-Delivery"] for h, _, _ in receiver.requests}) == 1


def test_client_errors_are_not_retried_and_unsubscribed_events_not_sent(receiver: Receiver) -> None:
    receiver.statuses = [400]
    results: list[DeliveryResult] = []
    sender = _sender(receiver.url, results, backoff_s=0.05)
    sender.publish("exception.expiring", "shop", {})  # not subscribed
    sender.publish("sla.breached", "shop", {})
    sender.close()
    assert [(r.delivered, r.attempts, r.status) for r in results] == [(False, 1, 400)]


def test_publish_never_blocks_on_a_slow_or_dead_receiver(receiver: Receiver) -> None:
    receiver.delay_s = 1.0
    results: list[DeliveryResult] = []
    sender = _sender(receiver.url, results)
    started = time.monotonic()
    for _ in range(3):
        sender.publish("sla.breached", "shop", {})
    assert time.monotonic() - started < 0.1
    dead = _sender("http://127.0.0.1:9/nothing-listens", results, attempts=2, backoff_s=0.01)
    dead.publish("sla.breached", "shop", {})
    sender.close()
    dead.close()
    assert sum(r.delivered for r in results) == 3
    assert any(not r.delivered and r.attempts == 2 for r in results)


def test_a_missing_secret_is_a_failed_delivery_not_an_unsigned_one(receiver: Receiver) -> None:
    results: list[DeliveryResult] = []
    webhook = Webhook(1, receiver.url, "UNSET_SECRET_VAR", ("sla.breached",))
    sender = WebhookSender([webhook], secrets={}, on_result=results.append)
    sender.publish("sla.breached", None, {})
    sender.close()
    assert not results[0].delivered and "UNSET_SECRET_VAR" in results[0].error
    assert receiver.requests == []
