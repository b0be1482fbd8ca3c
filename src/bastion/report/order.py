"""Listing order: how every report sorts findings, so two renders of one run are identical."""

from __future__ import annotations

from collections.abc import Iterable

from bastion.model import LifecycleState, TrackedFinding

__all__ = ["ordered"]


def _key(tracked: TrackedFinding) -> tuple[bool, int, str, str, int, str, str]:
    finding = tracked.finding
    location = finding.location
    return (
        tracked.state is LifecycleState.FIXED,
        -finding.severity.rank,
        location.path or location.package or "",
        finding.control,
        location.start_line or 0,
        finding.rule_id,
        finding.fingerprint,
    )


def ordered(findings: Iterable[TrackedFinding]) -> list[TrackedFinding]:
    """Open findings before fixed ones, worst severity first, then by place, line, rule and fingerprint."""
    return sorted(findings, key=_key)
