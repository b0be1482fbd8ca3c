"""Webhook subscriptions in the store: added, listed, removed; only the secret's variable name is kept."""

from __future__ import annotations

import pytest

from bastion.errors import StoreError
from bastion.store import Store
from bastion.store.webhooks import add_webhook, list_webhooks, remove_webhook


def test_webhooks_are_added_listed_and_removed(store: Store) -> None:
    added = store.write(lambda s: add_webhook(s, "https://hooks.example.com/a", "HOOK", ("sla.breached",), None))
    store.write(lambda s: add_webhook(s, "https://hooks.example.com/b", "HOOK_B", ("finding.new_blocking",), "shop"))
    listed = store.read(list_webhooks)
    assert [w.url for w in listed] == ["https://hooks.example.com/a", "https://hooks.example.com/b"]
    assert listed[1].wants("finding.new_blocking", "shop") and not listed[1].wants("finding.new_blocking", "other")
    assert listed[0].wants("sla.breached", "any") and listed[0].secret_env == "HOOK"
    store.write(lambda s: remove_webhook(s, added.id))
    assert [w.id for w in store.read(list_webhooks)] == [listed[1].id]


def test_removing_an_unknown_webhook_is_an_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no webhook with id 99"):
        store.write(lambda s: remove_webhook(s, 99))
