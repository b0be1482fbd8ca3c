"""Store fixtures: a SQLite file, a fresh PostgreSQL database per test, and a factory of runs."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from bastion.model import (
    ControlMode,
    ControlResult,
    ControlStatus,
    Finding,
    Location,
    RunRecord,
    Severity,
    Stage,
    UnanalysedFile,
    fingerprint_of,
)
from bastion.store import Store, open_store

POSTGRES_HOST = "127.0.0.1"
POSTGRES_PORT = 5432
POSTGRES_USERS = ("postgres", "root")


def _admin_connection() -> tuple[psycopg.Connection[tuple[object, ...]], str] | None:
    for user in POSTGRES_USERS:
        try:
            connection = psycopg.connect(
                host=POSTGRES_HOST,
                port=POSTGRES_PORT,
                user=user,
                dbname="postgres",
                connect_timeout=5,
                autocommit=True,
            )
        except psycopg.OperationalError:
            continue
        return connection, user
    return None


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'store' / 'bastion.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, uniquely named database on the real server, dropped afterwards."""
    admin = _admin_connection()
    if admin is None:
        users = " or ".join(POSTGRES_USERS)
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_HOST}:{POSTGRES_PORT} as {users}")
    connection, user = admin
    name = f"bastion_test_{secrets.token_hex(6)}"
    with connection:
        connection.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql://{user}@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"
        finally:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """Each backend in turn: the SQLite file, then a PostgreSQL database."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> Iterator[Store]:
    """An open, migrated store on each backend."""
    with open_store(store_url, tmp_path) as opened:
        yield opened


@dataclass
class RunFactory:
    """Builds findings, control results and run records; each record starts an hour after the previous one."""

    clock: datetime = field(default_factory=lambda: datetime(2026, 1, 5, 9, 0, tzinfo=UTC))

    def finding(
        self,
        name: str,
        *,
        path: str = "app.py",
        control: str = "sast",
        severity: Severity = Severity.HIGH,
        fingerprint: str | None = None,
        line: int = 1,
    ) -> Finding:
        """A finding identified by ``name``, path and control, unless ``fingerprint`` says otherwise."""
        return Finding(
            control=control,
            tool="bandit",
            rule_id=name,
            title=f"rule {name}",
            severity=severity,
            location=Location(path=path, start_line=line, end_line=line),
            message=f"{name} at {path}",
            cwe=(78,),
            aliases=("CVE-2026-0001",),
            tags=("test",),
            fingerprint=fingerprint or fingerprint_of(control, name, path),
        )

    def control(
        self,
        control: str,
        *findings: Finding,
        status: ControlStatus = ControlStatus.SUCCEEDED,
        mode: ControlMode = ControlMode.MANDATORY,
        unanalysed: tuple[str, ...] = (),
    ) -> ControlResult:
        """A control's result with these findings."""
        return ControlResult(
            control=control,
            stage=Stage.CODE,
            uses="bandit",
            mode=mode,
            status=status,
            started_at=self.clock,
            duration_s=1.5,
            findings=findings,
            reason="boom" if status is ControlStatus.ERRORED else "",
            files_scanned=3,
            unanalysed=tuple(UnanalysedFile(path, "syntax error") for path in unanalysed),
        )

    def record(
        self, *controls: ControlResult, project: str = "demo", branch: str = "main", commit: str | None = None
    ) -> RunRecord:
        """A run of these controls, starting one hour after the previous record."""
        self.clock += timedelta(hours=1)
        return RunRecord(
            project=project,
            branch=branch,
            commit=commit,
            started_at=self.clock,
            finished_at=self.clock + timedelta(minutes=2),
            controls=controls,
            root="/src/demo",
        )


@pytest.fixture
def runs() -> RunFactory:
    """A factory of findings, control results and run records."""
    return RunFactory()
