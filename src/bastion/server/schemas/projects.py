"""Project documents: projects, their runs, and their owner rules and SLA policy."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bastion.model import ControlStatus, Outcome, Severity
from bastion.server.schemas.common import Strict
from bastion.store import RunSummary
from bastion.store.owners import OwnerRule
from bastion.store.project_rules import ProjectRuleSet
from bastion.store.sla import SlaPolicy

__all__ = ["ProjectPublic", "ProjectRulesPublic", "ProjectRulesUpdate", "RunPublic"]


class ProjectPublic(BaseModel):
    """A project the caller may see."""

    name: str
    created_at: datetime


class RunPublic(BaseModel):
    """A recorded run with its counts."""

    id: int
    project: str
    branch: str
    commit: str | None
    started_at: datetime
    finished_at: datetime
    status: ControlStatus
    outcome: Outcome | None
    open_findings: dict[Severity, int]
    new_findings: int
    fixed_findings: int

    @classmethod
    def of(cls, run: RunSummary) -> RunPublic:
        """The document for a run summary."""
        return cls(
            id=run.id,
            project=run.project,
            branch=run.branch,
            commit=run.commit,
            started_at=run.started_at,
            finished_at=run.finished_at,
            status=run.status,
            outcome=run.outcome,
            open_findings=run.open_findings,
            new_findings=run.new_findings,
            fixed_findings=run.fixed_findings,
        )


class ProjectRulesUpdate(Strict):
    """A project's owner sources and SLA policy, replacing the stored ones."""

    codeowners: str = Field("", max_length=1_000_000, description="The text of the repository's CODEOWNERS.")
    owners: list[OwnerRule] = Field(default_factory=list, max_length=1000, description="bastion.yml owners: rules.")
    sla: SlaPolicy = Field(default_factory=SlaPolicy)


class ProjectRulesPublic(ProjectRulesUpdate):
    """A project's rules as stored (defaults if never set)."""

    @classmethod
    def of(cls, rules: ProjectRuleSet) -> ProjectRulesPublic:
        """The document for a rule set."""
        return cls(codeowners=rules.codeowners, owners=list(rules.owners.rules), sla=rules.sla)
