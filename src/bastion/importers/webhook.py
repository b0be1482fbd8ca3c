"""Webhook notifications: events signed with HMAC-SHA256, delivered in the background with retries and back-off.

A delivery is a JSON ``POST`` with the headers ``X-Bastion-Event``, ``X-Bastion-Delivery`` (a UUID, the same on
every retry), ``X-Bastion-Timestamp`` (Unix seconds) and ``X-Bastion-Signature: sha256=<hex>``, the HMAC of
``<timestamp>.<body>`` under the subscription's secret (read from the environment variable it names), so a
receiver can reject forged and replayed requests (``verify_signature``). ``publish`` only enqueues: it never
blocks or raises, so the request or import that caused an event is never held up by a slow receiver. A
delivery is retried on connection errors, 408, 429 and 5xx, waiting ``backoff * 2**attempt`` seconds between
tries, up to ``attempts`` times.

``Notifier`` ties a sender to a store: it reads the subscriptions when it publishes (so one started with the
server sees webhooks added later), passes new blocking findings on, and ``sweep`` finds SLA breaches and
exceptions expiring within ``window_days``. Each of those is announced once per subscription: the sweep claims it
in ``webhook_notices`` (``bastion.store.notices``) before publishing, and gives the claim back when the delivery
fails after every retry, so the next sweep tries again. A breach is claimed again once the finding has stopped
being breached (fixed, closed by triage) and breaches anew.
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
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bastion.errors import BastionError
from bastion.model import Finding
from bastion.store.webhooks import Webhook, list_webhooks

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bastion.store import Store
    from bastion.store.assessment import Assessment
    from bastion.store.exceptions import ProjectException

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "DeliveryResult",
    "Notifier",
    "SweepResult",
    "WebhookEvent",
    "WebhookSender",
    "sign",
    "store_notifier",
    "verify_signature",
]

DEFAULT_WINDOW_DAYS = 7
"""An exception is announced as expiring this many days before its last day."""
_BATCH = 100
"""Most findings or exceptions in one delivery."""

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

    def publish(
        self,
        event: str,
        project: str | None,
        data: Mapping[str, Any],
        webhooks: Sequence[Webhook] | None = None,
    ) -> list[tuple[Webhook, str]]:
        """Queue ``event`` for every subscription (of ``webhooks``, default the sender's) that wants it; return
        each queued subscription with its delivery id. Returns at once, never raises."""
        body = json.dumps(
            {"event": event, "project": project, "sent_at": datetime.now(UTC).isoformat(), **data}, default=str
        ).encode()
        queued: list[tuple[Webhook, str]] = []
        for webhook in self._webhooks if webhooks is None else webhooks:
            if webhook.wants(event, project):
                delivery = str(uuid.uuid4())
                try:
                    self._queue.put_nowait((webhook, event, delivery, body))
                except queue.Full:
                    _log.warning("webhook queue full: dropped %s for %s", event, webhook.url)
                    continue
                queued.append((webhook, delivery))
        return queued

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
                try:
                    self._on_result(result)
                except Exception:  # a failing callback must not stop the deliveries after it
                    _log.exception("webhook result callback failed")

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


@dataclass(frozen=True, slots=True)
class SweepResult:
    """What one sweep announced: findings newly breached and exceptions newly expiring, with their deliveries."""

    breached: int = 0
    """Findings announced as breached (to one subscription or more)."""
    expiring: int = 0
    """Exceptions announced as expiring."""
    deliveries: tuple[str, ...] = ()
    """The delivery ids queued."""


@dataclass(frozen=True, slots=True)
class _Pending:
    event: str
    webhook_id: int
    keys: tuple[str, ...]


def _claim_key(webhook_id: int, subject: str) -> str:
    return f"{webhook_id}|{subject}"


def _breached(session: Session, project: str | None, now: datetime) -> list[Assessment]:
    from bastion.model.triage import SlaStatus
    from bastion.store.assessment import assess
    from bastion.store.inventory import OPEN_STATES
    from bastion.store.workitem import FindingFilter

    everything = assess(session, FindingFilter(project=project), now, None)
    return [a for a in everything if a.sla is SlaStatus.BREACHED and a.lifecycle in OPEN_STATES]


def _urgency(light: Assessment) -> tuple[int, datetime, str]:
    level = light.risk.level if light.risk is not None else light.severity
    return (-level.rank, light.due or light.first_seen, light.fingerprint)


def _exception_payload(found: ProjectException, today: date) -> dict[str, Any]:
    e = found.exception
    return {
        "id": e.id,
        "scope": e.scope.value,
        "target": e.target,
        "reason": e.reason,
        "approver": e.approver,
        "expires": e.expires.isoformat(),
        "days_left": (e.expires - today).days,
    }


class Notifier:
    """Publishes a store's events to its subscriptions through one background sender (see the module's text)."""

    def __init__(self, store: Store, *, window_days: int = DEFAULT_WINDOW_DAYS, **sender_options: Any) -> None:
        self._store = store
        self.window_days = window_days
        self._user_result: Callable[[DeliveryResult], None] | None = sender_options.pop("on_result", None)
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._sender = WebhookSender((), on_result=self._delivered, **sender_options)

    def subscriptions(self) -> list[Webhook]:
        """The store's subscriptions as of now."""
        return self._store.read(list_webhooks)

    def notify_findings(self, event: str, project: str, findings: list[Finding]) -> None:
        """Publish ``event`` about ``findings`` (the import service's ``notify`` callback); never raises."""
        try:
            webhooks = self.subscriptions()
        except BastionError as err:
            _log.warning("webhooks: cannot read the subscriptions: %s", err)
            return
        for start in range(0, len(findings), _BATCH):
            batch = findings[start : start + _BATCH]
            self._sender.publish(event, project, {"findings": [finding_payload(f) for f in batch]}, webhooks)

    def sweep(self, project: str | None = None, now: datetime | None = None) -> SweepResult:
        """Announce, once per subscription, the SLA breaches and the exceptions expiring within the window (of
        ``project`` or every project); returns at once after queueing. ``StoreError`` if the store fails."""
        from bastion.store.exceptions import live_exceptions
        from bastion.store.notices import claim_notices, release_notices

        at = now or datetime.now(UTC)
        today = at.date()
        webhooks = self.subscriptions()
        sla, expiring = WebhookEvent.SLA_BREACHED.value, WebhookEvent.EXCEPTION_EXPIRING.value
        wants_sla = [w for w in webhooks if sla in w.events]
        wants_exc = [w for w in webhooks if expiring in w.events]
        breaches = self._store.read(lambda s: _breached(s, project, at)) if wants_sla else []
        last_day = today + timedelta(days=self.window_days)
        soon = [
            found
            for found in (self._store.read(lambda s: live_exceptions(s, project)) if wants_exc else [])
            if today <= found.exception.expires <= last_day
        ]
        # Subject per subscription: the breach of a finding, or an exception with its expiry.
        breach_of = {
            _claim_key(w.id, f"{a.project}/{a.fingerprint}"): (w, a)
            for a in breaches
            for w in wants_sla
            if w.wants(sla, a.project)
        }
        expiry_of = {
            _claim_key(w.id, f"{f.exception.id}@{f.exception.expires.isoformat()}"): (w, f)
            for f in soon
            for w in wants_exc
            if w.wants(expiring, f.project)
        }

        def claim(session: Session) -> tuple[set[str], set[str]]:
            release_notices(session, sla, [project] if project is not None else None, breach_of.keys())
            claimed_sla = claim_notices(session, sla, ((k, a.project) for k, (_, a) in breach_of.items()))
            claimed_exc = claim_notices(session, expiring, ((k, f.project) for k, (_, f) in expiry_of.items()))
            return claimed_sla, claimed_exc

        claimed_sla, claimed_exc = self._store.write(claim) if breach_of or expiry_of or wants_sla else (set(), set())
        deliveries: list[str] = []
        by_webhook: dict[tuple[int, str], list[str]] = {}
        # Worst risk first, then the longest overdue, as the work list orders them.
        for key in sorted(claimed_sla, key=lambda k: _urgency(breach_of[k][1])):
            webhook, light = breach_of[key]
            by_webhook.setdefault((webhook.id, light.project), []).append(key)
        if by_webhook:
            items = {
                (item.project, item.finding.fingerprint): item
                for item in self._store.read(lambda s: _complete(s, [breach_of[k][1] for k in claimed_sla]))
            }
            for (_, name), keys in sorted(by_webhook.items()):
                webhook = breach_of[keys[0]][0]
                for start in range(0, len(keys), _BATCH):
                    batch = keys[start : start + _BATCH]
                    found = [items[(name, breach_of[k][1].fingerprint)] for k in batch]
                    data = {
                        "findings": [
                            {
                                **finding_payload(i.finding),
                                "risk": i.risk.level.value,
                                "owners": list(i.owners),
                                "first_seen": i.first_seen.isoformat(),
                                "due_at": i.due_at.isoformat() if i.due_at else None,
                            }
                            for i in found
                        ]
                    }
                    deliveries += self._publish(sla, name, data, webhook, batch)
        by_exception: dict[tuple[int, str], list[str]] = {}
        for key in sorted(claimed_exc):
            webhook, found_exc = expiry_of[key]
            by_exception.setdefault((webhook.id, found_exc.project), []).append(key)
        for (_, name), keys in sorted(by_exception.items()):
            webhook = expiry_of[keys[0]][0]
            for start in range(0, len(keys), _BATCH):
                batch = keys[start : start + _BATCH]
                payload: dict[str, Any] = {
                    "window_days": self.window_days,
                    "exceptions": [_exception_payload(expiry_of[k][1], today) for k in batch],
                }
                deliveries += self._publish(expiring, name, payload, webhook, batch)
        return SweepResult(
            breached=len({(breach_of[k][1].project, breach_of[k][1].fingerprint) for k in claimed_sla}),
            expiring=len({expiry_of[k][1].exception.id for k in claimed_exc}),
            deliveries=tuple(deliveries),
        )

    def sweep_quietly(self, project: str | None = None) -> SweepResult | None:
        """``sweep``, logging instead of raising: for hooks after a run or an import, which must not fail."""
        try:
            return self.sweep(project)
        except BastionError as err:
            _log.warning("webhooks: the notification sweep failed: %s", err)
            return None

    def close(self, timeout_s: float = 30.0) -> None:
        """Stop after the pending deliveries, waiting at most ``timeout_s``."""
        self._sender.close(timeout_s)

    def _publish(self, event: str, project: str, data: dict[str, Any], webhook: Webhook, keys: list[str]) -> list[str]:
        with self._lock:  # registered before the sender's thread can report on it
            queued = self._sender.publish(event, project, data, [webhook])
            for _, delivery in queued:
                self._pending[delivery] = _Pending(event, webhook.id, tuple(keys))
        if not queued:
            self._release(_Pending(event, webhook.id, tuple(keys)))
        return [delivery for _, delivery in queued]

    def _delivered(self, result: DeliveryResult) -> None:
        with self._lock:
            pending = self._pending.pop(result.delivery, None)
        if pending is not None and not result.delivered:
            self._release(pending)
        if self._user_result is not None:
            self._user_result(result)

    def _release(self, pending: _Pending) -> None:
        """Give back the claims of an undelivered event so that the next sweep sends it again."""
        from sqlalchemy import delete

        from bastion.store.notices import NoticeRow

        def write(session: Session) -> None:
            where = (NoticeRow.event == pending.event) & NoticeRow.key.in_(pending.keys)
            session.execute(delete(NoticeRow).where(where))

        try:
            self._store.write(write)
        except BastionError as err:
            _log.warning("webhooks: cannot release the claims of an undelivered %s: %s", pending.event, err)


def _complete(session: Session, lights: list[Assessment]) -> list[Any]:
    from bastion.store.assessment import complete

    return complete(session, lights)


@contextmanager
def store_notifier(
    store: Store, *, webhooks: Sequence[Webhook] | None = None, **options: Any
) -> Iterator[Notifier | None]:
    """A ``Notifier`` for the store's subscriptions (``None`` when there are none); waits for deliveries on exit
    (``close_timeout_s``, default 30 s). ``webhooks`` are the subscriptions when the caller has just read them."""
    close_timeout = float(options.pop("close_timeout_s", 30.0))
    if not (store.read(list_webhooks) if webhooks is None else webhooks):
        yield None
        return
    notifier = Notifier(store, **options)
    try:
        yield notifier
    finally:
        notifier.close(close_timeout)
