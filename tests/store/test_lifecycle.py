"""The lifecycle rules on their own: deduplication and each transition, without a database."""

from __future__ import annotations

import pytest

from bastion.errors import StoreError
from bastion.model import ControlMode, ControlStatus, LifecycleState
from bastion.store.lifecycle import PreviousFinding, Transition, observe, transitions

from .conftest import RunFactory


def previous(runs: RunFactory, name: str, path: str = "app.py", control: str = "sast") -> PreviousFinding:
    finding = runs.finding(name, path=path, control=control)
    return PreviousFinding(finding.fingerprint, control, path, ControlMode.MANDATORY)


def by_rule(runs: RunFactory, result: list[Transition], *names: str) -> dict[str, tuple[LifecycleState, bool]]:
    fingerprints = {runs.finding(name).fingerprint: name for name in names}
    return {fingerprints[t.fingerprint]: (t.state, t.carried) for t in result}


def test_observed_findings_are_new_existing_or_reopened(runs: RunFactory) -> None:
    a, b, c = runs.finding("A"), runs.finding("B"), runs.finding("C")
    control = runs.control("sast", a, b, c)
    result = transitions(observe([control]), [previous(runs, "B")], {b.fingerprint, c.fingerprint}, [control])
    assert by_rule(runs, result, "A", "B", "C") == {
        "A": (LifecycleState.NEW, False),
        "B": (LifecycleState.EXISTING, False),
        "C": (LifecycleState.REOPENED, False),
    }


@pytest.mark.parametrize(
    ("status", "unanalysed", "expected"),
    [
        (ControlStatus.SUCCEEDED, (), (LifecycleState.FIXED, False)),
        (ControlStatus.SKIPPED, (), (LifecycleState.FIXED, False)),
        (ControlStatus.PARTIAL, ("other.py",), (LifecycleState.FIXED, False)),
        (ControlStatus.PARTIAL, ("app.py",), (LifecycleState.EXISTING, True)),
        (ControlStatus.ERRORED, (), (LifecycleState.EXISTING, True)),
    ],
)
def test_absent_finding_is_fixed_only_when_its_control_vouches(
    runs: RunFactory,
    status: ControlStatus,
    unanalysed: tuple[str, ...],
    expected: tuple[LifecycleState, bool],
) -> None:
    control = runs.control("sast", status=status, unanalysed=unanalysed)
    result = transitions({}, [previous(runs, "A")], set(), [control])
    assert by_rule(runs, result, "A") == {"A": expected}


def test_absent_finding_of_a_control_not_in_the_run_is_carried(runs: RunFactory) -> None:
    result = transitions({}, [previous(runs, "A")], set(), [runs.control("secrets")])
    assert by_rule(runs, result, "A") == {"A": (LifecycleState.EXISTING, True)}
    assert result[0].mode is ControlMode.MANDATORY, "the previous mode is kept"


def test_fixed_and_carried_take_the_mode_of_the_control_in_this_run(runs: RunFactory) -> None:
    control = runs.control("sast", mode=ControlMode.ADVISORY)
    result = transitions({}, [previous(runs, "A")], set(), [control])
    assert result[0].mode is ControlMode.ADVISORY


def test_observe_deduplicates_by_fingerprint_in_report_order(runs: RunFactory) -> None:
    a, b = runs.finding("A"), runs.finding("B")
    observed = observe([runs.control("sast", b, a, b), runs.control("other", a)])
    assert [o.finding.rule_id for o in observed.values()] == ["B", "A"]


def test_observe_refuses_findings_without_fingerprint(runs: RunFactory) -> None:
    a = runs.finding("A")
    object.__setattr__(a, "fingerprint", "")
    with pytest.raises(StoreError, match="has no fingerprint"):
        observe([runs.control("sast", a)])
