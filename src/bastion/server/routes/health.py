"""``/health`` (the one anonymous route) and ``/me`` (the caller's own token)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from bastion import __version__
from bastion.server.deps import CurrentPrincipal
from bastion.server.schemas.tokens import TokenPublic

__all__ = ["router"]

router = APIRouter(tags=["health"])


class HealthPublic(BaseModel):
    """The server is up."""

    status: str
    version: str


@router.get("/health", summary="Liveness (no token needed)")
def health() -> HealthPublic:
    """The server is running."""
    return HealthPublic(status="ok", version=__version__)


@router.get("/me", summary="The caller's token")
def me(principal: CurrentPrincipal) -> TokenPublic:
    """Who the token belongs to, its project and role."""
    return TokenPublic.of(principal.token)
