"""Importing reports into the store: one transaction, idempotent re-import, cross-tool dedup, bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bastion.errors import ImporterError
from bastion.importers import import_report
from bastion.importers.secret import masked
from bastion.model import (
    ControlMode,
    ControlResult,
    ControlStatus,
    Finding,
    LifecycleState,
    Location,
    RunRecord,
    Severity,
    Stage,
    fingerprint_of,
)
from bastion.store import Store
from bastion.store.sources import FindingSourceRow, ImportRow, sources_of
from bastion.store.tables import FindingRow, RunRow

Sample = Callable[[str], bytes]


def _count(store: Store, table: type[object]) -> int:
    return store.read(lambda s: s.scalar(select(func.count()).select_from(table)))  # type: ignore[arg-type]


def _sources(store: Store, fingerprint: str) -> set[str]:
    return {source.tool for source in store.read(lambda s: sources_of(s, "shop", fingerprint))}


def _snapshot(store: Store) -> list[tuple[object, ...]]:
    query = select(
        FindingRow.fingerprint,
        FindingRow.severity,
        FindingRow.message,
        FindingRow.tool,
        FindingRow.path,
        FindingRow.start_line,
    ).order_by(FindingRow.fingerprint)
    return [tuple(row) for row in store.read(lambda s: s.execute(query).all())]


def test_reimport_of_the_same_report_changes_nothing(store: Store, sample: Sample) -> None:
    data = sample("bandit/shop.json")
    first = import_report(store, data, "bandit", project="shop", source="bandit.json")
    before = _snapshot(store)
    again = import_report(store, data, "bandit", project="shop", source="bandit.json")
    assert (first.findings_new, first.sources_new) == (15, 15)
    assert again.repeated and again.changed_nothing
    assert (again.findings_unchanged, again.sources_unchanged, again.reported) == (15, 15, 15)
    assert _snapshot(store) == before and _count(store, RunRow) == 1 and _count(store, ImportRow) == 1


def test_forced_reimport_records_a_run_but_changes_no_finding_or_source(store: Store, sample: Sample) -> None:
    data = sample("bandit/shop.json")
    import_report(store, data, "bandit", project="shop", source="bandit.json")
    before = _snapshot(store)
    again = import_report(store, data, "bandit", project="shop", source="bandit.json", force=True)
    assert not again.repeated and again.changed_nothing
    assert again.findings_unchanged == 15 and again.sources_unchanged == 15
    assert _snapshot(store) == before and _count(store, FindingSourceRow) == 15
    assert _count(store, RunRow) == 2
    assert {t.state for t in store.list_findings(project="shop")} == {LifecycleState.EXISTING}


def test_a_finding_missing_from_the_next_report_of_its_tool_is_fixed(store: Store, sample: Sample) -> None:
    import_report(
        store,
        sample("checkov/terraform-and-dockerfile.multi-framework.json"),
        "checkov",
        project="shop",
        source="c1.json",
    )
    import_report(
        store, sample("checkov/dockerfile.single-framework.json"), "checkov", project="shop", source="c2.json"
    )
    fixed = store.list_findings(project="shop", states={LifecycleState.FIXED})
    assert len(fixed) == 11 and {t.finding.location.path for t in fixed} == {"main.tf"}


def test_other_controls_findings_are_carried_not_fixed_by_an_import(store: Store, sample: Sample) -> None:
    import_report(store, sample("bandit/shop.json"), "bandit", project="shop", source="b.json")
    import_report(store, sample("gitleaks/dir.two-leaks.json"), "gitleaks", project="shop", source="g.json")
    assert len(store.list_findings(project="shop")) == 15 + 2 - 1  # bandit B105 on line 22 is not gitleaks'


def test_same_secret_from_gitleaks_and_trufflehog_is_one_finding(store: Store, sample: Sample) -> None:
    import_report(store, sample("gitleaks/git-history.two-leaks.json"), "gitleaks", project="shop", source="g")
    summary = import_report(
        store, sample("trufflehog/trufflehog3.history-and-tree.json"), "trufflehog", project="shop", source="t"
    )
    assert summary.findings_new == 0 and summary.findings_updated == 2 and summary.sources_new == 2
    findings = store.list_findings(project="shop")
    assert len(findings) == 2
    for tracked in findings:
        assert _sources(store, tracked.finding.fingerprint) == {"gitleaks", "trufflehog"}


def test_same_sql_injection_from_semgrep_and_bandit_is_one_finding(store: Store, sample: Sample) -> None:
    import_report(store, sample("semgrep/shop.local-rules.json"), "semgrep", project="shop", source="s")
    import_report(store, sample("bandit/shop.json"), "bandit", project="shop", source="b")
    sqli = [t.finding for t in store.list_findings(project="shop") if 89 in t.finding.cwe]
    assert len(sqli) == 2
    assert all(_sources(store, f.fingerprint) == {"semgrep", "bandit"} for f in sqli)


def test_same_vulnerable_package_from_pip_audit_and_trivy_by_advisory_alias(store: Store, sample: Sample) -> None:
    import_report(
        store,
        sample("pip-audit/requirements.vulns.formatter-with-hand-entered-advisories.json"),
        "pip-audit",
        project="shop",
        source="p",
    )
    import_report(store, sample("trivy/fs.vulnerabilities.from-schema.json"), "trivy", project="shop", source="t")
    packages = [t.finding for t in store.list_findings(project="shop") if t.finding.location.package]
    by_package = {f.location.package: f for f in packages}
    assert len(packages) == 4  # requests, pyyaml, jinja2 (pip-audit only), urllib3 (trivy only)
    requests = by_package["pkg:pypi/requests@2.19.1"]
    assert _sources(store, requests.fingerprint) == {"pip-audit", "trivy"}


def test_a_secret_found_by_bastion_and_by_gitleaks_is_one_finding(store: Store, sample: Sample) -> None:
    secret = masked("AKIA4QZ7HX2LWRTE5NBJ")
    own = Finding(
        control="secrets",
        tool="bastion-secrets",
        rule_id="aws-access-key-id",
        title="AWS access key id",
        severity=Severity.HIGH,
        location=Location(path="app.py", start_line=18, end_line=18),
        message=secret.describe("AWS access key id"),
        cwe=(798,),
        evidence=secret.preview,
        fingerprint=fingerprint_of("secrets", "aws-access-key-id", "app.py", secret.sha256),
    )
    now = datetime.now(UTC)
    control = ControlResult(
        "secrets", Stage.CODE, "secrets", ControlMode.MANDATORY, ControlStatus.SUCCEEDED, now, 0.1, findings=(own,)
    )
    store.record_run(RunRecord("shop", "main", None, now, now, (control,)))
    summary = import_report(store, sample("gitleaks/dir.two-leaks.json"), "gitleaks", project="shop", source="g")
    assert summary.findings_new == 1 and summary.findings_updated == 1
    merged = next(t.finding for t in store.list_findings(project="shop") if t.finding.tool == "bastion-secrets")
    assert merged.control == "secrets"  # the first reporter's data stays
    assert _sources(store, own.fingerprint) == {"gitleaks"}


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("gitleaks/dir.two-leaks.json", "sarif", "g.json: $: expected a SARIF log object, got an array"),
        ("bandit/shop.json", "trivy", "g.json: $.SchemaVersion: required property is missing"),
        ("gitleaks/malformed.truncated.json", "gitleaks", "g.json: invalid JSON at line"),
        ("bandit/shop.json", "gitleks", "unknown import format 'gitleks' (did you mean 'gitleaks'?); known:"),
    ],
)
def test_bad_input_is_one_line_and_imports_nothing(
    store: Store, sample: Sample, name: str, fmt: str, expected: str
) -> None:
    with pytest.raises(ImporterError) as caught:
        import_report(store, sample(name), fmt, project="shop", source="g.json")
    assert str(caught.value).startswith(expected) and "\n" not in str(caught.value)
    assert _count(store, RunRow) == 0 and _count(store, ImportRow) == 0


def test_a_report_over_the_size_limit_is_refused(store: Store, sample: Sample) -> None:
    with pytest.raises(ImporterError, match=r"^b.json: the report is \d+ bytes, over the import limit of 100 bytes"):
        import_report(store, sample("bandit/shop.json"), "bandit", project="shop", source="b.json", max_bytes=100)


def test_an_import_that_fails_while_writing_leaves_nothing(
    store: Store, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bastion.store.imports as imports

    def broken(*_args: object) -> None:
        raise ImporterError("disk full, say")

    monkeypatch.setattr(imports, "write_sources", broken)
    with pytest.raises(ImporterError):
        import_report(store, sample("bandit/shop.json"), "bandit", project="shop", source="b.json")
    assert (_count(store, RunRow), _count(store, FindingRow), _count(store, ImportRow)) == (0, 0, 0)


def test_new_blocking_findings_are_notified_after_commit(store: Store, sample: Sample) -> None:
    events: list[tuple[str, str, int]] = []
    import_report(
        store,
        sample("semgrep/shop.local-rules.json"),
        "semgrep",
        project="shop",
        source="s",
        notify=lambda event, project, found: events.append((event, project, len(found))),
    )
    assert events == [("finding.new_blocking", "shop", 3)]


def test_complete_fingerprints_copies_each_finding_as_dataclasses_replace_would() -> None:
    import dataclasses

    from bastion.importers.identity import complete_fingerprints
    from bastion.model import Confidence, Finding, Location, Severity

    finding = Finding(
        control="c",
        tool="t",
        rule_id="r",
        title="title",
        severity=Severity.HIGH,
        location=Location(path="a.py", start_line=3, end_line=4, start_column=2, commit="abc", package="pkg:x"),
        message="m",
        confidence=Confidence.LOW,
        cwe=(89,),
        aliases=("CVE-1",),
        remediation="fix",
        evidence="ev",
        help_uri="https://x",
        tags=("t1",),
    )
    first, second = complete_fingerprints([finding, finding])
    assert first == dataclasses.replace(finding, fingerprint=first.fingerprint)
    assert second == dataclasses.replace(finding, fingerprint=second.fingerprint)
    assert len({first.fingerprint, second.fingerprint}) == 2  # numbered by occurrence


def test_owned_findings_get_their_fingerprints_in_place_with_the_same_values() -> None:
    from bastion.importers.identity import complete_fingerprints
    from bastion.model import Finding, Location, Severity

    def fresh() -> list[Finding]:
        shared = Finding("c", "t", "r", "title", Severity.HIGH, Location(path="a.py", start_line=3), message="m")
        other = Finding("c", "t", "r2", "title", Severity.LOW, Location(package="pkg:pypi/x@1"), message="m2")
        return [shared, other, shared]  # one object listed twice: the second must be a copy, numbered 2

    copied = complete_fingerprints(fresh())
    given = fresh()
    owned = complete_fingerprints(given, owned=True)
    assert owned == copied
    assert owned[0] is given[0] and owned[1] is given[1]  # filled in place, not rebuilt
    assert owned[2] is not given[2] and owned[2].fingerprint != owned[0].fingerprint


def test_location_fingerprints_are_model_fingerprints_so_stored_ones_stay_valid() -> None:
    from bastion.importers.identity import complete_fingerprints
    from bastion.model import Finding, Location, Severity

    def finding(location: Location, message: str) -> Finding:
        return Finding("c", "t", "r", "title", Severity.HIGH, location, message=message)

    with_lines = finding(Location(path="a.py", start_line=3, end_line=4, start_column=2), "m")
    no_line = finding(Location(package="pkg:pypi/x@1", commit="abc"), "m2")
    first, second, third = complete_fingerprints([with_lines, with_lines, no_line])
    assert first.fingerprint == fingerprint_of("import", "t", "r", "a.py", 3, 4, 2, None, None, None, 1)
    assert second.fingerprint == fingerprint_of("import", "t", "r", "a.py", 3, 4, 2, None, None, None, 2)
    # Without a line the message tells occurrences apart.
    parts = ("import", "t", "r", None, None, None, None, "pkg:pypi/x@1", "abc", "m2", 1)
    assert third.fingerprint == fingerprint_of(*parts)


@pytest.mark.parametrize("fmt", ["gitleaks", "trivy", "zap"])
def test_a_number_too_long_for_python_is_a_one_line_error_not_a_traceback(store: Store, fmt: str) -> None:
    data = b'{"count": ' + b"7" * 5000 + b"}"
    with pytest.raises(ImporterError) as caught:
        import_report(store, data, fmt, project="p", source="huge.json")
    assert str(caught.value) == "huge.json: invalid JSON: a number is too long"


_KEEPING_PLUGIN = """
from bastion.model import Finding, Location, Severity

