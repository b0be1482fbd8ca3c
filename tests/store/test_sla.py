"""SLAs: risk from severity and exploit signals (KEV, EPSS files), due dates and breach flags."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bastion.model import Severity
from bastion.model.triage import SlaStatus
from bastion.store import Store
from bastion.store.signals import SignalError, Signals, parse_epss, parse_kev, signals_for
from bastion.store.sla import ExploitSignal, SlaPolicy, risk_of, sla_status

NOW = datetime(2026, 6, 1, tzinfo=UTC)
POLICY = SlaPolicy()


@pytest.mark.parametrize(
    ("severity", "signals", "level", "days"),
    [
        (Severity.CRITICAL, [], Severity.CRITICAL, 7),
        (Severity.HIGH, [], Severity.HIGH, 30),
        (Severity.LOW, [], Severity.LOW, 180),
        (Severity.INFO, [], Severity.INFO, None),
        (Severity.MEDIUM, [("CVE-1", ExploitSignal(epss=0.5))], Severity.HIGH, 30),
        (Severity.MEDIUM, [("CVE-1", ExploitSignal(epss=0.01))], Severity.MEDIUM, 90),
        (Severity.LOW, [("CVE-1", ExploitSignal(kev=True))], Severity.CRITICAL, 7),
        (Severity.INFO, [("CVE-1", ExploitSignal(kev=True, epss=0.9))], Severity.CRITICAL, 7),
    ],
)
def test_risk_rises_with_exploit_signals(
    severity: Severity, signals: list[tuple[str, ExploitSignal]], level: Severity, days: int | None
) -> None:
    risk = risk_of(severity, signals, POLICY)
    assert (risk.level, risk.days) == (level, days)


def test_kev_caps_the_deadline_even_when_critical_allows_longer() -> None:
    policy = SlaPolicy(critical=30, kev_days=14)
    assert risk_of(Severity.HIGH, [("CVE-2021-44228", ExploitSignal(kev=True))], policy).days == 14


def test_due_dates_and_breach_flags() -> None:
    risk = risk_of(Severity.HIGH, [], POLICY)
    seen = NOW - timedelta(days=10)
    assert sla_status(seen, risk, closed=False, now=NOW) == (seen + timedelta(days=30), SlaStatus.ON_TRACK)
    late = NOW - timedelta(days=31)
    assert sla_status(late, risk, closed=False, now=NOW)[1] is SlaStatus.BREACHED
    assert sla_status(late, risk, closed=True, now=NOW)[1] is SlaStatus.CLOSED
    assert sla_status(late, risk_of(Severity.INFO, [], POLICY), closed=False, now=NOW) == (None, SlaStatus.NONE)


def test_kev_and_epss_files_parse(asset: Callable[[str], Path]) -> None:
    kev = parse_kev(asset("service/kev.sample.json").read_bytes(), "kev.json")
    assert set(kev) == {"CVE-2021-44228", "CVE-2023-4966"}
    epss = parse_epss(asset("service/epss.sample.csv").read_bytes(), "epss.csv")
    assert epss["CVE-2026-0001"] == (0.62, 0.97)


def test_bad_signal_files_name_the_file_and_place(asset: Callable[[str], Path]) -> None:
    with pytest.raises(SignalError, match=r"^kev.json: \$\.vulnerabilities\[1\]\.cveID: String should match"):
        parse_kev(asset("service/kev.wrong-id.json").read_bytes(), "kev.json")
    with pytest.raises(SignalError, match=r"^epss.csv:2: expected CVE,score,percentile"):
        parse_epss(asset("service/epss.bad-score.csv").read_bytes(), "epss.csv")
    with pytest.raises(SignalError, match=r"^x.json: \$: Invalid JSON"):
        parse_kev(b"{", "x.json")


def test_imports_replace_the_lists_and_are_looked_up_by_cve(store: Store, asset: Callable[[str], Path]) -> None:
    signals = Signals(store)
    assert signals.import_kev(asset("service/kev.sample.json").read_bytes(), "kev.json", "@sec") == 2
    assert signals.import_epss(asset("service/epss.sample.csv").read_bytes(), "epss.csv", "@sec") == 3
    assert signals.import_epss(b"cve,epss,percentile\nCVE-2026-0002,0.3,0.5\n", "epss2.csv", "@sec") == 1
    found = store.read(lambda session: signals_for(session, ["cve-2021-44228", "CVE-2026-0001", "CVE-2026-0002"]))
    assert found == {
        "CVE-2021-44228": ExploitSignal(kev=True, epss=None),
        "CVE-2026-0002": ExploitSignal(kev=False, epss=0.3),
    }
