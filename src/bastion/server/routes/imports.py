"""``/imports``: upload a tool's report (SARIF, gitleaks, trivy...) into a project, through ``import_report``.

The import and its audit entry are one transaction. New blocking findings go to the application's webhook
notifier, which only queues them; the SLA and exception sweep of the project runs after the response is sent.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from bastion.server.deps import CurrentPrincipal, NotifierDep, SettingsDep, StoreDep
from bastion.store.audit import AuditEvent, AuditKind, AuditLog, import_audit
from bastion.store.tokens import Role

__all__ = ["router"]

router = APIRouter(tags=["imports"])

_Name = Annotated[str, Query(min_length=1, max_length=200)]


class ImportPublic(BaseModel):
    """What an import did (re-importing the same report changes nothing)."""

    project: str
    branch: str
    format: str
    source: str
    run_id: int
    import_id: int
    reported: int
    findings: dict[str, int]
    sources: dict[str, int]


_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The report, exactly as the tool wrote it.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.post(
    "/imports", status_code=status.HTTP_201_CREATED, summary="Import a report (developer)", openapi_extra=_BODY
)
async def post_import(
    request: Request,
    background: BackgroundTasks,
    store: StoreDep,
    settings: SettingsDep,
    notifier: NotifierDep,
    principal: CurrentPrincipal,
    project: _Name,
    fmt: Annotated[str, Query(alias="format", min_length=1, max_length=200, description="sarif, gitleaks, ...")],
    source: Annotated[str, Query(min_length=1, max_length=200, description="The report's name.")] = "upload",
    branch: Annotated[str, Query(min_length=1, max_length=255)] = "main",
) -> ImportPublic:
    """Import the body as a report in ``format`` into ``project`` in one transaction: all of it or nothing."""
    from bastion.importers.service import import_report

    principal.require(project, Role.DEVELOPER)
    data = await request.body()
    summary = await run_in_threadpool(
        lambda: import_report(
            store,
            data,
            fmt,
            project=project,
            source=source,
            branch=branch,
            max_bytes=settings.max_body_bytes,
            notify=notifier.notify_findings,
            audit=import_audit(principal.name, project, fmt, source, branch=branch),
        )
    )
    document = summary.as_document()
    if summary.repeated:  # nothing was written: the upload itself is still recorded
        detail = {
            "format": fmt,
            "source": source,
            "findings": document["findings"],
            "run_id": summary.run_id,
            "repeated": True,
        }
        event = AuditEvent(
            principal.name, "import.record", AuditKind.FINDING, f"import:{summary.import_id}", project, detail
        )
        await run_in_threadpool(AuditLog(store).append, event)
    else:
        background.add_task(run_in_threadpool, notifier.sweep_quietly, project)
    return ImportPublic.model_validate(document)
