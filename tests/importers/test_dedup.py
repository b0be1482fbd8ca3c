"""The dedup rule (``store/dedup.py``) and rule families (``store/families.py``): pairs that must and must not merge."""

from __future__ import annotations

import pytest

from bastion.importers.secret import masked
from bastion.model import Finding, Location, Severity
from bastion.store.dedup import DedupIndex, normalise_purl
from bastion.store.families import families_of, normalise_rule


def _f(
    tool: str,
    rule: str,
    path: str | None = "app.py",
    line: int | None = 10,
    *,
    cwe: tuple[int, ...] = (),
    package: str | None = None,
    aliases: tuple[str, ...] = (),
    message: str = "",
) -> Finding:
    return Finding(
        control=tool,
        tool=tool,
        rule_id=rule,
        title=rule,
        severity=Severity.HIGH,
        location=Location(path=path, start_line=line, end_line=line, package=package),
        cwe=cwe,
        aliases=aliases,
        message=message,
        fingerprint=f"{tool}:{rule}:{path}:{line}:{package}",
    )


SECRET = masked("AKIA4QZ7HX2LWRTE5NBJ").describe("AWS key")

SAME = [
    (_f("bandit", "B608", line=38, cwe=(89,)), _f("semgrep", "x.sqli.formatted-sql-query", line=39)),
    (
        _f("bastion-secrets", "aws", line=18, message=SECRET),
        _f("gitleaks", "aws-access-token", line=30, message=SECRET),
    ),
    (
        _f("pip-audit", "PYSEC-2018-28", None, None, package="pkg:pypi/Requests@2.19.1", aliases=("CVE-2018-18074",)),
        _f("trivy", "CVE-2018-18074", "requirements.txt", None, package="pkg:pypi/requests@2.19.1"),
    ),
    (_f("checkov", "CKV_DOCKER_3", "Dockerfile", 1), _f("trivy", "DS-0002", "Dockerfile", None)),
    (_f("gitleaks", "generic-api-key", line=19, cwe=(798,)), _f("bandit", "B105", line=19, cwe=(259,))),
]

DIFFERENT = [
    (
        _f("gitleaks", "aws-access-token", line=18, cwe=(798,)),
        _f("trivy", "aws-secret-access-key", line=19, cwe=(798,)),
    ),
    (_f("bandit", "B608", line=38, cwe=(89,)), _f("semgrep", "x.sqli", line=48, cwe=(89,))),
    (_f("bandit", "B608", "db.py", 38, cwe=(89,)), _f("semgrep", "x.sqli", "app.py", 38, cwe=(89,))),
    (_f("bandit", "B201", line=75, cwe=(94,)), _f("semgrep", "x.bind-all-interfaces", line=75, cwe=(200,))),
    (_f("bandit", "B403", line=6, cwe=(502,)), _f("bandit", "B301", line=6, cwe=(502,))),  # same tool
    (
        _f("pip-audit", "PYSEC-2018-28", None, None, package="pkg:pypi/requests@2.19.1"),
        _f("trivy", "PYSEC-2018-28", None, None, package="pkg:pypi/requests@2.20.0"),
    ),
]


@pytest.mark.parametrize(("first", "second"), SAME)
def test_same_issue_from_two_tools_merges(first: Finding, second: Finding) -> None:
    index = DedupIndex()
    assert index.resolve(first) == first.fingerprint
    assert index.resolve(second) == first.fingerprint


@pytest.mark.parametrize(("first", "second"), DIFFERENT)
def test_different_issues_stay_apart(first: Finding, second: Finding) -> None:
    index = DedupIndex()
    index.resolve(first)
    assert index.resolve(second) == second.fingerprint


def test_a_tool_never_joins_a_finding_it_already_reports() -> None:
    index = DedupIndex()
    index.resolve(_f("bastion-secrets", "aws", line=18, message=SECRET))
    first = index.resolve(_f("gitleaks", "aws-access-token", line=18, message=SECRET))
    second = index.resolve(_f("gitleaks", "other-rule", line=18, message=SECRET))
    assert first != second


def test_rule_ids_and_purls_are_normalised() -> None:
    assert normalise_rule("DS-0002") == normalise_rule("DS002") == "ds2"
    assert "sql-injection" in families_of("B608", ())
    assert families_of("x", (1333,)) == frozenset({"cwe-1333"})
    assert normalise_purl("pkg:pypi/PyYAML@5.3?arch=x#sub") == "pkg:pypi/pyyaml@5.3"
    assert normalise_purl("pkg:pypi/zope.interface@6") == "pkg:pypi/zope-interface@6"
