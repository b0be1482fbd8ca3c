"""Owners: who answers for a finding, from the repository's CODEOWNERS or from ``owners:`` rules in ``bastion.yml``.

CODEOWNERS is read as GitHub reads it (https://docs.github.com/en/repositories/managing-your-repositorys-settings-
and-features/customizing-your-repository/about-code-owners): ``pattern owner...`` lines, the **last** matching
line wins, a line without owners leaves its paths unowned, ``*`` does not cross ``/`` (``docs/*`` owns
``docs/a.md`` but not ``docs/x/a.md``), a pattern naming a directory owns everything below it, and a pattern
without a slash (other than a trailing one) matches at any depth. ``!`` negation and ``[ ]`` ranges are not
supported by GitHub, so such lines are skipped.

``bastion.yml`` rules can also match findings that have no path (a vulnerable package, a secret in history):
each names an owner and any of ``paths`` (CODEOWNERS patterns), ``controls``, ``packages`` (shell globs on the
package URL); all given criteria must match, the last matching rule wins, and a matching rule beats CODEOWNERS.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from bastion.model import Finding

__all__ = ["CodeOwners", "OwnerResolver", "OwnerRule", "OwnerRules", "parse_codeowners"]


def _translate(pattern: str) -> re.Pattern[str]:
    anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    parts: list[str] = []
    i = 0
    while i < len(body):
        if body.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            parts.append(".*")
            i += 2
        elif body[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif body[i] == "?":
            parts.append("[^/]")
            i += 1
        else:
            parts.append(re.escape(body[i]))
            i += 1
    last = body.rsplit("/", 1)[-1]
    # GitHub: a trailing single-star segment owns files directly inside, not nested ones.
    subtree = "" if ("*" in last and not last.endswith("**")) else "(?:/.*)?"
    return re.compile(("^" if anchored else "^(?:.*/)?") + "".join(parts) + subtree + "$")


@dataclass(frozen=True, slots=True)
class _Line:
    pattern: re.Pattern[str]
    owners: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CodeOwners:
    """A parsed CODEOWNERS file."""

    lines: tuple[_Line, ...]

    def owners_of(self, path: str) -> tuple[str, ...] | None:
        """The owners of ``path`` by the last matching line; ``None`` when no line matches."""
        clean = path[2:] if path.startswith("./") else path.lstrip("/")
        for line in reversed(self.lines):
            if line.pattern.match(clean):
                return line.owners
        return None


def parse_codeowners(text: str) -> CodeOwners:
    """Parse CODEOWNERS text; lines GitHub would reject are skipped."""
    lines: list[_Line] = []
    for raw in text.splitlines():
        content = raw.split(" #", 1)[0].strip()
        if not content or content.startswith("#"):
            continue
        pattern, *owners = content.split()
        if pattern.startswith("!") or "[" in pattern:
            continue
        lines.append(_Line(_translate(pattern.replace("\\#", "#")), tuple(owners)))
    return CodeOwners(tuple(lines))


class OwnerRule(BaseModel):
    """One ``owners:`` rule of ``bastion.yml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    owner: str = Field(min_length=1, max_length=200, description="The owner: @user, @org/team or an e-mail.")
    paths: list[str] = Field(default_factory=list, description="CODEOWNERS patterns the finding's path matches.")
    controls: list[str] = Field(default_factory=list, description="Controls that reported the finding.")
    packages: list[str] = Field(default_factory=list, description="Shell globs on the finding's package URL.")


class OwnerRules(BaseModel):
    """The ``owners:`` section of ``bastion.yml``: a list of rules, the last match winning."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[OwnerRule] = Field(default_factory=list, max_length=1000)


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    owner: str
    paths: tuple[re.Pattern[str], ...]
    controls: frozenset[str]
    packages: tuple[str, ...]

    def matches(self, path: str | None, control: str, package: str | None) -> bool:
        if self.paths and not (path and any(p.match(path) for p in self.paths)):
            return False
        if self.controls and control not in self.controls:
            return False
        return not self.packages or bool(package and any(fnmatch.fnmatchcase(package, g) for g in self.packages))


class OwnerResolver:
    """Finds the owners of findings from ``bastion.yml`` rules, then CODEOWNERS."""

    def __init__(self, codeowners: str = "", rules: OwnerRules | None = None) -> None:
        self._codeowners = parse_codeowners(codeowners)
        self._rules = tuple(
            _CompiledRule(
                rule.owner,
                tuple(_translate(p) for p in rule.paths),
                frozenset(rule.controls),
                tuple(rule.packages),
            )
            for rule in (rules.rules if rules is not None else [])
        )

    def owners_of(self, finding: Finding) -> tuple[str, ...]:
        """The finding's owners (empty when nobody owns it)."""
        return self.owners_at(finding.location.path, finding.control, finding.location.package)

    def owners_at(self, path: str | None, control: str, package: str | None) -> tuple[str, ...]:
        """The owners of a finding at ``path`` (or ``package``) reported by ``control``."""
        for rule in reversed(self._rules):
            if rule.matches(path, control, package):
                return (rule.owner,)
        if path is None:
            return ()
        return self._codeowners.owners_of(path) or ()
