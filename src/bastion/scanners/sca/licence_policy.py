"""The licence policy: allow, deny and review lists of SPDX ids, applied to every package's licence.

A package is denied when its expression cannot be satisfied without a denied licence (``MIT OR GPL-3.0-only``
with GPL denied is fine, ``MIT AND GPL-3.0-only`` is not); it needs review when it names a licence on the review
list, or, when an allow list is given, one outside it; an unknown licence is reviewed when
``unknown: review``. Matching is by SPDX id; ``-or-later`` and ``-only`` are distinct ids, so list both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from bastion.model import Confidence, Finding, Location, Severity, fingerprint_of
from bastion.scanners.sca.licences import licence_ids
from bastion.scanners.sca.package import Package

__all__ = ["LicencePolicy", "LicenceVerdict", "judge_licence", "licence_findings"]


class LicenceVerdict(StrEnum):
    """What the policy says about one package's licence."""

    ALLOWED = "allowed"
    DENIED = "denied"
    REVIEW = "review"


class LicencePolicy(BaseModel):
    """The ``licences:`` options of the ``sca`` control in ``bastion.yml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allow: list[str] = Field(default_factory=list)
    """Licences accepted; when non-empty, anything else needs review."""
    deny: list[str] = Field(default_factory=list)
    """Licences never accepted (``AGPL-3.0-only`` for a distributed product)."""
    review: list[str] = Field(default_factory=list)
    """Licences accepted only after someone looks."""
    unknown: LicenceVerdict = LicenceVerdict.ALLOWED
    """What to do with packages whose licence is not recorded."""
    include_dev: bool = False
    """Judge development dependencies too (they are usually not distributed)."""


def _alternatives(expression: str) -> list[set[str]]:
    """The sets of licences one may choose between: ``A OR (B AND C)`` gives ``[{A}, {B, C}]``."""
    flat = expression.replace("(", " ").replace(")", " ")
    return [licence_ids(part) for part in re.split(r"\s+OR\s+", flat)]


def judge_licence(policy: LicencePolicy, expression: str | None) -> tuple[LicenceVerdict, str]:
    """The verdict for an expression and the licence that decided it."""
    if not expression:
        return policy.unknown, "unknown"
    deny, review, allow = set(policy.deny), set(policy.review), set(policy.allow)
    choices = _alternatives(expression)
    acceptable = [c for c in choices if not c & deny]
    if not acceptable:
        return LicenceVerdict.DENIED, sorted(choices[0] & deny)[0]
    clean = [c for c in acceptable if not c & review and (not allow or c <= allow)]
    if clean:
        return LicenceVerdict.ALLOWED, expression
    first = acceptable[0]
    culprit = sorted((first & review) or (first - allow) or first)[0]
    return LicenceVerdict.REVIEW, culprit


def licence_findings(policy: LicencePolicy, packages: list[Package], *, control: str) -> Iterator[Finding]:
    """A finding for every package whose licence is denied or needs review."""
    for package in packages:
        if package.scope.value == "dev" and not policy.include_dev:
            continue
        verdict, culprit = judge_licence(policy, package.licence)
        if verdict is LicenceVerdict.ALLOWED:
            continue
        denied = verdict is LicenceVerdict.DENIED
        yield Finding(
            control=control,
            tool="bastion-sca",
            rule_id=f"licence-{verdict.value}",
            title=f"Licence {culprit} is {'denied' if denied else 'to be reviewed'} by policy",
            severity=Severity.HIGH if denied else Severity.LOW,
            location=Location(path=package.source, start_line=package.line, package=package.purl),
            message=f"{package.name} {package.version} is licensed {package.licence or 'with no recorded licence'}",
            confidence=Confidence.HIGH if package.licence else Confidence.LOW,
            remediation="replace the dependency or record an approved exception" if denied else "review the licence",
            evidence=package.licence or "",
            fingerprint=fingerprint_of("sca-licence", package.source, package.ecosystem.value, package.key, culprit),
            tags=(*package.tags, "licence"),
        )
