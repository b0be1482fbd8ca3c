"""Triage: complete decisions only, each change kept with who, when and why; the work list shows the result."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bastion.model import LifecycleState, Severity
from bastion.model.triage import SlaStatus, TriageDecision, TriageExceptionStatus, TriageState
from bastion.store import Store, open_store
from bastion.store.audit import AuditKind, AuditLog
from bastion.store.exceptions import ExceptionRegister
from bastion.store.lookup import AmbiguousFindingError, FindingNotFoundError
from bastion.store.project_rules import ProjectRules, rules_from_repository
from bastion.store.signals import Signals
from bastion.store.triage import TriageError, TriageLedger
from bastion.store.worklist import FindingFilter, Worklist
from tests.store.conftest import RunFactory

NOW = datetime.now(UTC)


@pytest.fixture
def sqlite_store(sqlite_url: str, tmp_path: Path) -> Iterator[Store]:
    """A store on SQLite only, for behaviour that does not depend on the backend."""
    with open_store(sqlite_url, tmp_path) as opened:
        yield opened


def _decision(state: TriageState, **changes: object) -> TriageDecision:
    fields: dict[str, object] = {"reason": "looked at it", "actor": "@carol", "decided_at": NOW}
    fields.update(changes)
    return TriageDecision(state=state, **fields)  # type: ignore[arg-type]


def _seed(store: Store, runs: RunFactory) -> dict[str, str]:
    findings = {
        "sqli": runs.finding("sqli", path="src/payments/db.py", severity=Severity.CRITICAL),
        "xss": runs.finding("xss", path="web/app.py", severity=Severity.MEDIUM),
        "dep": runs.finding("dep", path="requirements.txt", control="sca", severity=Severity.LOW),
    }
    store.record_run(
        runs.record(runs.control("sast", findings["sqli"], findings["xss"]), runs.control("sca", findings["dep"]))
    )
    return {name: finding.fingerprint for name, finding in findings.items()}


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (_decision(TriageState.CONFIRMED, reason="  "), "needs a reason"),
        (_decision(TriageState.ACCEPTED_RISK), "needs an expiry date and an approver"),
        (
            _decision(TriageState.ACCEPTED_RISK, expires_at=NOW + timedelta(days=9)),
            "needs an expiry date and an approver",
        ),
        (
            _decision(TriageState.ACCEPTED_RISK, expires_at=NOW - timedelta(days=1), approver="@ciso"),
            "not in the future",
        ),
        (_decision(TriageState.FIXED, approver="@ciso"), "apply only to accepted_risk"),
    ],
)
def test_incomplete_decisions_are_refused(
    sqlite_store: Store, runs: RunFactory, decision: TriageDecision, message: str
) -> None:
    ids = _seed(sqlite_store, runs)
    with pytest.raises(TriageError, match=message):
        TriageLedger(sqlite_store).set(ids["sqli"][:12], decision)


def test_every_change_is_kept_with_who_when_and_why_and_audited(store: Store, runs: RunFactory) -> None:
    ids = _seed(store, runs)
    ledger = TriageLedger(store)
    first = ledger.set(ids["sqli"][:12], _decision(TriageState.CONFIRMED))
    accepted = _decision(TriageState.ACCEPTED_RISK, actor="@sec", expires_at=NOW + timedelta(days=30), approver="@ciso")
    second = ledger.set(ids["sqli"], accepted)
    assert (first.previous, second.previous) == (TriageState.OPEN, TriageState.CONFIRMED)
    history = ledger.history(ids["sqli"][:8])
    assert [(c.previous, c.decision.state, c.decision.actor) for c in history] == [
        (TriageState.OPEN, TriageState.CONFIRMED, "@carol"),
        (TriageState.CONFIRMED, TriageState.ACCEPTED_RISK, "@sec"),
    ]
    assert history[1].decision.approver == "@ciso"
    entries = AuditLog(store).entries(kind=AuditKind.FINDING)
    assert [(e.event.detail["from"], e.event.detail["to"]) for e in entries] == [
        ("confirmed", "accepted_risk"),
        ("open", "confirmed"),
    ]
    assert AuditLog(store).verify().ok


def test_findings_are_looked_up_only_in_visible_projects(sqlite_store: Store, runs: RunFactory) -> None:
    ids = _seed(sqlite_store, runs)
    with pytest.raises(FindingNotFoundError):
        TriageLedger(sqlite_store).set(ids["sqli"], _decision(TriageState.CONFIRMED), projects={"other"})
    with pytest.raises(FindingNotFoundError):
        TriageLedger(sqlite_store).history("zz-not-hex")


def test_a_short_prefix_shared_by_two_findings_is_ambiguous(store: Store, runs: RunFactory) -> None:
    a = runs.finding("a", fingerprint="abcd" + "0" * 60)
    b = runs.finding("b", fingerprint="abcd" + "1" * 60)
    store.record_run(runs.record(runs.control("sast", a, b)))
    with pytest.raises(AmbiguousFindingError):
        TriageLedger(store).history("abcd")


def test_the_worklist_joins_triage_owners_and_slas(
    store: Store, runs: RunFactory, asset: Callable[[str], Path]
) -> None:
    ids = _seed(store, runs)
    ProjectRules(store).set("demo", rules_from_repository(asset("service/repo")), actor="@admin")
    worklist = Worklist(store)
    page = worklist.page(FindingFilter(), now=NOW)
    assert page.total == 3
    by_rule = {item.finding.rule_id: item for item in page.items}
    assert by_rule["sqli"].owners == ("@alice", "@acme/payments")
    assert by_rule["dep"].owners == ("@acme/deps",)
    # First seen in January 2026: the repository's policy gives critical findings 3 days.
    sqli = by_rule["sqli"]
    assert sqli.due_at == sqli.first_seen + timedelta(days=3) and sqli.sla is SlaStatus.BREACHED
    assert [item.finding.rule_id for item in page.items] == ["sqli", "xss", "dep"]

    assert [i.finding.rule_id for i in worklist.page(FindingFilter(owner="alice"), now=NOW).items] == ["sqli"]
    assert worklist.page(FindingFilter(text="WEB/APP"), now=NOW).total == 1
    assert worklist.page(FindingFilter(severities=frozenset({Severity.LOW})), now=NOW).total == 1
    assert worklist.page(FindingFilter(visible=frozenset({"other"})), now=NOW).total == 0
    second = worklist.page(FindingFilter(limit=1, offset=1), now=NOW)
    assert (second.total, [i.finding.rule_id for i in second.items]) == (3, ["xss"])

    TriageLedger(store).set(ids["sqli"], _decision(TriageState.FALSE_POSITIVE))
    assert worklist.get(ids["sqli"][:10]).sla is SlaStatus.CLOSED
    overdue = worklist.page(FindingFilter(sla=frozenset({SlaStatus.BREACHED})), now=NOW)
    assert {i.finding.rule_id for i in overdue.items} == {"xss", "dep"}
    open_only = worklist.page(FindingFilter(states=frozenset({TriageState.OPEN})), now=NOW)
    assert {i.finding.rule_id for i in open_only.items} == {"xss", "dep"}


def test_an_expired_acceptance_reopens_the_finding(store: Store, runs: RunFactory) -> None:
    ids = _seed(store, runs)
    expiry = NOW + timedelta(days=1)
    accepted = _decision(TriageState.ACCEPTED_RISK, expires_at=expiry, approver="@ciso")
    TriageLedger(store).set(ids["xss"], accepted)
    worklist = Worklist(store)
    assert worklist.get(ids["xss"], now=NOW).state is TriageState.ACCEPTED_RISK
    later = worklist.get(ids["xss"], now=expiry + timedelta(seconds=1))
    assert later.state is TriageState.OPEN and later.triage is not None and later.sla is SlaStatus.BREACHED


def test_kev_raises_a_low_dependency_finding_to_critical(
    store: Store, runs: RunFactory, asset: Callable[[str], Path]
) -> None:
    _seed(store, runs)  # every factory finding carries CVE-2026-0001
    Signals(store).import_epss(asset("service/epss.sample.csv").read_bytes(), "epss.csv", "@sec")
    dep = next(i for i in Worklist(store).page(FindingFilter(control="sca")).items)
    assert dep.risk.level is Severity.MEDIUM and dep.risk.epss == 0.62
    Signals(store).import_kev(b'{"vulnerabilities": [{"cveID": "CVE-2026-0001"}]}', "kev.json", "@sec")
    dep = next(i for i in Worklist(store).page(FindingFilter(control="sca")).items)
    assert dep.risk.level is Severity.CRITICAL and dep.risk.days == 7 and dep.risk.kev


def test_fixed_findings_are_listed_only_when_asked(store: Store, runs: RunFactory) -> None:
    ids = _seed(store, runs)
    store.record_run(runs.record(runs.control("sast"), runs.control("sca")))
    worklist = Worklist(store)
    assert worklist.page(FindingFilter()).total == 0
    fixed = worklist.page(FindingFilter(lifecycle=frozenset({LifecycleState.FIXED})))
    assert fixed.total == 3 and all(i.sla is SlaStatus.CLOSED for i in fixed.items)
    store.record_run(runs.record(runs.control("sast"), runs.control("sca")))
    assert worklist.get(ids["sqli"]).lifecycle is LifecycleState.FIXED


def test_concurrent_changes_of_one_finding_are_all_kept(store: Store, runs: RunFactory) -> None:
    from concurrent.futures import ThreadPoolExecutor

    ids = _seed(store, runs)
    ledger = TriageLedger(store)
    states = [TriageState.CONFIRMED, TriageState.MITIGATED, TriageState.FIXED, TriageState.OPEN] * 2
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda state: ledger.set(ids["xss"], _decision(state)), states))
    history = ledger.history(ids["xss"])
    assert len(history) == len(states)
    # Each change starts from the state the one before it left.
    assert [c.previous for c in history[1:]] == [c.decision.state for c in history[:-1]]
    assert AuditLog(store).verify().ok


def test_the_history_names_each_acceptances_exception_and_what_became_of_it(store: Store, runs: RunFactory) -> None:
    ids = _seed(store, runs)
    ledger = TriageLedger(store)
    ledger.set(ids["sqli"], _decision(TriageState.CONFIRMED))
    accepted = _decision(TriageState.ACCEPTED_RISK, expires_at=NOW + timedelta(days=30), approver="@ciso")
    change = ledger.set(ids["sqli"], accepted)
    assert (change.exception, change.exception_status) == ("EXC-TRIAGE-2", TriageExceptionStatus.ACTIVE)
    history = ledger.history(ids["sqli"])
    assert [(c.exception, c.exception_status, c.exception_removed_at) for c in history] == [
        (None, None, None),
        ("EXC-TRIAGE-2", TriageExceptionStatus.ACTIVE, None),
    ]
    # Read on the day after the exception's last day (the whole day before the acceptance ends), it has expired.
    last_day = (NOW + timedelta(days=30)).date() - timedelta(days=1)
    assert ledger.history(ids["sqli"], today=last_day)[1].exception_status is TriageExceptionStatus.ACTIVE
    expired = ledger.history(ids["sqli"], today=last_day + timedelta(days=1))[1]
    assert (expired.exception, expired.exception_status) == ("EXC-TRIAGE-2", TriageExceptionStatus.EXPIRED)

    before = datetime.now(UTC)
    ledger.set(ids["sqli"], _decision(TriageState.CONFIRMED, reason="the WAF rule was dropped"))
    history = ledger.history(ids["sqli"])
    assert [(c.exception, c.exception_status) for c in history] == [
        (None, None),
        ("EXC-TRIAGE-2", TriageExceptionStatus.REMOVED),
        (None, None),
    ]
    removed_at = history[1].exception_removed_at
    assert removed_at is not None and before <= removed_at <= datetime.now(UTC)
    assert ExceptionRegister(store).find("EXC-TRIAGE-2") is None
    # Another finding's acceptance is its own, and not read into this one's history.
    ledger.set(ids["xss"], accepted)
    assert [(c.exception, c.exception_status) for c in ledger.history(ids["xss"])] == [
        ("EXC-TRIAGE-4", TriageExceptionStatus.ACTIVE)
    ]
    assert [c.exception for c in ledger.history(ids["sqli"])] == [None, "EXC-TRIAGE-2", None]
