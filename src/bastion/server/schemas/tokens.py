"""Token documents: what to create, a token as listed, and a new token with its secret (shown once)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field

from bastion.server.schemas.common import Strict
from bastion.store.tokens import Role, TokenInfo

__all__ = ["TokenCreate", "TokenCreatedPublic", "TokenPublic"]


class TokenCreate(Strict):
    """A token to create."""

    name: str = Field(min_length=1, max_length=200, pattern=r"^\S(.*\S)?$", description="Who will hold it.")
    project: str = Field(min_length=1, max_length=200, description="Its project, or * for every project.")
    role: Role
    expires_at: AwareDatetime | None = None


class TokenPublic(BaseModel):
    """A token, never with its secret."""

    id: int
    name: str
    project: str
    role: Role
    shown: str = Field(description="The first characters of the secret.")
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, info: TokenInfo) -> TokenPublic:
        """The document for a token."""
        return cls(
            id=info.id,
            name=info.name,
            project=info.project,
            role=info.role,
            shown=info.shown,
            created_by=info.created_by,
            created_at=info.created_at,
            expires_at=info.expires_at,
            revoked_at=info.revoked_at,
        )


class TokenCreatedPublic(TokenPublic):
    """A new token with its secret: store it now, it cannot be shown again."""

    secret: str
