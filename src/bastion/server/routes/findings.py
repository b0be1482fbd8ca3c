"""``/findings``: the work list with its filters, one finding, and its triage history and changes.

These routes are the busiest, so each is an ``async def`` that hands its whole (blocking) store work, the response
document included, to the threadpool in one step: a plain ``def`` route costs a second hop, since FastAPI then
validates its response in the threadpool too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from starlette.concurrency import run_in_threadpool

from bastion.model import LifecycleState, Severity
from bastion.model.triage import SlaStatus, TriageDecision, TriageState
from bastion.server.deps import CurrentPrincipal, StoreDep
from bastion.server.principal import Principal
from bastion.server.schemas.findings import FindingPagePublic, FindingPublic
from bastion.server.schemas.triage import TriageChangePublic, TriageCreate
from bastion.store import Store
from bastion.store.inventory import OPEN_STATES
from bastion.store.tokens import Role
from bastion.store.triage import TriageLedger
from bastion.store.worklist import FindingFilter, Worklist

__all__ = ["router"]

router = APIRouter(tags=["findings"])

FindingIdPath = Annotated[
    str,
    Path(min_length=4, max_length=64, pattern=r"^[0-9a-fA-F]+$", description="Short id or fingerprint prefix."),
]
_Text = Annotated[str | None, Query(min_length=1, max_length=200)]


@router.get("/findings", summary="Findings with triage, owners and SLAs; worst severity, then oldest, first")
async def list_findings(
    store: StoreDep,
    principal: CurrentPrincipal,
    project: _Text = None,
    state: Annotated[list[TriageState] | None, Query(description="Triage states (repeatable).")] = None,
    lifecycle: Annotated[
        list[LifecycleState] | None, Query(description="Lifecycle states (repeatable; default: open ones).")
    ] = None,
    severity: Annotated[list[Severity] | None, Query(description="Severities (repeatable).")] = None,
    control: _Text = None,
    owner: Annotated[str | None, Query(min_length=1, max_length=200, description="An owner, e.g. @alice.")] = None,
    sla: Annotated[list[SlaStatus] | None, Query(description="SLA statuses (repeatable), e.g. breached.")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="Text in title, message, path.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> FindingPagePublic:
    """One page of the findings the token may see that match every filter given."""
    if project is not None:
        principal.require(project, Role.VIEWER)
    wanted = FindingFilter(
        visible=principal.visible,
        project=project,
        states=frozenset(state) if state else None,
        lifecycle=frozenset(lifecycle) if lifecycle else OPEN_STATES,
        severities=frozenset(severity) if severity else None,
        control=control,
        owner=owner,
        sla=frozenset(sla) if sla else None,
        text=q,
        limit=limit,
        offset=offset,
    )
    return await run_in_threadpool(lambda: FindingPagePublic.of(Worklist(store).page(wanted), limit, offset))


@router.get("/findings/{finding_id}", summary="One finding")
async def get_finding(finding_id: FindingIdPath, store: StoreDep, principal: CurrentPrincipal) -> FindingPublic:
    """The finding with this id (or unique prefix, at least 4 hex digits)."""
    return await run_in_threadpool(lambda: FindingPublic.of(Worklist(store).get(finding_id, principal.visible)))


@router.get("/findings/{finding_id}/triage", summary="A finding's triage history")
async def triage_history(
    finding_id: FindingIdPath, store: StoreDep, principal: CurrentPrincipal
) -> list[TriageChangePublic]:
    """Every triage change, oldest first, with who, when and why; an accepted risk also names the policy exception
    it created and that exception's status now (active, expired, or removed by a later change)."""
    return await run_in_threadpool(
        lambda: [TriageChangePublic.of(c) for c in TriageLedger(store).history(finding_id, principal.visible)]
    )


@router.post(
    "/findings/{finding_id}/triage", status_code=status.HTTP_201_CREATED, summary="Change a finding's triage state"
)
async def set_triage(
    finding_id: FindingIdPath, body: TriageCreate, store: StoreDep, principal: CurrentPrincipal
) -> TriageChangePublic:
    """Record a triage decision as the token's holder; the role decides which states are allowed."""
    return await run_in_threadpool(_set_triage, finding_id, body, store, principal)


def _set_triage(finding_id: str, body: TriageCreate, store: Store, principal: Principal) -> TriageChangePublic:
    item = Worklist(store).get(finding_id, principal.visible)
    principal.require_triage(item.project, body.state, item.owners, body.approver)
    decision = TriageDecision(
        state=body.state,
        reason=body.reason,
        actor=principal.name,
        decided_at=datetime.now(UTC),
        expires_at=body.expires_at,
        approver=body.approver,
    )
    change = TriageLedger(store).set(item.finding.fingerprint, decision, projects={item.project})
    return TriageChangePublic.of(change)
