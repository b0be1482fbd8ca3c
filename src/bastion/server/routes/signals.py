"""``/signals``: upload the CISA KEV catalogue (JSON) or FIRST EPSS scores (CSV) that raise findings' risk."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from bastion.server.deps import CurrentPrincipal, StoreDep
from bastion.store.signals import Signals
from bastion.store.tokens import Role

__all__ = ["router"]

router = APIRouter(tags=["signals"])


class SignalImportPublic(BaseModel):
    """How many CVEs the imported list holds."""

    cves: int


def _body(media_type: str) -> dict[str, object]:
    return {"requestBody": {"required": True, "content": {media_type: {"schema": {"type": "string"}}}}}


@router.put("/signals/kev", summary="Replace the KEV list (security on *)", openapi_extra=_body("application/json"))
async def put_kev(request: Request, store: StoreDep, principal: CurrentPrincipal) -> SignalImportPublic:
    """The body is CISA's ``known_exploited_vulnerabilities.json``."""
    principal.require_global(Role.SECURITY)
    data = await request.body()
    count = await run_in_threadpool(Signals(store).import_kev, data, "kev.json", principal.name)
    return SignalImportPublic(cves=count)


@router.put("/signals/epss", summary="Replace the EPSS scores (security on *)", openapi_extra=_body("text/csv"))
async def put_epss(request: Request, store: StoreDep, principal: CurrentPrincipal) -> SignalImportPublic:
    """The body is FIRST's ``epss_scores-<date>.csv`` (gzipped or not)."""
    principal.require_global(Role.SECURITY)
    data = await request.body()
    count = await run_in_threadpool(Signals(store).import_epss, data, "epss.csv", principal.name)
    return SignalImportPublic(cves=count)
