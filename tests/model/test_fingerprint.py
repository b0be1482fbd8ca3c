"""The fingerprint survives unrelated edits and changes with the flagged code."""

from __future__ import annotations

from pathlib import Path

from bastion.engine.fingerprints import Fingerprinter
from bastion.model import Finding, Location, Severity, fingerprint_of, normalise_code

SOURCE = """import subprocess

def run(cmd):
    return subprocess.call(cmd, shell=True)

def run_again(cmd):
    return subprocess.call(cmd, shell=True)
"""


def _finding(path: str, line: int) -> Finding:
    return Finding(
        control="sast",
        tool="bandit",
        rule_id="B602",
        title="shell",
        severity=Severity.HIGH,
        location=Location(path=path, start_line=line, end_line=line),
    )


def _fingerprints(root: Path, text: str) -> list[str]:
    (root / "app.py").write_text(text)
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if "shell=True" in line]
    return [f.fingerprint for f in Fingerprinter(root).complete([_finding("app.py", n) for n in lines])]


def test_fingerprint_survives_lines_inserted_above(tmp_path: Path) -> None:
    before = _fingerprints(tmp_path, SOURCE)
    after = _fingerprints(tmp_path, "# a comment\n\n\nimport os\n" + SOURCE)
    assert before == after
    assert len(set(before)) == 2, "two identical lines in one file still get distinct fingerprints"


def test_fingerprint_survives_lines_deleted_above_and_reformatting(tmp_path: Path) -> None:
    before = _fingerprints(tmp_path, SOURCE)
    edited = SOURCE.replace("import subprocess\n", "import subprocess  # noqa\n\n\n")
    edited = edited.replace("return subprocess.call(cmd, shell=True)", "return subprocess.call( cmd,  shell=True )")
    assert _fingerprints(tmp_path, edited) == before


def test_fingerprint_changes_when_the_flagged_code_changes(tmp_path: Path) -> None:
    before = _fingerprints(tmp_path, SOURCE)
    after = _fingerprints(tmp_path, SOURCE.replace("call(cmd, shell=True)", "call(cmd + ' -v', shell=True)", 1))
    assert after[0] != before[0]
    assert after[1] == before[1]


def test_fingerprint_set_by_a_scanner_is_kept(tmp_path: Path) -> None:
    finding = Finding(
        control="secrets",
        tool="t",
        rule_id="r",
        title="t",
        severity=Severity.LOW,
        location=Location(path="x", start_line=1),
        fingerprint="f" * 64,
    )
    assert Fingerprinter(tmp_path).complete([finding]) == [finding]


def test_package_findings_are_identified_by_package_and_rule(tmp_path: Path) -> None:
    a = Finding(
        control="sca",
        tool="osv",
        rule_id="PYSEC-1",
        title="t",
        severity=Severity.LOW,
        location=Location(package="pkg:pypi/flask@0.12"),
    )
    b = Finding(
        control="sca",
        tool="osv",
        rule_id="PYSEC-2",
        title="t",
        severity=Severity.LOW,
        location=Location(package="pkg:pypi/flask@0.12"),
    )
    fa, fb = Fingerprinter(tmp_path).complete([a, b])
    assert fa.fingerprint != fb.fingerprint and len(fa.id) == 12


def test_fingerprint_parts_are_separated() -> None:
    assert fingerprint_of("ab", "c") != fingerprint_of("a", "bc")
    assert normalise_code("  x = f( a,\n b )  ") == "x=f(a,b)"
