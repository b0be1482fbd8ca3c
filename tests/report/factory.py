"""Run reports as the engine and store hand them to the renderers, built from real-looking model objects."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

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
    Reason,
    RunId,
    RunRecord,
    RunReport,
    Severity,
    Stage,
    TrackedFinding,
    UnanalysedFile,
    fingerprint_of,
)

STARTED = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
FIRST_SEEN = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
SECRET = "AKIAIOSFODNN7EXAMPLE"
"""The full secret the secrets scanner saw: it must never appear in a report."""


def finding(
    control: str,
    tool: str,
    rule_id: str,
    title: str,
    severity: Severity,
    path: str | None,
    line: int | None = None,
    **extra: object,
) -> Finding:
    """A finding with its fingerprint filled as the engine does."""
    made = Finding(
        control=control,
        tool=tool,
        rule_id=rule_id,
        title=title,
        severity=severity,
        location=Location(path=path, start_line=line, end_line=line),
        **extra,
    )  # type: ignore[arg-type]
    return replace(made, fingerprint=fingerprint_of(rule_id, path, made.location.package, line, title))


SQLI = finding(
    "sast",
    "bandit",
    "B608",
    "Possible SQL injection through string-based query",
    Severity.HIGH,
    "src/shop/db.py",
    6,
    cwe=(89,),
    message="Possible SQL injection vector through string query",
    help_uri="https://bandit.readthedocs.io/en/latest/plugins/b608_hardcoded_sql_expressions.html",
    confidence=Confidence.LOW,
)
SHELL = finding(
    "sast",
    "bandit",
    "B602",
    "subprocess call with shell=True",
    Severity.HIGH,
    "src/shop/db.py",
    11,
    cwe=(78,),
    remediation="Pass an argument list and shell=False.",
)
MD5 = finding("sast", "bandit", "B324", "Use of weak MD5 hash", Severity.LOW, "src/shop/crypto.py", 6, cwe=(327,))
PASSWORD = finding(
    "sast",
    "bandit",
    "B105",
    "Possible hardcoded password",
    Severity.LOW,
    "scripts dir/deploy.py",
    3,
    cwe=(259,),
)
AWS_KEY = replace(
    finding(
        "secrets",
        "bastion-secrets",
        "aws-access-key-id",
        "AWS access key id",
        Severity.CRITICAL,
        "config/settings.py",
        3,
        evidence="AKIA************MPLE",
        cwe=(798,),
        tags=("test-code",),
    ),
    location=Location(path="config/settings.py", start_line=3, end_line=3, start_column=14, commit="9f2c1e0"),
)
REQUESTS = replace(
    finding(
        "sca",
        "bastion-sca",
        "PYSEC-2018-28",
        "requests leaks Authorization header on redirect",
        Severity.MEDIUM,
        "requirements.txt",
        4,
        aliases=("CVE-2018-18074", "GHSA-x84v-xcm2-53pg"),
        remediation="Upgrade requests to 2.20.0 or later.",
    ),
    location=Location(path="requirements.txt", start_line=4, end_line=4, package="pkg:pypi/requests@2.19.0"),
)
URLLIB3 = replace(
    finding("sca", "bastion-sca", "GHSA-v845-jxx5-vc9f", "urllib3 Cookie header leak", Severity.INFO, None),
    location=Location(package="pkg:pypi/urllib3@1.26.5"),
)
CARRIED = finding(
    "semgrep",
    "semgrep",
    "python.flask.debug-enabled",
    "Flask [bold]debug[/bold] mode enabled",
    Severity.MEDIUM,
    "src/shop/app.py",
    40,
)

BLOCK_REASON = Reason(
    rule="new-high-in-mandatory",
    outcome=Outcome.BLOCK,
    message="2 new findings of high severity or worse in mandatory controls",
    finding_ids=(SQLI.id, AWS_KEY.id),
)
WARN_REASON = Reason(
    rule="advisory-control-errored",
    outcome=Outcome.WARN,
    message="advisory control 'semgrep' errored: its silence proves nothing",
    control="semgrep",
)
REOPENED_REASON = Reason(
    rule="reopened-finding",
    outcome=Outcome.WARN,
    message="a fixed finding came back",
    finding_ids=(REQUESTS.id,),
)


def _control(
    control: str,
    stage: Stage,
    uses: str,
    mode: ControlMode,
    status: ControlStatus,
    offset: float,
    findings: tuple[Finding, ...] = (),
    **extra: object,
) -> ControlResult:
    return ControlResult(
        control=control,
        stage=stage,
        uses=uses,
        mode=mode,
        status=status,
        started_at=STARTED + timedelta(seconds=offset),
        duration_s=1.25 + offset,
        findings=findings,
        **extra,
    )  # type: ignore[arg-type]


def _tracked(item: Finding, state: LifecycleState, **extra: object) -> TrackedFinding:
    first = STARTED if state is LifecycleState.NEW else FIRST_SEEN
    return TrackedFinding(finding=item, state=state, first_seen=first, last_seen=STARTED, **extra)  # type: ignore[arg-type]


def sample_report() -> RunReport:
    """A blocked run: five controls (errored, partial, skipped among them); open, carried, fixed findings."""
    controls = (
        _control(
            "sast",
            Stage.CODE,
            "sast",
            ControlMode.MANDATORY,
            ControlStatus.SUCCEEDED,
            0.0,
            (SQLI, SHELL, MD5),
            files_scanned=3,
        ),
        _control(
            "secrets",
            Stage.CODE,
            "secrets",
            ControlMode.MANDATORY,
            ControlStatus.PARTIAL,
            0.5,
            (AWS_KEY,),
            files_scanned=41,
            reason="1 file could not be read",
            unanalysed=(UnanalysedFile(path="data/dump.sql", reason="not valid UTF-8"),),
        ),
        _control(
            "sca",
            Stage.BUILD,
            "sca",
            ControlMode.ADVISORY,
            ControlStatus.SUCCEEDED,
            1.0,
            (REQUESTS, URLLIB3),
            files_scanned=1,
        ),
        _control(
            "semgrep",
            Stage.CODE,
            "run",
            ControlMode.ADVISORY,
            ControlStatus.ERRORED,
            0.2,
            reason="semgrep: command not found (exit 127)",
        ),
        _control(
            "iac",
            Stage.BUILD,
            "iac",
            ControlMode.MANDATORY,
            ControlStatus.SKIPPED,
            0.0,
            reason="no Terraform, Kubernetes or Dockerfile found",
        ),
    )
    record = RunRecord(
        project="acme/shop",
        branch="main",
        commit="3b9d2f4a1c0e5d6f7a8b9c0d1e2f3a4b5c6d7e8f",
        started_at=STARTED,
        finished_at=STARTED + timedelta(seconds=4.5),
        controls=controls,
        root="/home/ci/acme-shop",
    )
    findings = (
        _tracked(SQLI, LifecycleState.NEW),
        _tracked(SHELL, LifecycleState.EXISTING),
        _tracked(MD5, LifecycleState.EXISTING),
        _tracked(AWS_KEY, LifecycleState.NEW),
        _tracked(REQUESTS, LifecycleState.REOPENED, mode=ControlMode.ADVISORY),
        _tracked(URLLIB3, LifecycleState.EXISTING, mode=ControlMode.ADVISORY),
        _tracked(CARRIED, LifecycleState.EXISTING, mode=ControlMode.ADVISORY, carried=True),
        _tracked(PASSWORD, LifecycleState.FIXED),
    )
    decision = Decision(outcome=Outcome.BLOCK, reasons=(BLOCK_REASON, WARN_REASON, REOPENED_REASON))
    return RunReport(
        run_id=RunId(42),
        record=record,
        findings=findings,
        decision=decision,
        files_scanned=45,
        skipped_binary=2,
        skipped_oversize=1,
    )


def clean_report() -> RunReport:
    """A passing run: one control that succeeded with no finding, and nothing to report."""
    control = _control(
        "sast", Stage.CODE, "sast", ControlMode.MANDATORY, ControlStatus.SUCCEEDED, 0.0, files_scanned=12
    )
    record = RunRecord(
        project="acme/clean",
        branch="feature/x",
        commit=None,
        started_at=STARTED,
        finished_at=STARTED + timedelta(seconds=1),
        controls=(control,),
    )
    return RunReport(run_id=None, record=record, findings=(), decision=Decision(outcome=Outcome.PASS))
