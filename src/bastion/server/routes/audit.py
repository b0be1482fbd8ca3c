"""``/audit``: read the audit log of a project, and verify the whole chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from bastion.server.deps import CurrentPrincipal, StoreDep
from bastion.server.schemas.audit import AuditEntryPublic, AuditVerificationPublic
from bastion.store.audit import AuditKind, AuditLog
from bastion.store.tokens import Role

__all__ = ["router"]

router = APIRouter(tags=["audit"])


@router.get("/audit", summary="Audit entries, newest first (security)")
def entries(
    store: StoreDep,
    principal: CurrentPrincipal,
    project: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    kind: AuditKind | None = None,
    subject: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[AuditEntryPublic]:
    """Entries of one project, or of everything for a ``*`` token."""
    if project is None:
        principal.require_global(Role.SECURITY)
    else:
        principal.require(project, Role.SECURITY)
    found = AuditLog(store).entries(kind=kind, subject=subject, project=project, limit=limit, offset=offset)
    return [AuditEntryPublic.of(entry) for entry in found]


@router.get("/audit/verify", summary="Verify the hash chain (security on *)")
def verify(store: StoreDep, principal: CurrentPrincipal) -> AuditVerificationPublic:
    """Walk the whole chain and report any edited, deleted or reordered entry."""
    principal.require_global(Role.SECURITY)
    return AuditVerificationPublic.of(AuditLog(store).verify())
