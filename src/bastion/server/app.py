"""The FastAPI application: the store opened for the server's lifetime, the ``/api/v1`` routes, errors → HTTP.

The lifespan also starts the webhook notifier (one background sender per application, so no request waits on a
receiver) and, every ``notify_interval_s``, a sweep for SLA breaches and expiring exceptions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI

from bastion import __version__
from bastion.importers.webhook import Notifier
from bastion.server.errors import ERROR_RESPONSES, install_error_handlers, reject_unknown_query
from bastion.server.limits import BodyLimit
from bastion.server.routes import audit, exceptions, findings, health, imports, projects, signals, tokens
from bastion.server.settings import ServerSettings
from bastion.store import Store, open_store

__all__ = ["API_PREFIX", "app_from_environment", "create_app"]

API_PREFIX = "/api/v1"

_log = logging.getLogger(__name__)

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
        # Sync routes and dependencies run on this pool. Python threads share one interpreter lock: anyio's default
        # of 40 threads makes CPU-bound requests take turns in small slices, so every one of them finishes late.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        notifier = Notifier(
            opened,
            window_days=settings.notify_window_days,
            attempts=settings.webhook_attempts,
            backoff_s=settings.webhook_backoff_s,
            timeout_s=settings.webhook_timeout_s,
        )
        app.state.store, app.state.settings, app.state.notifier = opened, settings, notifier
        sweeper = asyncio.create_task(_sweep_every(notifier, settings.notify_interval_s))
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            await asyncio.to_thread(notifier.close, 10.0)
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


async def _sweep_every(notifier: Notifier, interval_s: float) -> None:
    """Sweep for SLA breaches and expiring exceptions every ``interval_s`` (never when it is 0)."""
    if interval_s <= 0:
        return
    while True:
        await asyncio.sleep(interval_s)
        try:
            result = await asyncio.to_thread(notifier.sweep_quietly)
        except Exception:  # an unexpected failure must not end the periodic sweeps
            _log.exception("webhooks: the periodic sweep failed")
            continue
        if result is not None and (result.breached or result.expiring):
            _log.info("webhooks: %d breach(es), %d expiring exception(s) announced", result.breached, result.expiring)


def app_from_environment() -> FastAPI:
    """The application configured only by ``BASTION_*`` variables: uvicorn's factory for worker processes."""
    return create_app(ServerSettings())
