"""The bandit ``sast`` scanner, run for real on examples/shop and on small repositories built from assets."""

from __future__ import annotations

import logging
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import ValidationError

from bastion.errors import ScannerError
from bastion.model import Confidence, Finding, Severity
from bastion.scanners import Scanner, ScanTarget, load_scanner
from bastion.scanners.bandit import BanditOptions, BanditScanner
from bastion.scanners.bandit.issue import mask_literals

REPO = Path(__file__).resolve().parents[2]
SHOP = REPO / "examples" / "shop"
SHOP_FILES = ["Dockerfile", "README.md", "app.py", "bastion.yml", "db.py", "requirements.txt"]
ASSETS = REPO / "tests" / "assets" / "bandit"


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` containing ``needle``."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def scan(root: Path, files: list[str], **options: object) -> tuple[list[Finding], ScanTarget]:
    target = ScanTarget(root=root, files=files, control="sast")
    findings = list(BanditScanner().scan(target, BanditOptions.model_validate(options)))
    return findings, target


def repo_from_assets(tmp_path: Path, layout: dict[str, str]) -> tuple[Path, list[str]]:
    """A repository in ``tmp_path``: each relative path gets a copy of the named asset."""
    for rel, asset in layout.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ASSETS / asset, tmp_path / rel)
    return tmp_path, sorted(layout)


@pytest.fixture(scope="module")
def shop_findings() -> list[Finding]:
    findings, target = scan(SHOP, SHOP_FILES)
    assert target.unanalysed == []
    return findings


@pytest.mark.parametrize(
    ("rules", "path", "needle"),
    [
        ({"B608"}, "db.py", 'query = "SELECT name, is_admin FROM users'),
        ({"B608"}, "db.py", 'conn.execute(f"SELECT id, item, qty'),
        ({"B602", "B605"}, "app.py", 'subprocess.check_output("ping -c 1 " + host, shell=True)'),
        ({"B324"}, "db.py", "hashlib.md5("),
        ({"B201"}, "app.py", "app.run("),
        ({"B506"}, "app.py", "yaml.load("),
        ({"B301"}, "app.py", "pickle.loads("),
        ({"B403"}, "app.py", "import pickle"),
        ({"B105"}, "app.py", "ADMIN_PASSWORD = "),
        ({"B105"}, "app.py", "AWS_SECRET_ACCESS_KEY = "),
    ],
)
def test_bandit_finds_each_planted_vulnerability_of_the_shop_at_its_line(
    shop_findings: list[Finding], rules: set[str], path: str, needle: str
) -> None:
    line = line_of(SHOP / path, needle)
    hits = [f for f in shop_findings if f.rule_id in rules and f.location.path == path]
    assert line in [f.location.start_line for f in hits], (line, [f.location for f in hits])


def test_shop_findings_carry_bandit_metadata(shop_findings: list[Finding]) -> None:
    shell = next(f for f in shop_findings if f.rule_id == "B602")
    assert shell.tool == "bandit"
    assert shell.control == "sast"
    assert shell.title == "subprocess_popen_with_shell_equals_true"
    assert shell.severity is Severity.HIGH
    assert shell.confidence is Confidence.HIGH
    assert shell.cwe == (78,)
    assert shell.location.start_column == 14  # "output = " is 9 characters, then 4 of indent
    assert shell.help_uri.startswith("https://bandit.readthedocs.io/")
    assert "b602" in shell.help_uri
    assert "shell=True" in shell.remediation
    assert shell.evidence == 'output = subprocess.check_output("ping -c 1 " + host, shell=True)'
    assert shell.fingerprint == ""
    sqli = next(f for f in shop_findings if f.rule_id == "B608")
    assert sqli.cwe == (89,)
    assert "parameterised" in sqli.remediation
    pickle_import = next(f for f in shop_findings if f.rule_id == "B403")
    assert pickle_import.title == "import_pickle"


def test_multi_line_statement_is_located_at_the_line_bandit_points_at(shop_findings: list[Finding]) -> None:
    tls = next(f for f in shop_findings if f.rule_id == "B501")
    assert tls.location.start_line == line_of(SHOP / "app.py", "verify=False")
    assert tls.location.end_line is not None and tls.location.end_line >= tls.location.start_line
    assert tls.evidence == "verify=False,"


def test_hard_coded_passwords_are_masked_in_evidence_and_message(shop_findings: list[Finding]) -> None:
    admin = next(f for f in shop_findings if f.rule_id == "B105" and "ADMIN_PASSWORD" in f.evidence)
    assert admin.evidence == 'ADMIN_PASSWORD = "Sh0p…"'
    assert "Sh0pAdmin" not in admin.message
    assert admin.message.endswith("'Sh0p…'")


def test_all_three_password_rules_mask_their_literals(tmp_path: Path) -> None:
    root, files = repo_from_assets(tmp_path, {"creds.py": "hardcoded-passwords.py.txt"})
    findings, _ = scan(root, files)
    by_rule = {f.rule_id: f for f in findings}
    assert {"B105", "B106", "B107"} <= set(by_rule)
    for secret in ("correct-horse-battery", "tr0ub4dor&3", "hunter2hunter2"):
        for finding in by_rule.values():
            assert secret not in finding.evidence + finding.message
    assert by_rule["B105"].evidence == 'DB_PASSWORD = "corr…"'


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ('password = "hunter2secret"', 'password = "hunt…"'),
        ("token='abc'", "token='a…'"),
        ('empty = ""', 'empty = ""'),
        ('f(password="a\\"bcdefg", user="bob")', 'f(password="a\\"b…", user="b…")'),
        ('PASSWORD = """multi-line-start', 'PASSWORD = """mult…'),
        ("no literal here", "no literal here"),
    ],
)
def test_mask_literals(text: str, masked: str) -> None:
    assert mask_literals(text) == masked


@pytest.mark.parametrize(
    "layout",
    [
        {"pkg/new_alias.py": "pep695-type-alias.py.txt"},
        {"pkg/generic.py": "pep695-generic-function.py.txt"},
        {"broken.py": "syntax-error.py.txt"},
    ],
)
def test_files_bandit_cannot_parse_are_reported_not_analysed(tmp_path: Path, layout: dict[str, str]) -> None:
    root, files = repo_from_assets(tmp_path, {**layout, "ok/shell.py": "pep695-type-alias.py.txt"})
    (root / "ok" / "shell.py").write_text('import subprocess\nsubprocess.call("ls", shell=True)\n')
    findings, target = scan(root, files)
    (bad,) = layout
    assert [u.path for u in target.unanalysed] == [bad]
    assert "cannot parse" in target.unanalysed[0].reason
    assert "(line " in target.unanalysed[0].reason
    # the unparsable file hides nothing else: the good file is still scanned
    assert {f.location.path for f in findings} == {"ok/shell.py"}


def test_a_selected_python_file_that_vanished_is_reported(tmp_path: Path) -> None:
    findings, target = scan(tmp_path, ["gone.py"])
    assert findings == []
    assert [u.path for u in target.unanalysed] == ["gone.py"]


def test_only_python_files_are_given_to_bandit(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("def broken(:\n")
    (tmp_path / "stub.pyi").write_text("import pickle\n")
    findings, target = scan(tmp_path, ["notes.txt", "stub.pyi"])
    assert target.unanalysed == []
    assert [(f.rule_id, f.location.path) for f in findings] == [("B403", "stub.pyi")]
    assert BanditScanner().applies_to(tmp_path, ["stub.pyi"])
    assert not BanditScanner().applies_to(tmp_path, ["notes.txt", "Dockerfile"])


def test_severity_threshold_filters(shop_findings: list[Finding]) -> None:
    findings, _ = scan(SHOP, SHOP_FILES, severity="high")
    assert findings
    assert all(f.severity is Severity.HIGH for f in findings)
    assert {f.rule_id for f in findings} == {f.rule_id for f in shop_findings if f.severity is Severity.HIGH}
    assert "B608" not in {f.rule_id for f in findings}


def test_confidence_threshold_filters() -> None:
    findings, _ = scan(SHOP, SHOP_FILES, confidence="medium")
    assert findings
    assert all(f.confidence in (Confidence.MEDIUM, Confidence.HIGH) for f in findings)
    sqli = [f for f in findings if f.rule_id == "B608"]
    assert [f.location.start_line for f in sqli] == [line_of(SHOP / "db.py", 'conn.execute(f"SELECT')]


def test_skip_and_tests_choose_the_bandit_tests_that_run(shop_findings: list[Finding]) -> None:
    skipped, _ = scan(SHOP, SHOP_FILES, skip=["B608", "b105"])
    assert {f.rule_id for f in skipped} == {f.rule_id for f in shop_findings} - {"B608", "B105"}
    only, _ = scan(SHOP, SHOP_FILES, tests=["B602", "B301"])
    assert {f.rule_id for f in only} == {"B602", "B301"}


def test_unknown_bandit_test_id_is_a_scanner_error() -> None:
    with pytest.raises(ScannerError, match="unknown bandit test id 'B999' in 'skip'"):
        scan(SHOP, SHOP_FILES, skip=["B999"])


@pytest.mark.parametrize(
    "options",
    [
        {"severty": "high"},
        {"severity": "critical"},
        {"skip": ["shell"]},
        {"skip": ["B101"], "tests": ["B101"]},
    ],
)
def test_invalid_options_fail_validation(options: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        BanditOptions.model_validate(options)


def test_sast_entry_point_loads_a_bandit_scanner() -> None:
    scanner = load_scanner("sast")
    assert isinstance(scanner, BanditScanner)
    assert isinstance(scanner, Scanner)
    assert scanner.name == "sast"
    assert scanner.options_model is BanditOptions


def test_bandit_stays_quiet_even_with_debug_logging(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for n in range(60):  # over bandit's progress-bar threshold of 50 files
        # a nosec comment on a clean line makes bandit log a warning
        (tmp_path / f"m{n}.py").write_text("import pickle\nx = 1  # nosec B602\n")
    (tmp_path / "broken.py").write_text("def broken(:\n")
    findings, target = scan(tmp_path, sorted(p.name for p in tmp_path.iterdir()))
    assert len(findings) == 60
    assert [u.path for u in target.unanalysed] == ["broken.py"]
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert not [r for r in caplog.records if r.name.startswith("bandit")]


def test_concurrent_scans_with_different_options_do_not_interfere(shop_findings: list[Finding]) -> None:
    # bandit keeps each run's test selection in module globals; the scanner must serialise around them
    everything = {f.rule_id for f in shop_findings}
    cases: list[tuple[dict[str, list[str]], set[str]]] = [
        ({"tests": ["B602"]}, {"B602"}),
        ({"skip": ["B602"]}, everything - {"B602"}),
        ({}, everything),
        ({"tests": ["B403"]}, {"B403"}),
    ] * 3
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda case: scan(SHOP, SHOP_FILES, **case[0])[0], cases))
    for (options, expected), findings in zip(cases, results, strict=True):
        assert {f.rule_id for f in findings} == expected, options
