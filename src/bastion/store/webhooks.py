"""Webhook subscriptions as the store keeps them: a URL, the environment variable holding its HMAC secret, events.

The secret itself is never stored: only the name of the environment variable the sender reads it from, so the
database holds nothing that would let its reader forge deliveries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.errors import StoreError
from bastion.store.tables import Base

__all__ = ["Webhook", "WebhookRow", "add_webhook", "list_webhooks", "remove_webhook"]


class WebhookRow(Base):
    """One subscription."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    secret_env: Mapped[str] = mapped_column(String(200))
    events: Mapped[list[Any]]
    project: Mapped[str | None] = mapped_column(String(200))
    """Only this project's events; ``None`` for every project."""
    created_at: Mapped[datetime]


@dataclass(frozen=True, slots=True)
class Webhook:
    """A subscription: where to send which events, signed with the secret in ``secret_env``."""

    id: int
    url: str
    secret_env: str
    events: tuple[str, ...]
    project: str | None = None

    def wants(self, event: str, project: str | None) -> bool:
        """True when this subscription receives ``event`` of ``project``."""
        return event in self.events and (self.project is None or self.project == project)


def _webhook(row: WebhookRow) -> Webhook:
    return Webhook(row.id, row.url, row.secret_env, tuple(str(e) for e in row.events), row.project)


def add_webhook(session: Session, url: str, secret_env: str, events: tuple[str, ...], project: str | None) -> Webhook:
    """Subscribe ``url`` to ``events``."""
    row = WebhookRow(url=url, secret_env=secret_env, events=list(events), project=project, created_at=datetime.now(UTC))
    session.add(row)
    session.flush()
    return _webhook(row)


def list_webhooks(session: Session) -> list[Webhook]:
    """Every subscription, oldest first."""
    return [_webhook(row) for row in session.scalars(select(WebhookRow).order_by(WebhookRow.id))]


def remove_webhook(session: Session, webhook_id: int) -> None:
    """Delete a subscription; ``StoreError`` when there is none with that id."""
    row = session.get(WebhookRow, webhook_id)
    if row is None:
        raise StoreError(f"no webhook with id {webhook_id}")
    session.delete(row)
