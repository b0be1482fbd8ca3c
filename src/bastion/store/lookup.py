"""Finding lookup: the one finding a short id (a fingerprint prefix) names, among the projects a caller may see."""

from __future__ import annotations

import string
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.errors import StoreError
from bastion.store.tables import FindingRow, ProjectRow

__all__ = ["AmbiguousFindingError", "FindingNotFoundError", "resolve_finding"]

_HEX = frozenset(string.hexdigits.lower())
_MIN_PREFIX = 4


class FindingNotFoundError(StoreError):
    """No finding (visible to the caller) has this id."""


class AmbiguousFindingError(StoreError):
    """More than one finding has an id starting with this prefix."""


def resolve_finding(
    session: Session, finding_id: str, projects: Collection[str] | None = None
) -> tuple[FindingRow, str]:
    """The finding row and its project's name; ``projects`` limits where to look (``None``: everywhere)."""
    prefix = finding_id.strip().lower()
    if len(prefix) < _MIN_PREFIX or len(prefix) > 64 or not set(prefix) <= _HEX:
        raise FindingNotFoundError(f"no finding with id '{finding_id[:80]}'")
    query = (
        select(FindingRow, ProjectRow.name)
        .join(ProjectRow, ProjectRow.id == FindingRow.project_id)
        # A range the fingerprint index serves on every backend; fingerprints are lower-case hex and "g" sorts after.
        .where(FindingRow.fingerprint >= prefix, FindingRow.fingerprint < prefix + "g")
        .limit(2)
    )
    if projects is not None:
        query = query.where(ProjectRow.name.in_(sorted(projects)))
    found = [(row, name) for row, name in session.execute(query)]
    if not found:
        raise FindingNotFoundError(f"no finding with id '{finding_id}'")
    if len(found) > 1:
        raise AmbiguousFindingError(f"ambiguous id '{finding_id}': give more of it")
    return found[0]
