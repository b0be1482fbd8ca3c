"""The SARIF importer: real tools' logs, our own SARIF round-tripped, and one-line errors for bad files."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bastion.errors import ImporterError
from bastion.model import (
    Confidence,
    ControlMode,
    ControlResult,
    ControlStatus,
    Decision,
    Finding,
    LifecycleState,
    Location,
    Outcome,
    RunRecord,
    RunReport,
    Severity,
    Stage,
    TrackedFinding,
    fingerprint_of,
)
from bastion.report import render_sarif
from bastion.scanners import Importer, load_importer, sarif_log
from bastion.scanners.sarif import SarifImporter
from bastion.scanners.sarif_log import decode_checked, decode_fast

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "sarif"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def _asset(name: str) -> bytes:
    return (ASSETS / name).read_bytes()


def _parse(name: str) -> list[Finding]:
    return list(SarifImporter().parse(_asset(name), source=name, control="imported"))


def _finding(tool: str, rule_id: str, severity: Severity, location: Location, **extra: object) -> Finding:
    made = Finding(
        control="sast",
        tool=tool,
        rule_id=rule_id,
        title=f"{rule_id} title",
        severity=severity,
        location=location,
        message=f"{rule_id} at {location.describe()}",
        **extra,
    )  # type: ignore[arg-type]
    return replace(
        made, fingerprint=fingerprint_of(tool, rule_id, location.path, location.package, location.start_line)
    )


def _report(findings: list[Finding]) -> RunReport:
    control = ControlResult(
        control="sast",
        stage=Stage.CODE,
        uses="sast",
        mode=ControlMode.MANDATORY,
        status=ControlStatus.SUCCEEDED,
        started_at=NOW,
        duration_s=1.0,
        findings=tuple(findings),
    )
    record = RunRecord(
        project="acme/shop", branch="main", commit=None, started_at=NOW, finished_at=NOW, controls=(control,)
    )
    tracked = tuple(
        TrackedFinding(finding=f, state=LifecycleState.NEW, first_seen=NOW, last_seen=NOW) for f in findings
    )
    return RunReport(run_id=None, record=record, findings=tracked, decision=Decision(outcome=Outcome.PASS))


def test_sarif_importer_is_registered_under_its_entry_point() -> None:
    importer = load_importer("sarif")
    assert isinstance(importer, SarifImporter)
    assert isinstance(importer, Importer)
    assert importer.name == "sarif"


def test_import_round_trips_our_own_sarif() -> None:
    findings = [
        _finding(
            "bandit",
            "B608",
            Severity.HIGH,
            Location("src/shop/db.py", 6, 8, 5),
            cwe=(89,),
            help_uri="https://bandit.readthedocs.io/b608.html",
            remediation="Use bound parameters.",
            confidence=Confidence.LOW,
        ),
        _finding("bandit", "B324", Severity.LOW, Location("scripts dir/ünïcode.py", 3, 3)),
        _finding("bandit", "B324", Severity.MEDIUM, Location("src/shop/crypto.py", 10, 10)),
        _finding(
            "bastion-secrets",
            "aws-access-key-id",
            Severity.CRITICAL,
            Location("config/settings.py", 3, 3, 14, commit="9f2c1e0"),
            cwe=(798,),
            tags=("test-code",),
        ),
        _finding(
            "bastion-sca",
            "PYSEC-2018-28",
            Severity.MEDIUM,
            Location("requirements.txt", 4, 4, package="pkg:pypi/requests@2.19.0"),
            aliases=("CVE-2018-18074",),
        ),
        _finding("bastion-sca", "GHSA-v845-jxx5-vc9f", Severity.INFO, Location(package="pkg:pypi/urllib3@1.26.5")),
    ]
    text = render_sarif(_report(findings)).encode("utf-8")
    imported = list(SarifImporter().parse(text, source="bastion.sarif", control="imported"))

    def key(f: Finding) -> tuple[str, str, str]:
        return (f.tool, f.rule_id, f.location.path or f.location.package or "")

    assert len(imported) == len(findings)
    for original, back in zip(sorted(findings, key=key), sorted(imported, key=key), strict=True):
        assert back.control == "imported"
        assert back.location == original.location
        assert (back.tool, back.rule_id, back.severity) == (
            original.tool,
            original.rule_id,
            original.severity,
        )
        assert (back.title, back.message, back.cwe) == (original.title, original.message, original.cwe)
        assert (back.tags, back.aliases, back.confidence) == (
            original.tags,
            original.aliases,
            original.confidence,
        )
        assert back.fingerprint == ""  # the engine computes ours
    sqli = next(f for f in imported if f.rule_id == "B608")
    assert (sqli.help_uri, sqli.remediation) == (
        "https://bandit.readthedocs.io/b608.html",
        "Use bound parameters.",
    )


def test_import_reads_bandit_sarif() -> None:
    findings = _parse("bandit.levels-and-encoded-path.sarif")
    assert len(findings) == 9
    assert {f.tool for f in findings} == {"Bandit"}
    by_rule = {f.rule_id: f for f in findings}
    assert by_rule["B602"].severity is Severity.HIGH
    assert by_rule["B602"].location == Location(path="src/shop/db.py", start_line=11, end_line=11)
    assert by_rule["B608"].severity is Severity.MEDIUM
    assert by_rule["B105"].severity is Severity.LOW
    assert by_rule["B105"].location.path == "scripts dir/deploy.py"
    assert by_rule["B602"].title == "subprocess_popen_with_shell_equals_true"
    assert by_rule["B602"].confidence is Confidence.HIGH
    assert by_rule["B602"].help_uri.startswith("https://bandit.readthedocs.io/")
    assert all(f.evidence == "" for f in findings)  # snippets are never imported: they can hold secrets


def test_import_reads_semgrep_sarif_with_cwe_tags_and_srcroot() -> None:
    findings = _parse("semgrep.cwe-tags-and-srcroot.sarif")
    by_rule = {f.rule_id.rsplit(".", 1)[-1]: f for f in findings}
    sqli = by_rule["python-sql-string-format"]
    assert sqli.tool == "Semgrep OSS"
    assert sqli.severity is Severity.HIGH
    assert sqli.cwe == (89,)
    assert sqli.location == Location(path="src/shop/db.py", start_line=6, end_line=6, start_column=13)
    assert sqli.title.startswith("SQL query built with string formatting")  # not "Semgrep Finding: <id>"
    assert sqli.confidence is Confidence.HIGH
    assert by_rule["python-subprocess-shell-true"].severity is Severity.MEDIUM
    assert by_rule["python-subprocess-shell-true"].cwe == (78,)
    assert by_rule["python-weak-hash-md5"].severity is Severity.LOW


def test_import_resolves_uri_forms_rule_references_and_drops_non_problems() -> None:
    findings = _parse("uri-forms-and-rule-references.sarif")
    assert [f.location.path for f in findings] == [
        "src/app/db.py",
        "src/app/settings.py",
        "src/app/auth.py",
        "src/app/win.py",
    ]
    sqli, debug, md5, windows = findings
    assert sqli.severity is Severity.CRITICAL and sqli.cwe == (89,) and sqli.title == "SQL query built from user input"
    assert (sqli.location.start_line, sqli.location.end_line, sqli.location.start_column) == (14, 16, 9)
    assert debug.severity is Severity.LOW
    assert debug.title == "Debug mode is enabled."
    assert debug.message == "Debug flag 'DEBUG' set to True."
    assert (md5.rule_id, md5.title, md5.severity, md5.cwe) == ("CP-7", "Weak hash", Severity.HIGH, (328,))
    assert windows.severity is Severity.MEDIUM and windows.tags == ("test-code",)


def test_import_of_an_empty_runs_list_finds_nothing() -> None:
    assert _parse("empty-runs.sarif") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "invalid-json.sarif",
            "invalid-json.sarif: invalid JSON at line 8 column 1: Expecting property name",
        ),
        ("wrong-version.sarif", "wrong-version.sarif: $.version: expected '2.1.0'"),
        (
            "results-not-array.sarif",
            "results-not-array.sarif: $.runs[0].results: expected an array, got an object",
        ),
        (
            "locations-not-array.sarif",
            "locations-not-array.sarif: $.runs[0].results[3].locations: expected an array",
        ),
        (
            "rule-index-out-of-range.sarif",
            "rule-index-out-of-range.sarif: $.runs[0].results[0].ruleIndex: 7 is out",
        ),
        (
            "start-line-not-integer.sarif",
            "start-line-not-integer.sarif: $.runs[0].results[0].locations[0].physicalLocation.region"
            '.startLine: expected an integer, got the string "12"',
        ),
    ],
)
def test_bad_files_raise_one_line_errors_naming_file_and_json_path(name: str, expected: str) -> None:
    with pytest.raises(ImporterError) as caught:
        _parse(name)
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "x.sarif: invalid JSON at line 1 column 1: Expecting value"),
        (b"[]", "x.sarif: $: expected a SARIF log object, got an array"),
        (b'{"runs": []}', "x.sarif: $.version: expected '2.1.0', found none"),
        (b'{"version": "2.1.0"}', "x.sarif: $.runs: required property is missing"),
        (
            b'{"version": "2.1.0", "runs": [{"tool": {}}]}',
            "x.sarif: $.runs[0].tool.driver: required property",
        ),
        (b'{"version": "2.1.0\xff"}', "x.sarif: not UTF-8 text: bad byte at offset 18"),
        (
            b'{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": [{"message": {}}]}]}',
            "x.sarif: $.runs[0].results[0]: expected a ruleId",
        ),
        (
            b'{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": '
            b'[{"ruleId": "r", "level": "warn"}]}]}',
            "x.sarif: $.runs[0].results[0].level: ",
        ),
        (
            b'{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": '
            b'[{"ruleId": "r", "properties": {"security-severity": "severe"}}]}]}',
            "x.sarif: $.runs[0].results[0].properties.security-severity: expected a score",
        ),
    ],
)
def test_malformed_input_is_reported_on_one_line(data: bytes, expected: str) -> None:
    with pytest.raises(ImporterError) as caught:
        SarifImporter().parse(data, source="x.sarif", control="imported")
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def test_null_runs_and_results_mean_no_findings() -> None:
    empty = b'{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": null}]}'
    assert list(SarifImporter().parse(empty, source="x.sarif", control="c")) == []
    assert list(SarifImporter().parse(b'{"version": "2.1.0", "runs": null}', source="x.sarif", control="c")) == []


def _log(results: list[object], driver: dict[str, object] | None = None, **run: object) -> bytes:
    body = {"tool": {"driver": driver or {"name": "t"}}, "results": results, **run}
    return json.dumps({"version": "2.1.0", "runs": [body]}).encode()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            _log([{"ruleId": "r", "ruleIndex": True}]),
            "x.sarif: $.runs[0].results[0].ruleIndex: expected an integer, got a boolean",
        ),
        (
            _log([{"ruleId": "r", "locations": [{"physicalLocation": {"region": {"startLine": 3.0}}}]}]),
            "x.sarif: $.runs[0].results[0].locations[0].physicalLocation.region.startLine: expected an integer, "
            "got the number 3.0",
        ),
        (
            _log([{"ruleId": "r", "level": 3}]),
            "x.sarif: $.runs[0].results[0].level: input should be 'none', 'note', 'warning' or 'error', "
            "got the number 3",
        ),
        (
            _log([], {"name": "t", "rules": [{"id": "a", "messageStrings": {"not ok": {"text": 5}}}]}),
            'x.sarif: $.runs[0].tool.driver.rules[0].messageStrings["not ok"].text: expected a string, '
            "got the number 5",
        ),
        (
            _log([], {"name": "t", "rules": [{"name": "no id"}]}),
            "x.sarif: $.runs[0].tool.driver.rules[0].id: required property is missing",
        ),
        (_log([], {"name": None}), "x.sarif: $.runs[0].tool.driver.name: expected a string, got null"),
        (
            _log([{"ruleId": "r", "message": {"arguments": ["a", 1]}}]),
            "x.sarif: $.runs[0].results[0].message.arguments[1]: expected a string, got the number 1",
        ),
        (
            _log([{"ruleId": "r", "suppressions": [None]}]),
            "x.sarif: $.runs[0].results[0].suppressions[0]: expected an object, got null",
        ),
        (
            _log([], originalUriBaseIds={"SRC ROOT": {"uri": 1}}),
            'x.sarif: $.runs[0].originalUriBaseIds["SRC ROOT"].uri: expected a string, got the number 1',
        ),
        (
            b'{"version": "2.1.0", "runs": [null]}',
            "x.sarif: $.runs[0]: expected an object, got null",
        ),
        (
            b'{"version": "2.1.0", "runs": {}}',
            "x.sarif: $.runs: expected an array, got an object",
        ),
        # The first problem in the order of the schema's fields, not of the properties in the file.
        (
            _log([{"level": "bad", "ruleId": 5}]),
            "x.sarif: $.runs[0].results[0].ruleId: expected a string, got the number 5",
        ),
        # The whole log is type-checked before any result is read: a later type problem comes first.
        (
            _log([{"ruleId": "r", "ruleIndex": 1}, {"ruleId": 5}], {"name": "t", "rules": [{"id": "r"}]}),
            "x.sarif: $.runs[0].results[1].ruleId: expected a string, got the number 5",
        ),
        (
            _log(
                [{"ruleId": "r", "locations": [{"physicalLocation": {"artifactLocation": {"index": 2}}}]}],
                artifacts=[{"location": {}}],
            ),
            "x.sarif: $.runs[0].results[0].locations[0].physicalLocation.artifactLocation.index: 2 is out of "
            "range: the run has 1 artifacts",
        ),
        (
            _log([{"ruleId": "r", "rule": {"toolComponent": {"index": 1}}}]),
            "x.sarif: $.runs[0].results[0].rule.toolComponent.index: 1 is out of range: the tool has 0 extensions",
        ),
    ],
)
def test_type_problems_name_the_first_bad_field_exactly(data: bytes, expected: str) -> None:
    with pytest.raises(ImporterError) as caught:
        SarifImporter().parse(data, source="x.sarif", control="c")
    assert str(caught.value) == expected


def test_results_without_properties_take_cwes_from_taxa_and_the_rule() -> None:
    rule = {"id": "r", "properties": {"tags": ["external/cwe/cwe-89"], "precision": "very-high"}}
    taxon = {"id": "79", "toolComponent": {"name": "CWE"}}
    data = _log([{"ruleId": "r", "taxa": [taxon]}, {"ruleId": "r"}], {"name": "t", "rules": [rule]})
    with_taxon, plain = SarifImporter().parse(data, source="x.sarif", control="c")
    assert with_taxon.cwe == (79, 89)
    assert plain.cwe == (89,)
    assert plain.confidence is Confidence.HIGH and with_taxon.confidence is Confidence.HIGH


# ---- msgspec decodes the log; json.loads and the schema of sarif_schema take over on any problem -------------

_PLAIN = _log([{"ruleId": "r", "message": {"text": "m"}}])


def _findings(data: bytes) -> list[Finding]:
    return SarifImporter().parse(data, source="x.sarif", control="c")


@pytest.mark.parametrize("name", sorted(p.name for p in ASSETS.glob("*.sarif") if "invalid" not in p.name))
def test_the_fast_decode_and_the_checked_one_read_the_same_log(name: str) -> None:
    data = _asset(name)
    fast = decode_fast(data)
    try:
        checked = decode_checked(data, name)
    except ImporterError:
        assert fast is None  # what the schema rejects, msgspec rejects
    else:
        assert fast == checked


def test_duplicate_keys_keep_the_last_value_as_json_loads_does() -> None:
    # msgspec rejects the first value, a number; json.loads keeps only the last, a string.
    data = _PLAIN.replace(b'"ruleId": "r"', b'"ruleId": 5, "ruleId": "r", "level": "error", "level": "note"')
    (finding,) = _findings(data)
    assert (finding.rule_id, finding.severity) == ("r", Severity.LOW)
    with pytest.raises(ImporterError) as caught:
        _findings(_PLAIN.replace(b'"ruleId": "r"', b'"ruleId": "r", "ruleId": 5'))
    assert str(caught.value) == "x.sarif: $.runs[0].results[0].ruleId: expected a string, got the number 5"


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + _PLAIN,  # a UTF-8 byte order mark
        _PLAIN.decode().encode("utf-16"),
        _PLAIN.replace(b'{"ruleId"', b'{"score": NaN, "big": 1e400, "ruleId"'),
        _PLAIN.replace(b'{"ruleId"', b'{"note": "\\ud800", "ruleId"'),  # a lone surrogate
    ],
)
def test_what_json_loads_accepts_and_msgspec_does_not_is_still_read(data: bytes) -> None:
    assert decode_fast(data) is None
    assert _findings(data) == _findings(_PLAIN)


def test_surrogates_encoded_in_utf8_are_read_as_json_loads_reads_them() -> None:
    data = _PLAIN.replace(b'"text": "m"', b'"text": "m\xed\xa0\x80"')
    assert decode_fast(data) is None  # msgspec checks the UTF-8 of the strings it reads
    assert [f.message for f in _findings(data)] == ["m\ud800"]


def test_what_json_loads_rejects_in_fields_msgspec_skips_is_still_rejected() -> None:
    with pytest.raises(ImporterError) as caught:
        _findings(_PLAIN.replace(b'{"ruleId"', b'{"note": "\xff", "ruleId"'))
    assert str(caught.value) == "x.sarif: not UTF-8 text: bad byte at offset 88"
    deep = _PLAIN.replace(b'{"ruleId"', b'{"note": ' + b"[" * 5000 + b"]" * 5000 + b', "ruleId"')
    with pytest.raises(ImporterError, match=r"^x\.sarif: invalid JSON: nested too deeply$"):
        _findings(deep)
    with pytest.raises(ImporterError, match=r"^x\.sarif: invalid JSON: a number is too long$"):
        _findings(_PLAIN.replace(b'{"ruleId"', b'{"count": ' + b"7" * 5000 + b', "ruleId"'))


def test_huge_integers_are_read_as_json_loads_reads_them() -> None:
    region = {"startLine": 10**30, "endLine": 10**30 + 1, "startColumn": -(10**30)}
    data = _log([{"ruleId": "r", "locations": [{"physicalLocation": {"region": region}}]}])
    (finding,) = _findings(data)
    assert (finding.location.start_line, finding.location.end_line, finding.location.start_column) == (
        10**30,
        10**30 + 1,
        None,
    )


def test_a_problem_only_msgspec_sees_is_reported_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # Should the structs and the schema ever disagree, the error still names the file and the JSON path.
    monkeypatch.setattr(sarif_log, "LOG", lambda raw: None)
    with pytest.raises(ImporterError) as caught:
        _findings(_log([{"ruleId": 5}]))
    assert str(caught.value) == "x.sarif: $.runs[0].results[0].ruleId: Expected `str | null`, got `int`"
