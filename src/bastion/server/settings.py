"""Server settings: where the store is and how the server listens, from flags, ``BASTION_*`` variables or defaults.

Precedence is flag, environment, default: ``bastion server`` passes only the flags given, as keyword arguments,
which pydantic-settings ranks above the environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ServerSettings"]


class ServerSettings(BaseSettings):
    """How ``bastion server`` runs."""

    model_config = SettingsConfigDict(env_prefix="BASTION_", extra="ignore")

    database_url: str | None = Field(None, description="Store URL; default: SQLite in <root>/.bastion/bastion.db.")
    root: Path = Field(Path(), description="Directory whose .bastion/ holds the default SQLite store.")
    host: str = Field("127.0.0.1", description="Address to listen on.")
    port: int = Field(8000, ge=0, le=65535, description="Port to listen on (0: any free port).")
    max_body_bytes: int = Field(64 * 1024 * 1024, ge=1024, description="Larger request bodies get 413.")
    threads: int = Field(
        8,
        ge=1,
        le=256,
        description="Threads doing requests' store work; more than a few only contend for the interpreter lock.",
    )
    max_page: int = Field(1000, ge=1, le=100_000, description="Most findings one page may hold.")
    notify_interval_s: float = Field(
        900.0,
        ge=0,
        description="Seconds between webhook sweeps for SLA breaches and expiring exceptions (0: no periodic sweep; "
        "the first runs one interval after start).",
    )
    notify_window_days: int = Field(7, ge=0, le=365, description="Announce exceptions expiring within this many days.")
    webhook_attempts: int = Field(5, ge=1, le=20, description="Tries per webhook delivery.")
    webhook_backoff_s: float = Field(0.5, ge=0, le=60, description="First wait between tries; doubled each time.")
    webhook_timeout_s: float = Field(5.0, gt=0, le=120, description="Timeout of one delivery attempt.")
