"""``/exceptions``: list, add and remove policy exceptions (``bastion.store.exceptions``), each audited in the same
transaction as the change.

Exceptions decide what the gate blocks; triage records what people decided about a finding. Adding or removing
one needs the security role on its project.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from bastion.policy.exception import new_exception
from bastion.server.deps import CurrentPrincipal, StoreDep
from bastion.server.errors import NotFoundError
from bastion.server.schemas.exceptions import ExceptionCreate, ExceptionPublic
from bastion.store import Store
from bastion.store.exceptions import ExceptionRegister
from bastion.store.projects import list_projects
from bastion.store.tokens import Role

__all__ = ["router"]

router = APIRouter(tags=["exceptions"])


@router.get("/exceptions", summary="Live policy exceptions, soonest expiry first")
def list_exceptions(
    store: StoreDep,
    principal: CurrentPrincipal,
    project: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
) -> list[ExceptionPublic]:
    """Exceptions of one project, or of every project the token may see."""
    if project is not None:
        principal.require(project, Role.VIEWER)
    elif not principal.is_global:
        project = principal.token.project
    register = ExceptionRegister(store)
    projects = [project] if project is not None else _projects(store, None)
    return [ExceptionPublic.of(name, exception) for name in projects for exception in register.list(name)]


def _projects(store: Store, visible: frozenset[str] | None) -> list[str]:
    # Exceptions are kept per project name; the projects are those with recorded runs (or the token's own).
    return sorted(visible) if visible is not None else [p.name for p in list_projects(store)]


@router.post("/exceptions", status_code=status.HTTP_201_CREATED, summary="Add a policy exception (security)")
def add_exception(body: ExceptionCreate, store: StoreDep, principal: CurrentPrincipal) -> ExceptionPublic:
    """Record a time-boxed, approved exception."""
    principal.require(body.project, Role.SECURITY)
    exception = new_exception(body.target, reason=body.reason, approver=body.approver, expires=body.expires)
    ExceptionRegister(store).add(body.project, exception, principal.name)
    return ExceptionPublic.of(body.project, exception)


@router.delete("/exceptions/{exception_id}", summary="Remove a policy exception (security)")
def remove_exception(
    exception_id: Annotated[str, Path(min_length=1, max_length=64)], store: StoreDep, principal: CurrentPrincipal
) -> ExceptionPublic:
    """Remove an exception from now on (its record stays)."""
    register = ExceptionRegister(store)
    found = register.find(exception_id)
    if found is None or (principal.visible is not None and found.project not in principal.visible):
        raise NotFoundError(f"no exception {exception_id}")
    principal.require(found.project, Role.SECURITY)
    register.remove(exception_id, principal.name)
    return ExceptionPublic.of(found.project, found.exception)
