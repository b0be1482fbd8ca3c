"""``/projects``, ``/projects/{project}/rules`` and ``/runs``: what is tracked, its owner rules and SLAs, its runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from bastion.server.deps import CurrentPrincipal, StoreDep
from bastion.server.schemas.projects import ProjectPublic, ProjectRulesPublic, ProjectRulesUpdate, RunPublic
from bastion.store.owners import OwnerRules
from bastion.store.project_rules import ProjectRules, ProjectRuleSet
from bastion.store.projects import list_projects
from bastion.store.tokens import Role

__all__ = ["ProjectName", "router"]

router = APIRouter(tags=["projects"])

ProjectName = Annotated[str, Path(min_length=1, max_length=200, description="The project's name.")]


@router.get("/projects", summary="Projects the token may see")
def projects(store: StoreDep, principal: CurrentPrincipal) -> list[ProjectPublic]:
    """Every project visible to the token, by name."""
    return [ProjectPublic(name=p.name, created_at=p.created_at) for p in list_projects(store, principal.visible)]


@router.get("/projects/{project}/rules", summary="A project's owner rules and SLA policy")
def get_rules(project: ProjectName, store: StoreDep, principal: CurrentPrincipal) -> ProjectRulesPublic:
    """The stored CODEOWNERS, owner rules and SLA policy (defaults if never set)."""
    principal.require(project, Role.VIEWER)
    return ProjectRulesPublic.of(ProjectRules(store).get(project))


@router.put("/projects/{project}/rules", summary="Replace a project's owner rules and SLA policy (admin)")
def put_rules(
    project: ProjectName, body: ProjectRulesUpdate, store: StoreDep, principal: CurrentPrincipal
) -> ProjectRulesPublic:
    """Replace the rules; owners and due dates of every finding follow at once."""
    principal.require(project, Role.ADMIN)
    rules = ProjectRuleSet(codeowners=body.codeowners, owners=OwnerRules(rules=body.owners), sla=body.sla)
    return ProjectRulesPublic.of(ProjectRules(store).set(project, rules, principal.name))


@router.get("/runs", summary="Recorded runs, newest first")
def runs(
    store: StoreDep,
    principal: CurrentPrincipal,
    project: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> list[RunPublic]:
    """The latest runs of one project, or of every project the token may see."""
    if project is not None:
        principal.require(project, Role.VIEWER)
    elif not principal.is_global:
        project = principal.token.project
    return [RunPublic.of(run) for run in store.list_runs(project, limit)]
