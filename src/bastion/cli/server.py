"""``bastion server``: run the findings service (FastAPI under uvicorn) on the store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from bastion.cli.store_option import DbOption

__all__ = ["register"]


def serve(
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on (default 8000).")] = None,
    db: DbOption = None,
    repo: Annotated[Path | None, typer.Option("--repo", "-C", help="Directory of the default SQLite store.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes (default 1).")] = 1,
) -> None:
    """Serve the findings API under /api/v1 (OpenAPI at /api/v1/docs); flags beat BASTION_* variables."""
    from bastion.errors import UsageError

    try:
        import uvicorn

        from bastion.server import ServerSettings, create_app
    except ImportError as err:
        raise UsageError(f"the server is not installed: {err}", hint="pip install 'bastion[server]'") from None
    given = {"host": host, "port": port, "database_url": db, "root": repo}
    settings = ServerSettings.model_validate({key: value for key, value in given.items() if value is not None})
    if workers == 1:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info", access_log=False)
        return
    # Worker processes build their own application from the environment, so the flags travel there.
    for key, value in settings.model_dump(exclude_none=True).items():
        os.environ[f"BASTION_{key.upper()}"] = str(value)
    uvicorn.run(
        "bastion.server.app:app_from_environment",
        factory=True,
        workers=workers,
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``bastion server``."""
    app.command("server")(serve)
