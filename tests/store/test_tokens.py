"""API tokens: shown once, stored as a hash, scoped to a project and role, revocable and expiring."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bastion.store import Store, open_store
from bastion.store.audit import AuditKind, AuditLog
from bastion.store.tokens import NewToken, Role, TokenError, TokenRegistry, hash_token


@pytest.fixture
def sqlite_store(sqlite_url: str, tmp_path: Path) -> Iterator[Store]:
    """A store on SQLite only, for behaviour that does not depend on the backend."""
    with open_store(sqlite_url, tmp_path) as opened:
        yield opened


def test_a_token_is_stored_only_as_its_hash(store: Store, store_url: str) -> None:
    info, secret = TokenRegistry(store).create(NewToken("@alice", "shop", Role.DEVELOPER), actor="admin")
    assert secret.startswith("bst_") and len(secret) > 40
    assert secret.startswith(info.shown) and len(info.shown) < 16
    engine = create_engine(store_url)
    try:
        with engine.connect() as connection:
            dumped = repr(connection.execute(text("SELECT * FROM api_tokens")).all())
    finally:
        engine.dispose()
    assert secret not in dumped and hash_token(secret) in dumped


def test_authenticate_returns_the_token_with_its_role_on_its_project(store: Store) -> None:
    registry = TokenRegistry(store)
    info, secret = registry.create(NewToken("@alice", "shop", Role.SECURITY), actor="admin")
    found = registry.authenticate(secret)
    assert found == info
    assert found.role_on("shop") is Role.SECURITY and found.role_on("other") is None


def test_an_all_projects_token_has_its_role_everywhere(sqlite_store: Store) -> None:
    info, _ = TokenRegistry(sqlite_store).create(NewToken("root", "*", Role.ADMIN), actor="cli")
    assert info.role_on("anything") is Role.ADMIN


@pytest.mark.parametrize("secret", ["", "bst_nope", "Bearer x", "bst_" + "a" * 43])
def test_unknown_tokens_are_refused(sqlite_store: Store, secret: str) -> None:
    with pytest.raises(TokenError):
        TokenRegistry(sqlite_store).authenticate(secret)


def test_revoked_and_expired_tokens_are_refused(store: Store) -> None:
    registry = TokenRegistry(store)
    soon = datetime.now(UTC) + timedelta(hours=1)
    revoked, revoked_secret = registry.create(NewToken("a", "shop", Role.VIEWER), actor="admin")
    _, expiring_secret = registry.create(NewToken("b", "shop", Role.VIEWER, expires_at=soon), actor="admin")
    registry.revoke(revoked.id, actor="admin")
    with pytest.raises(TokenError, match="revoked"):
        registry.authenticate(revoked_secret)
    assert registry.authenticate(expiring_secret).name == "b"
    with pytest.raises(TokenError, match="expired"):
        registry.authenticate(expiring_secret, now=soon + timedelta(seconds=1))
    assert [t.name for t in registry.list_tokens("shop")] == ["b"]
    assert [t.name for t in registry.list_tokens("shop", include_revoked=True)] == ["a", "b"]


def test_a_token_cannot_be_created_already_expired(sqlite_store: Store) -> None:
    past = datetime.now(UTC) - timedelta(days=1)
    with pytest.raises(TokenError, match="in the past"):
        TokenRegistry(sqlite_store).create(NewToken("a", "shop", Role.VIEWER, expires_at=past), actor="admin")


def test_creating_and_revoking_are_audited(store: Store) -> None:
    registry = TokenRegistry(store)
    info, secret = registry.create(NewToken("@alice", "shop", Role.ADMIN), actor="root")
    registry.revoke(info.id, actor="root")
    registry.revoke(info.id, actor="root")
    entries = AuditLog(store).entries(kind=AuditKind.TOKEN)
    assert [e.event.action for e in entries] == ["token.revoke", "token.create"]
    assert all(secret not in repr(e) for e in entries)
    assert AuditLog(store).verify().ok


def test_roles_are_ordered() -> None:
    assert Role.ADMIN.at_least(Role.SECURITY) and Role.SECURITY.at_least(Role.DEVELOPER)
    assert not Role.VIEWER.at_least(Role.DEVELOPER)
