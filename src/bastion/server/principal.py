"""The principal: who is calling (an API token's holder) and what each role may do on a project.

| action | viewer | developer | security | admin |
| --- | --- | --- | --- | --- |
| read projects, runs, findings, triage history | yes | yes | yes | yes |
| triage to open, confirmed, mitigated, fixed | - | yes | yes | yes |
| triage to accepted_risk | - | not on findings they own | yes | yes |
| triage to false_positive | - | - | yes | yes |
| read the project's audit entries; add and remove policy exceptions | - | - | yes | yes |
| import reports | - | yes | yes | yes |
| set owner rules and SLA policy; create, list, revoke tokens | - | - | - | yes |

Tokens for project ``*`` hold their role on every project; only they may import exploit signals (security) or
verify the whole audit chain and create other ``*`` tokens (admin).
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.model.triage import TriageState
from bastion.store.tokens import ALL_PROJECTS, Role, TokenInfo
from bastion.store.worklist import owner_matches

__all__ = ["TRIAGE_ROLE", "AccessDeniedError", "Principal"]

TRIAGE_ROLE: dict[TriageState, Role] = {
    TriageState.OPEN: Role.DEVELOPER,
    TriageState.CONFIRMED: Role.DEVELOPER,
    TriageState.MITIGATED: Role.DEVELOPER,
    TriageState.FIXED: Role.DEVELOPER,
    TriageState.ACCEPTED_RISK: Role.DEVELOPER,
    TriageState.FALSE_POSITIVE: Role.SECURITY,
}
"""The least role that may set each triage state (a developer's acceptances are further limited)."""


class AccessDeniedError(Exception):
    """The principal's role does not allow the action (HTTP 403)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller."""

    token: TokenInfo

    @property
    def name(self) -> str:
        """The actor recorded in triage and the audit log."""
        return self.token.name

    @property
    def is_global(self) -> bool:
        """True for a token valid on every project."""
        return self.token.project == ALL_PROJECTS

    @property
    def visible(self) -> frozenset[str] | None:
        """The projects this principal may read (``None``: all)."""
        return None if self.is_global else frozenset({self.token.project})

    def require(self, project: str, role: Role) -> None:
        """``AccessDeniedError`` unless the principal holds ``role`` or better on ``project``."""
        held = self.token.role_on(project)
        if held is None or not held.at_least(role):
            raise AccessDeniedError(f"{self.name} needs the {role.value} role on project '{project}'")

    def require_global(self, role: Role) -> None:
        """``AccessDeniedError`` unless the principal holds ``role`` or better on every project."""
        if not self.is_global or not self.token.role.at_least(role):
            raise AccessDeniedError(f"{self.name} needs the {role.value} role on every project ('*')")

    def require_triage(self, project: str, state: TriageState, owners: tuple[str, ...], approver: str | None) -> None:
        """``AccessDeniedError`` unless the principal may move a finding with ``owners`` to ``state``."""
        self.require(project, TRIAGE_ROLE[state])
        role = self.token.role_on(project)
        if state is TriageState.ACCEPTED_RISK and role is Role.DEVELOPER:
            if owner_matches(self.name, owners):
                raise AccessDeniedError(f"{self.name} owns this finding and cannot accept its risk")
            if approver is not None and owner_matches(self.name, (approver,)):
                raise AccessDeniedError(f"{self.name} cannot approve their own acceptance of a risk")
