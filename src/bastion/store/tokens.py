"""API tokens: who may call the server, as which role, on which project; stored only as a SHA-256 hash.

A token is ``bst_`` and 43 characters of ``secrets.token_urlsafe(32)`` (256 random bits), shown once when
created. The store keeps its SHA-256 and its first characters (to recognise it in a list). A fast hash is
enough because the secret is random, not chosen by a person: with 2^256 candidates there is nothing to guess, so a
slow password hash (bcrypt, argon2) would buy no safety and would cost ~100 ms on every request; a plain digest
also lets the server find the token by an indexed equality lookup instead of trying each row.

Roles are per project (``*`` means every project) and ordered: admin > security > developer > viewer.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.errors import StoreError
from bastion.store.audit import AuditEvent, AuditKind, lock_chain, record_event
from bastion.store.store import Store
from bastion.store.tables import Base

__all__ = ["ALL_PROJECTS", "NewToken", "Role", "TokenError", "TokenInfo", "TokenRegistry", "hash_token"]

ALL_PROJECTS = "*"
"""The project of a token valid on every project."""
_PREFIX = "bst_"
_SHOWN = 8


class TokenError(StoreError):
    """A token is unknown, revoked or expired, or a token cannot be created as asked."""


class Role(StrEnum):
    """What a token may do on its project."""

    ADMIN = "admin"
    """Everything, including tokens and owner rules of the project."""
    SECURITY = "security"
    """Triage in every state, including accepting risks and marking false positives."""
    DEVELOPER = "developer"
    """Read, and triage to confirmed, mitigated or fixed; accept a risk only on findings they do not own."""
    VIEWER = "viewer"
    """Read only."""

    @property
    def rank(self) -> int:
        """Order for comparison: ``admin`` is 3, ``viewer`` 0."""
        return {"admin": 3, "security": 2, "developer": 1, "viewer": 0}[self.value]

    def at_least(self, other: Role) -> bool:
        """True when this role may do everything ``other`` may."""
        return self.rank >= other.rank


class ApiTokenRow(Base):
    """A token's hash, holder, project and role."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    shown: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    project: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


@dataclass(frozen=True, slots=True)
class NewToken:
    """What to create: a token for ``name`` as ``role`` on ``project`` (``*`` for all)."""

    name: str
    project: str
    role: Role
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token as listed: never its secret."""

    id: int
    name: str
    """Who holds it: the actor in the audit log, matched against finding owners (``@alice``)."""
    project: str
    role: Role
    shown: str
    """The first characters of the secret, to recognise it."""
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def is_valid(self, now: datetime) -> bool:
        """Not revoked and not expired at ``now``."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def role_on(self, project: str) -> Role | None:
        """The token's role on ``project``, or ``None`` when it is for another project."""
        return self.role if self.project in (ALL_PROJECTS, project) else None


def hash_token(secret: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _info(row: ApiTokenRow) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        name=row.name,
        project=row.project,
        role=Role(row.role),
        shown=row.shown,
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


class TokenRegistry:
    """Creates, lists, revokes and checks API tokens in a store; every change is audited."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def create(self, new: NewToken, actor: str) -> tuple[TokenInfo, str]:
        """Create a token and return it with its secret, which is not kept and cannot be shown again."""
        now = datetime.now(UTC)
        if not new.name.strip() or not new.project.strip():
            raise TokenError("a token needs a name and a project")
        if new.expires_at is not None and new.expires_at <= now:
            raise TokenError(f"expiry {new.expires_at.isoformat()} is in the past")
        secret = _PREFIX + secrets.token_urlsafe(32)

        def write(session: Session) -> TokenInfo:
            row = ApiTokenRow(
                token_hash=hash_token(secret),
                shown=secret[: len(_PREFIX) + _SHOWN],
                name=new.name.strip(),
                project=new.project.strip(),
                role=new.role.value,
                created_by=actor,
                created_at=now,
                expires_at=new.expires_at,
            )
            session.add(row)
            session.flush()
            detail = {"name": row.name, "role": row.role, "expires_at": _iso(row.expires_at)}
            record_event(session, AuditEvent(actor, "token.create", AuditKind.TOKEN, str(row.id), row.project, detail))
            return _info(row)

        return self._store.write(write), secret

    def list_tokens(self, project: str | None = None, include_revoked: bool = False) -> list[TokenInfo]:
        """Tokens, oldest first: of one project (and the all-project ones) or all."""

        def read(session: Session) -> list[TokenInfo]:
            query = select(ApiTokenRow).order_by(ApiTokenRow.id)
            if project is not None:
                query = query.where(ApiTokenRow.project.in_([project, ALL_PROJECTS]))
            if not include_revoked:
                query = query.where(ApiTokenRow.revoked_at.is_(None))
            return [_info(row) for row in session.scalars(query)]

        return self._store.read(read)

    def get(self, token_id: int) -> TokenInfo:
        """One token by id; ``TokenError`` if there is none."""

        def read(session: Session) -> TokenInfo:
            row = session.get(ApiTokenRow, token_id)
            if row is None:
                raise TokenError(f"no token with id {token_id}")
            return _info(row)

        return self._store.read(read)

    def revoke(self, token_id: int, actor: str) -> TokenInfo:
        """Revoke a token from now on (idempotent)."""

        def write(session: Session) -> TokenInfo:
            lock_chain(session)  # so two revocations at once audit one change, not two
            row = session.get(ApiTokenRow, token_id)
            if row is None:
                raise TokenError(f"no token with id {token_id}")
            if row.revoked_at is None:
                row.revoked_at = datetime.now(UTC)
                detail = {"name": row.name, "role": row.role}
                event = AuditEvent(actor, "token.revoke", AuditKind.TOKEN, str(row.id), row.project, detail)
                record_event(session, event)
            return _info(row)

        return self._store.write(write)

    def authenticate(self, secret: str, now: datetime | None = None) -> TokenInfo:
        """The valid token whose secret this is; ``TokenError`` (one line, no secret) otherwise."""
        if not secret.startswith(_PREFIX):
            raise TokenError("not a bastion token")
        digest = hash_token(secret)

        def read(session: Session) -> ApiTokenRow | None:
            return session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == digest))

        row = self._store.read(read)
        if row is None:
            raise TokenError("unknown token")
        info = _info(row)
        if info.revoked_at is not None:
            raise TokenError(f"token {info.id} was revoked")
        if not info.is_valid(now or datetime.now(UTC)):
            raise TokenError(f"token {info.id} expired")
        return info


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
