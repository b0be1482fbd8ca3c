"""``/tokens``: create (the secret is in the response, once), list and revoke API tokens; admins only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from bastion.server.deps import CurrentPrincipal, StoreDep
from bastion.server.errors import NotFoundError
from bastion.server.principal import Principal
from bastion.server.schemas.tokens import TokenCreate, TokenCreatedPublic, TokenPublic
from bastion.store.tokens import ALL_PROJECTS, NewToken, Role, TokenError, TokenInfo, TokenRegistry

__all__ = ["router"]

router = APIRouter(tags=["tokens"])


def _require_admin_of(principal: Principal, project: str) -> None:
    if project == ALL_PROJECTS:
        principal.require_global(Role.ADMIN)
    else:
        principal.require(project, Role.ADMIN)


@router.get("/tokens", summary="Tokens of a project (admin)")
def list_tokens(
    store: StoreDep,
    principal: CurrentPrincipal,
    project: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    include_revoked: bool = False,
) -> list[TokenPublic]:
    """Tokens of ``project`` (and the all-project ones), or of every project for a ``*`` admin."""
    _require_admin_of(principal, project or ALL_PROJECTS)
    return [TokenPublic.of(t) for t in TokenRegistry(store).list_tokens(project, include_revoked)]


@router.post("/tokens", status_code=status.HTTP_201_CREATED, summary="Create a token (admin); shown once")
def create_token(body: TokenCreate, store: StoreDep, principal: CurrentPrincipal) -> TokenCreatedPublic:
    """Create a token; its secret is in this response only."""
    _require_admin_of(principal, body.project)
    new = NewToken(name=body.name, project=body.project, role=body.role, expires_at=body.expires_at)
    info, secret = TokenRegistry(store).create(new, principal.name)
    return TokenCreatedPublic(**TokenPublic.of(info).model_dump(), secret=secret)


@router.delete("/tokens/{token_id}", summary="Revoke a token (admin)")
def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], store: StoreDep, principal: CurrentPrincipal
) -> TokenPublic:
    """Revoke a token from now on."""
    registry = TokenRegistry(store)
    try:
        token: TokenInfo = registry.get(token_id)
    except TokenError as err:
        raise NotFoundError(str(err)) from err
    _require_admin_of(principal, token.project)
    return TokenPublic.of(registry.revoke(token_id, principal.name))
