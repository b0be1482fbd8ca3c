"""Projects: the names findings are tracked under, as the service lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.store.store import Store
from bastion.store.tables import ProjectRow

__all__ = ["ProjectInfo", "list_projects"]


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    """A project and when it was first recorded."""

    name: str
    created_at: datetime


def list_projects(store: Store, visible: frozenset[str] | None = None) -> list[ProjectInfo]:
    """Projects by name, only the ``visible`` ones when given."""

    def read(session: Session) -> list[ProjectInfo]:
        query = select(ProjectRow).order_by(ProjectRow.name)
        if visible is not None:
            query = query.where(ProjectRow.name.in_(sorted(visible)))
        return [ProjectInfo(row.name, row.created_at) for row in session.scalars(query)]

    return store.read(read)
