"""The lifecycle: each finding's state in a run, against the previous run of the same project and branch.

Pure rules, no database (``recording.py`` feeds them and writes the result):

- observed now and open in the previous run: ``existing``;
- observed now, not open in the previous run, but seen in an earlier run of the branch: ``reopened``;
- observed now and never seen on the branch: ``new``;
- open in the previous run and not observed now: ``fixed``, unless its control cannot vouch for its absence:
  the control errored, is not in this run, or could not analyse the finding's file. Then the finding is
  carried: still open (``existing``), flagged ``carried``. A control that errored never fixes anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

from bastion.errors import StoreError
from bastion.model import ControlMode, ControlResult, ControlStatus, Finding, LifecycleState

__all__ = ["Observation", "PreviousFinding", "Transition", "observe", "transitions"]


@dataclass(frozen=True, slots=True)
class Observation:
    """A finding observed in this run, once per fingerprint."""

    finding: Finding
    mode: ControlMode
    """``mandatory`` when any control that reported the fingerprint is mandatory."""


@dataclass(frozen=True, slots=True)
class PreviousFinding:
    """A finding open in the previous run."""

    fingerprint: str
    control: str
    path: str | None
    mode: ControlMode


@dataclass(frozen=True, slots=True)
class Transition:
    """A finding's state in this run."""

    fingerprint: str
    state: LifecycleState
    mode: ControlMode
    observed: bool
    """False for carried and fixed findings: this run did not report them."""

    @property
    def carried(self) -> bool:
        """Still open without being observed, because its control could not vouch for its absence."""
        return not self.observed and self.state is not LifecycleState.FIXED


def observe(controls: Iterable[ControlResult]) -> dict[str, Observation]:
    """Every finding of the run, deduplicated by fingerprint (the first report wins), in report order."""
    observed: dict[str, Observation] = {}
    mandatory = ControlMode.MANDATORY  # hoisted, as below: an import observes a hundred thousand findings
    for control in controls:
        mode = control.mode
        for finding in control.findings:
            fingerprint = finding.fingerprint
            if not fingerprint:
                raise StoreError(f"control '{control.control}': finding {finding.rule_id} has no fingerprint")
            seen = observed.get(fingerprint)
            if seen is None:
                observed[fingerprint] = Observation(finding, mode)
            elif mode is mandatory and seen.mode is not mandatory:
                observed[fingerprint] = Observation(seen.finding, mandatory)
    return observed


def _vouches_for_absence(control: ControlResult | None, path: str | None) -> bool:
    if control is None or control.status is ControlStatus.ERRORED:
        return False
    return path is None or all(item.path != path for item in control.unanalysed)


def transitions(
    observed: Mapping[str, Observation],
    previous_open: Sequence[PreviousFinding],
    seen_before: Set[str],
    controls: Sequence[ControlResult],
) -> list[Transition]:
    """The state of every finding observed now or open before: observed ones first, in report order.

    ``seen_before`` holds the fingerprints on any earlier run of the branch (open or fixed there).
    """
    by_control = {control.control: control for control in controls}
    open_before = {previous.fingerprint for previous in previous_open}
    result: list[Transition] = []
    existing, reopened, new = LifecycleState.EXISTING, LifecycleState.REOPENED, LifecycleState.NEW
    add = result.append
    for fingerprint, observation in observed.items():
        if fingerprint in open_before:
            state = existing
        elif fingerprint in seen_before:
            state = reopened
        else:
            state = new
        add(Transition(fingerprint, state, observation.mode, True))  # observed
    for previous in previous_open:
        if previous.fingerprint in observed:
            continue
        control = by_control.get(previous.control)
        mode = control.mode if control is not None else previous.mode
        fixed = _vouches_for_absence(control, previous.path)
        state = LifecycleState.FIXED if fixed else LifecycleState.EXISTING
        result.append(Transition(previous.fingerprint, state, mode, observed=False))
    return result
