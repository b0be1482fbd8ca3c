"""The OWASP ZAP importer: the traditional JSON report (``-J report.json``, template ``traditional-json``).

``site`` is an array of scanned sites, each with ``alerts``; every alert instance (``uri``, ``method``,
``param``) becomes a finding whose path is the URL: ``pluginid`` as rule, ``alert`` (or ``name``) as title,
``riskcode`` 0 to 3 as info/low/medium/high, ``confidence`` 1 to 4 (0, a false positive, is dropped), ``cweid``,
``solution`` and the first ``reference``. ``evidence`` can hold what the server leaked, so only its length is
kept. ZAP's HTML fragments (``<p>``) are stripped from texts.
"""

from __future__ import annotations

import re

from bastion.importers.report import ToolReport, load_json, validate
from bastion.model import Confidence, Finding, Location, Severity

__all__ = ["ZapImporter"]

_TAG = re.compile(r"<[^>]+>")
_RISK = {"0": Severity.INFO, "1": Severity.LOW, "2": Severity.MEDIUM, "3": Severity.HIGH}
_CONFIDENCE = {"1": Confidence.LOW, "2": Confidence.MEDIUM, "3": Confidence.HIGH, "4": Confidence.HIGH}


class _Instance(ToolReport):
    uri: str
    method: str = "GET"
    param: str = ""
    evidence: str = ""


class _Alert(ToolReport):
    pluginid: str
    alert: str | None = None
    name: str | None = None
    riskcode: str
    confidence: str = "2"
    desc: str = ""
    solution: str = ""
    reference: str = ""
    cweid: str = ""
    instances: list[_Instance] = []


class _Site(ToolReport):
    alerts: list[_Alert] = []


class _Report(ToolReport):
    site: list[_Site]


class ZapImporter:
    """Imports ZAP traditional JSON reports; registered as the ``zap`` importer."""

    name = "zap"

    def parse(self, data: bytes, *, source: str, control: str) -> list[Finding]:
        """One finding per alert instance; ``ImporterError`` naming ``source`` and the JSON path."""
        report = validate(_Report, load_json(data, source), source)
        return [
            _finding(alert, instance, control)
            for site in report.site
            for alert in site.alerts
            if alert.confidence != "0"
            for instance in alert.instances
        ]


def _plain(html: str) -> str:
    return " ".join(_TAG.sub(" ", html).split())


def _finding(alert: _Alert, instance: _Instance, control: str) -> Finding:
    title = alert.alert or alert.name or alert.pluginid
    where = f"{instance.method} {instance.uri}" + (f" (parameter {instance.param})" if instance.param else "")
    references = _plain(alert.reference).split()
    return Finding(
        control=control,
        tool="zap",
        rule_id=alert.pluginid,
        title=title,
        severity=_RISK.get(alert.riskcode, Severity.MEDIUM),
        location=Location(path=instance.uri),
        message=f"{title}: {where}",
        confidence=_CONFIDENCE.get(alert.confidence, Confidence.MEDIUM),
        cwe=(int(alert.cweid),) if alert.cweid.isdigit() and int(alert.cweid) > 0 else (),
        remediation=_plain(alert.solution),
        evidence=f"{len(instance.evidence)} characters of evidence" if instance.evidence else "",
        help_uri=references[0] if references else "",
        tags=("dast", f"method:{instance.method}", *((f"param:{instance.param}",) if instance.param else ())),
    )
