"""The store: the one object the rest of bastion talks to for recorded runs and tracked findings."""

from __future__ import annotations

from collections.abc import Callable, Set
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bastion.errors import StoreError
from bastion.model import Decision, LifecycleState, RunId, RunRecord, Severity, TrackedFinding
from bastion.store.database import WRITE, first_line, open_engine
from bastion.store.history import FindingHistory, get_finding
from bastion.store.inventory import list_findings
from bastion.store.recording import record_run
from bastion.store.summary import RunSummary, latest_run, list_runs
from bastion.store.tables import RunRow
from bastion.store.url import DatabaseUrl, resolve_url

__all__ = ["Store", "open_store"]

_T = TypeVar("_T")


class Store:
    """Runs, controls and findings with their lifecycle, in SQLite or PostgreSQL. Open with ``open_store``."""

    def __init__(self, engine: Engine, url: DatabaseUrl) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**{WRITE: True})
        self.url = url.masked
        """The database URL with its password masked."""

    def read(self, action: Callable[[Session], _T]) -> _T:
        """Run ``action`` in a read-only session and return its result: the store's queries, the importers' and
        the CLI's reads beyond the methods here; a database error is a one-line ``StoreError``."""
        try:
            with Session(self._engine) as session:
                return action(session)
        except SQLAlchemyError as err:
            raise StoreError(f"{self.url}: cannot read: {first_line(err)}") from err

    def write(self, action: Callable[[Session], _T]) -> _T:
        """Run ``action`` in one writing transaction (``BEGIN IMMEDIATE`` on SQLite), committed on success and
        rolled back on any error; a database error is a one-line ``StoreError``."""
        try:
            with Session(self._writer) as session, session.begin():
                return action(session)
        except SQLAlchemyError as err:
            raise StoreError(f"{self.url}: cannot write: {first_line(err)}") from err

    def record_run(self, record: RunRecord) -> tuple[RunId, list[TrackedFinding]]:
        """Record a run and return its id with every open finding and those it fixed, in one transaction."""
        return self.write(lambda session: record_run(session, record))

    def record_decision(self, run_id: RunId, decision: Decision) -> None:
        """Attach the gate's decision to a recorded run."""

        def write(session: Session) -> None:
            run = session.get(RunRow, run_id)
            if run is None:
                raise StoreError(f"no run with id {run_id}")
            run.decision_outcome = decision.outcome.value
            run.decision = decision.as_document()

        self.write(write)

    def list_runs(self, project: str | None = None, limit: int = 20) -> list[RunSummary]:
        """The latest runs, newest first, of one project or all."""
        return self.read(lambda session: list_runs(session, project, limit))

    def latest_run(self, project: str, branch: str) -> RunSummary | None:
        """The newest run of a project and branch, or ``None``."""
        return self.read(lambda session: latest_run(session, project, branch))

    def list_findings(
        self,
        *,
        project: str | None = None,
        branch: str | None = None,
        states: Set[LifecycleState] | None = None,
        severities: Set[Severity] | None = None,
        control: str | None = None,
        limit: int | None = None,
    ) -> list[TrackedFinding]:
        """Findings as of the latest run of each project and branch; open ones unless ``states`` says."""
        return self.read(
            lambda session: list_findings(
                session,
                project=project,
                branch=branch,
                states=states,
                severities=severities,
                control=control,
                limit=limit,
            )
        )

    def get_finding(self, finding_id_prefix: str, project: str | None = None) -> FindingHistory:
        """The finding whose id starts with the prefix, and its history; ``StoreError`` unless exactly one."""
        return self.read(lambda session: get_finding(session, finding_id_prefix, project))

    def close(self) -> None:
        """Release every connection."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def open_store(url: str | None, root: Path) -> Store:
    """Open (creating and migrating as needed) the store at ``url``, or ``<root>/.bastion/bastion.db``."""
    resolved = resolve_url(url, root)
    return Store(open_engine(resolved), resolved)