KEPT = [
    Finding(control="x", tool="keeper", rule_id="K1", title="kept", severity=Severity.HIGH,
            location=Location(path="a.py", start_line=n))
    for n in (1, 2)
]


class KeepingImporter:
    name = "keeping"

    def parse(self, data, *, source, control):
        return KEPT  # the same objects on every call
"""


def test_a_third_party_importers_own_findings_are_not_changed_by_an_import(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from bastion.importers import registry as importers
    from bastion.scanners import registry

    site = tmp_path / "site"
    (site / "keeping_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "keeping_plugin.py").write_text(_KEEPING_PLUGIN)
    (site / "keeping_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: keeping-plugin\nVersion: 1.0\n"
    )
    (site / "keeping_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[bastion.importers]\nkeeping = keeping_plugin:KeepingImporter\n"
    )
    monkeypatch.syspath_prepend(str(site))
    caches = (registry._entry_points, registry.load_importer, importers.importer_for)
    for cache in caches:
        cache.cache_clear()
    try:
        first = import_report(store, b"{}", "keeping", project="p", source="k.json")
        again = import_report(store, b"{}", "keeping", project="p", source="k.json", force=True)
        kept = sys.modules["keeping_plugin"].KEPT
        assert [f.fingerprint for f in kept] == ["", ""]  # the plugin's objects are as it made them
        assert (first.findings_new, again.findings_unchanged, again.sources_unchanged) == (2, 2, 2)
    finally:
        for cache in caches:
            cache.cache_clear()
        sys.modules.pop("keeping_plugin", None)
