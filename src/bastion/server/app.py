"""The FastAPI application: the store opened for the server's lifetime, the ``/api/v1`` routes, errors → HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI

from bastion import __version__
from bastion.server.errors import ERROR_RESPONSES, install_error_handlers, reject_unknown_query
from bastion.server.limits import BodyLimit
from bastion.server.routes import audit, exceptions, findings, health, imports, projects, signals, tokens
from bastion.server.settings import ServerSettings
from bastion.store import Store, open_store

__all__ = ["API_PREFIX", "app_from_environment", "create_app"]

API_PREFIX = "/api/v1"

_DESCRIPTION = """The bastion findings service: every finding once, with an owner, a due date and a recorded
triage history. Authenticate with `Authorization: Bearer <token>` (`bastion token create`); only `/health` is open.
"""


def _api() -> APIRouter:
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(reject_unknown_query)])
    api.include_router(health.router)
    for module in (projects, findings, exceptions, imports, tokens, audit, signals):
        api.include_router(module.router, responses=ERROR_RESPONSES)
    return api


def create_app(settings: ServerSettings, store: Store | None = None) -> FastAPI:
    """The application; it opens (and closes) its own store unless one is given."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = store or open_store(settings.database_url, settings.root.resolve())
        app.state.store, app.state.settings = opened, settings
        try:
            yield
        finally:
            if store is None:
                opened.close()

    app = FastAPI(
        title="bastion",
        version=__version__,
        description=_DESCRIPTION,
        lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    install_error_handlers(app)
    app.include_router(_api())
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app


def app_from_environment() -> FastAPI:
    """The application configured only by ``BASTION_*`` variables: uvicorn's factory for worker processes."""
    return create_app(ServerSettings())
