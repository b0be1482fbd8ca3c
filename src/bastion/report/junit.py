"""The JUnit report: a run as JUnit XML, so any CI shows each control and finding as a test.

Mapping:

* One ``<testsuite>`` per control (named by the control's id), in the run's order, with the control's stage,
  mode, scanner and status as ``<properties>``.
* Each suite opens with an ``execution`` test case: ``<error>`` when the control errored, ``<skipped>``
  when it did not apply, passing otherwise (files a partial control could not analyse go in
  ``<system-out>``), so CI shows that every control ran, including one with no finding.
* One test case per open finding. It fails (``<failure>``) exactly when the gate blocked on it, that is when a
  ``block`` reason of the decision names its id; any other open finding passes, with its details and any
  ``warn`` reason in ``<system-out>``. So the JUnit failures are the findings that fail the pipeline, no more.
  Fixed findings are not test cases.
* A last suite, ``gate``, has one test case per decision reason (``block`` ones fail) or a single passing one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from bastion.model import (
    ControlResult,
    ControlStatus,
    Outcome,
    Reason,
    RunReport,
    TrackedFinding,
)
from bastion.report.order import ordered
from bastion.report.timestamp import utc_timestamp

__all__ = ["render_junit"]

# Characters XML 1.0 cannot carry at all, even escaped: tool output sometimes has ANSI escapes or NULs.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Set first so that the counts come right after the name in every element; filled in by ``_count``.
_COUNTS = dict.fromkeys(("tests", "failures", "errors", "skipped"), "0")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render_junit(report: RunReport) -> str:
    """The JUnit XML report as text, with an XML declaration, indented."""
    blocking: dict[str, list[Reason]] = defaultdict(list)
    warning: dict[str, list[Reason]] = defaultdict(list)
    for reason in report.decision.reasons:
        target = blocking if reason.outcome is Outcome.BLOCK else warning
        for finding_id in reason.finding_ids:
            target[finding_id].append(reason)
    by_control: dict[str, list[TrackedFinding]] = defaultdict(list)
    for tracked in ordered(report.open_findings):
        by_control[tracked.finding.control].append(tracked)

    root = ET.Element("testsuites", {"name": _clean(f"bastion {report.record.project}"), **_COUNTS})
    controls = {control.control: control for control in report.record.controls}
    for control_id in [*controls, *sorted(set(by_control) - set(controls))]:
        suite = _suite(root, control_id, controls.get(control_id))
        for tracked in by_control.get(control_id, []):
            _finding_case(suite, tracked, blocking.get(tracked.finding.id, []), warning.get(tracked.finding.id, []))
    _gate_suite(root, report)
    _count(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(root: ET.Element, control_id: str, control: ControlResult | None) -> ET.Element:
    suite = ET.SubElement(root, "testsuite", {"name": _clean(control_id), **_COUNTS})
    if control is None:
        return suite
    suite.set("time", f"{control.duration_s:.3f}")
    suite.set("timestamp", utc_timestamp(control.started_at))
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("stage", control.stage.value),
        ("mode", control.mode.value),
        ("uses", control.uses),
        ("status", control.status.value),
        ("files_scanned", str(control.files_scanned)),
    ):
        ET.SubElement(properties, "property", name=name, value=_clean(value))
    case = ET.SubElement(
        suite, "testcase", classname=_clean(control_id), name="execution", time=f"{control.duration_s:.3f}"
    )
    reason = _clean(control.reason)
    if control.status is ControlStatus.ERRORED:
        ET.SubElement(case, "error", type="errored", message=reason or "control errored").text = reason
    elif control.status is ControlStatus.SKIPPED:
        ET.SubElement(case, "skipped", message=reason or "control did not apply")
    elif control.unanalysed:
        lines = [f"{item.path}: not analysed: {item.reason}" for item in control.unanalysed]
        ET.SubElement(case, "system-out").text = _clean("\n".join([f"partial: {reason}", *lines]))
    return suite


def _finding_case(
    suite: ET.Element, tracked: TrackedFinding, blocked_by: list[Reason], warned_by: list[Reason]
) -> None:
    finding = tracked.finding
    where = finding.location.describe()
    case = ET.SubElement(
        suite,
        "testcase",
        classname=_clean(f"{finding.control}.{finding.tool}"),
        name=_clean(f"{finding.rule_id} {where} [{finding.id}]"),
    )
    details = [
        f"{finding.severity.value} {finding.rule_id}: {finding.title}",
        f"id: {finding.id}  state: {tracked.state.value}  location: {where}",
    ]
    details += [text for text in (finding.message, finding.evidence, finding.remediation, finding.help_uri) if text]
    details += [f"{r.outcome.value}: {r.rule}: {r.message}" for r in [*blocked_by, *warned_by]]
    body = _clean("\n".join(details))
    if blocked_by:
        message = _clean(f"{finding.severity.value} {finding.rule_id}: {finding.title}")
        ET.SubElement(case, "failure", type=_clean(finding.rule_id), message=message).text = body
    else:
        ET.SubElement(case, "system-out").text = body


def _gate_suite(root: ET.Element, report: RunReport) -> None:
    decision = report.decision
    suite = ET.SubElement(root, "testsuite", {"name": "gate", **_COUNTS})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="outcome", value=decision.outcome.value)
    ET.SubElement(properties, "property", name="policy", value=_clean(decision.policy))
    if not decision.reasons:
        ET.SubElement(suite, "testcase", classname="gate", name=f"decision: {decision.outcome.value}")
    for reason in decision.reasons:
        name = reason.rule if reason.control is None else f"{reason.rule} ({reason.control})"
        case = ET.SubElement(suite, "testcase", classname="gate", name=_clean(name))
        text = _clean(" ".join([reason.message, *reason.finding_ids]))
        if reason.outcome is Outcome.BLOCK:
            ET.SubElement(case, "failure", type=_clean(reason.rule), message=_clean(reason.message)).text = text
        else:
            ET.SubElement(case, "system-out").text = f"{reason.outcome.value}: {text}"


def _count(root: ET.Element) -> None:
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(1 for case in cases if case.find("failure") is not None),
            "errors": sum(1 for case in cases if case.find("error") is not None),
            "skipped": sum(1 for case in cases if case.find("skipped") is not None),
        }
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
