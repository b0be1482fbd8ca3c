"""Project rules: the owners (CODEOWNERS text, ``owners:`` rules) and SLA policy the service applies per project.

They are read from the repository (``rules_from_repository``) by ``bastion triage rules sync`` or sent to
``PUT /api/v1/projects/{project}/rules``, and kept in the store so the server, which has no checkout, can use them.
Owners and due dates are computed when findings are read, so a changed CODEOWNERS re-assigns every finding at once.

Parsing the stored rules and compiling CODEOWNERS patterns is memoised per process by the rules' *content*
(``_parsed``): every read still fetches the project's row, so a change made by another process or worker is
seen on the next read, and no cache can go stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from bastion.errors import ConfigError
from bastion.store.audit import AuditEvent, AuditKind, lock_chain, record_event
from bastion.store.owners import OwnerResolver, OwnerRules
from bastion.store.sla import SlaPolicy
from bastion.store.store import Store
from bastion.store.tables import Base

__all__ = ["CODEOWNERS_LOCATIONS", "ProjectRuleSet", "ProjectRules", "rules_from_repository"]

CODEOWNERS_LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
"""Where GitHub looks for CODEOWNERS, in its order: the first file found is used."""


class ProjectRulesRow(Base):
    """A project's owner sources and SLA policy."""

    __tablename__ = "project_rules"

    project: Mapped[str] = mapped_column(String(200), primary_key=True)
    codeowners: Mapped[str] = mapped_column(Text)
    owner_rules: Mapped[dict[str, Any]]
    sla: Mapped[dict[str, Any]]
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]


@dataclass(frozen=True, slots=True)
class ProjectRuleSet:
    """The owner sources and SLA policy of one project (defaults when none were stored)."""

    codeowners: str = ""
    owners: OwnerRules = field(default_factory=OwnerRules)
    sla: SlaPolicy = field(default_factory=SlaPolicy)
    _resolver: OwnerResolver | None = field(default=None, init=False, repr=False, compare=False)

    def resolver(self) -> OwnerResolver:
        """An owner resolver for these sources (compiled once per rule set)."""
        if self._resolver is None:  # a race only compiles it twice; both are the same
            object.__setattr__(self, "_resolver", OwnerResolver(self.codeowners, self.owners))
        assert self._resolver is not None
        return self._resolver


def rules_from_repository(root: Path) -> ProjectRuleSet:
    """CODEOWNERS and the ``owners:`` and ``sla:`` sections of ``bastion.yml`` in ``root``; ``ConfigError`` if bad."""
    codeowners = next(
        (
            (root / name).read_text("utf-8", errors="replace")
            for name in CODEOWNERS_LOCATIONS
            if (root / name).is_file()
        ),
        "",
    )
    config = root / "bastion.yml"
    if not config.is_file():
        return ProjectRuleSet(codeowners=codeowners)
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        document = YAML(typ="safe").load(config.read_text("utf-8"))
    except YAMLError as err:
        raise ConfigError(f"{config}: not valid YAML: {str(err).splitlines()[0]}") from err
    document = document if isinstance(document, dict) else {}
    try:
        owners = OwnerRules(rules=document.get("owners") or [])
    except ValidationError as err:
        raise ConfigError(f"{config}: {_where(err, 'owners')}") from err
    try:
        sla = SlaPolicy.model_validate(document.get("sla") or {})
    except ValidationError as err:
        raise ConfigError(f"{config}: {_where(err, 'sla')}") from err
    return ProjectRuleSet(codeowners=codeowners, owners=owners, sla=sla)


def _where(err: ValidationError, section: str) -> str:
    first = err.errors()[0]
    location = [str(part) for part in first["loc"]]
    parts = location[1:] if section == "owners" else location  # ``rules`` is our wrapper, not a key in the file
    return ".".join([section, *parts]) + f": {first['msg']}"


def rule_set_of(row: ProjectRulesRow | None) -> ProjectRuleSet:
    """The stored rules, or the defaults."""
    if row is None:
        return _DEFAULT
    return _parsed(row.codeowners, _canonical(row.owner_rules), _canonical(row.sla))


_DEFAULT = ProjectRuleSet()


def _canonical(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=256)
def _parsed(codeowners: str, owner_rules: str, sla: str) -> ProjectRuleSet:
    """A rule set from its stored content; memoised by that content, so it is never stale."""
    return ProjectRuleSet(
        codeowners=codeowners,
        owners=OwnerRules.model_validate_json(owner_rules),
        sla=SlaPolicy.model_validate_json(sla),
    )


def load_rules(session: Session, projects: set[str]) -> dict[str, ProjectRuleSet]:
    """The rules of each of these projects (defaults for those without)."""
    from sqlalchemy import select

    stored = {
        row.project: row
        for row in session.scalars(select(ProjectRulesRow).where(ProjectRulesRow.project.in_(projects)))
    }
    return {project: rule_set_of(stored.get(project)) for project in projects}


class ProjectRules:
    """Reads and replaces the rules of projects in a store; every change is audited."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, project: str) -> ProjectRuleSet:
        """The project's rules (defaults if none were stored)."""
        return self._store.read(lambda session: rule_set_of(session.get(ProjectRulesRow, project)))

    def set(self, project: str, rules: ProjectRuleSet, actor: str) -> ProjectRuleSet:
        """Replace the project's rules."""

        def write(session: Session) -> ProjectRuleSet:
            lock_chain(session)  # two first-time sets of one project would otherwise both insert its row
            row = session.get(ProjectRulesRow, project)
            if row is None:
                row = ProjectRulesRow(project=project)
                session.add(row)
            row.codeowners = rules.codeowners
            row.owner_rules = rules.owners.model_dump(mode="json")
            row.sla = rules.sla.model_dump(mode="json")
            row.updated_by, row.updated_at = actor, datetime.now(UTC)
            detail = {
                "codeowners_lines": len(rules.codeowners.splitlines()),
                "owner_rules": len(rules.owners.rules),
                "sla": rules.sla.model_dump(mode="json"),
            }
            record_event(session, AuditEvent(actor, "rules.set", AuditKind.OWNERS, project, project, detail))
            return rules

        return self._store.write(write)
