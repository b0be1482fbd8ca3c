"""Webhook notifications: events signed with HMAC-SHA256, delivered in the background with retries and back-off.

A delivery is a JSON ``POST`` with the headers ``X-Bastion-Event``, ``X-Bastion-Delivery`` (a UUID, the same on
every retry), ``X-Bastion-Timestamp`` (Unix seconds) and ``X-Bastion-Signature: sha256=<hex>``, the HMAC of
``<timestamp>.<body>`` under the subscription's secret (read from the environment variable it names), so a
receiver can reject forged and replayed requests (``verify_signature``). ``publish`` only enqueues: it never
blocks or raises, so the request or import that caused an event is never held up by a slow receiver. A
delivery is retried on connection errors, 408, 429 and 5xx, waiting ``backoff * 2**attempt`` seconds between
tries, up to ``attempts`` times.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import queue
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bastion.model import Finding
from bastion.store.webhooks import Webhook, list_webhooks

if TYPE_CHECKING:
    from bastion.store import Store

__all__ = ["DeliveryResult", "WebhookEvent", "WebhookSender", "sign", "store_notifier", "verify_signature"]

_log = logging.getLogger(__name__)
_RETRYABLE = {408, 425, 429}


class WebhookEvent(StrEnum):
    """The events a webhook can subscribe to."""

    NEW_BLOCKING = "finding.new_blocking"
    SLA_BREACHED = "sla.breached"
    EXCEPTION_EXPIRING = "exception.expiring"
    TEST = "webhook.test"


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """How one delivery ended."""

    webhook_id: int
    delivery: str
    event: str
    delivered: bool
    attempts: int
    status: int | None
    error: str = ""


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The signature header value: ``sha256=`` and the HMAC-SHA256 of ``<timestamp>.<body>``."""
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify_signature(secret: bytes, timestamp: str, body: bytes, signature: str, *, max_age_s: float = 300) -> bool:
    """True when ``signature`` is ours for this body and the timestamp is recent (what a receiver checks)."""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > max_age_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def finding_payload(finding: Finding) -> dict[str, Any]:
    """A finding as webhook receivers see it (no evidence: it stays in bastion)."""
    return {
        "id": finding.id,
        "fingerprint": finding.fingerprint,
        "tool": finding.tool,
        "rule_id": finding.rule_id,
        "title": finding.title,
        "severity": finding.severity.value,
        "location": finding.location.describe(),
    }


class WebhookSender:
    """Delivers events to subscriptions from one background thread; ``close`` waits for pending deliveries."""

    def __init__(
        self,
        webhooks: Sequence[Webhook],
        *,
        secrets: Mapping[str, str] | None = None,
        attempts: int = 5,
        backoff_s: float = 0.5,
        timeout_s: float = 5.0,
        on_result: Callable[[DeliveryResult], None] | None = None,
    ) -> None:
        self._webhooks = tuple(webhooks)
        self._secrets = secrets if secrets is not None else os.environ
        self._attempts, self._backoff, self._timeout = attempts, backoff_s, timeout_s
        self._on_result = on_result
        self._queue: queue.Queue[tuple[Webhook, str, str, bytes] | None] = queue.Queue(maxsize=10_000)
        self._thread = threading.Thread(target=self._run, name="bastion-webhooks", daemon=True)
        self._thread.start()

    def publish(self, event: str, project: str | None, data: Mapping[str, Any]) -> None:
        """Queue ``event`` for every subscription that wants it; returns at once, never raises."""
        body = json.dumps(
            {"event": event, "project": project, "sent_at": datetime.now(UTC).isoformat(), **data}, default=str
        ).encode()
        for webhook in self._webhooks:
            if webhook.wants(event, project):
                try:
                    self._queue.put_nowait((webhook, event, str(uuid.uuid4()), body))
                except queue.Full:
                    _log.warning("webhook queue full: dropped %s for %s", event, webhook.url)

    def notify_findings(self, event: str, project: str, findings: list[Finding]) -> None:
        """Publish ``event`` about ``findings`` (the import service's ``notify`` callback)."""
        self.publish(event, project, {"findings": [finding_payload(f) for f in findings]})

    def close(self, timeout_s: float = 30.0) -> None:
        """Stop after the pending deliveries, waiting at most ``timeout_s``."""
        self._queue.put(None)
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            result = self._deliver(*item)
            if not result.delivered:
                _log.warning("webhook %s: %s not delivered: %s", item[0].url, item[1], result.error)
            if self._on_result is not None:
                self._on_result(result)

    def _deliver(self, webhook: Webhook, event: str, delivery: str, body: bytes) -> DeliveryResult:
        if not webhook.url.startswith(("http://", "https://")):
            return DeliveryResult(webhook.id, delivery, event, False, 0, None, "only http(s) URLs are allowed")
        secret = self._secrets.get(webhook.secret_env)
        if not secret:
            return DeliveryResult(webhook.id, delivery, event, False, 0, None, f"${webhook.secret_env} is not set")
        status: int | None = None
        error = ""
        for attempt in range(1, self._attempts + 1):
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "bastion-webhooks",
                "X-Bastion-Event": event,
                "X-Bastion-Delivery": delivery,
                "X-Bastion-Timestamp": timestamp,
                "X-Bastion-Signature": sign(secret.encode(), timestamp, body),
            }
            # Only http(s) URLs are ever stored (``webhook add`` checks), and ``_deliver`` checks again.
            request = urllib.request.Request(webhook.url, data=body, method="POST", headers=headers)  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                    return DeliveryResult(webhook.id, delivery, event, True, attempt, response.status)
            except urllib.error.HTTPError as err:
                status, error = err.code, f"HTTP {err.code}"
                if err.code < 500 and err.code not in _RETRYABLE:
                    return DeliveryResult(webhook.id, delivery, event, False, attempt, status, error)
            except (urllib.error.URLError, OSError) as err:
                status, error = None, str(getattr(err, "reason", err))
            if attempt < self._attempts:
                time.sleep(self._backoff * 2 ** (attempt - 1))
        return DeliveryResult(webhook.id, delivery, event, False, self._attempts, status, error)


@contextmanager
def store_notifier(store: Store, **options: Any) -> Iterator[Callable[[str, str, list[Finding]], None] | None]:
    """A ``notify`` callback for the store's subscriptions (``None`` when there are none); waits on exit."""
    webhooks = store._read(list_webhooks)
    if not webhooks:
        yield None
        return
    sender = WebhookSender(webhooks, **options)
    try:
        yield sender.notify_findings
    finally:
        sender.close()
