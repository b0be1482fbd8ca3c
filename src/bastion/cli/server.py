"""``bastion server``: run the findings service (FastAPI under uvicorn) on the store."""

from __future__ import annotations

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
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info", access_log=False)


def register(app: typer.Typer) -> None:
    """Add ``bastion server``."""
    app.command("server")(serve)
