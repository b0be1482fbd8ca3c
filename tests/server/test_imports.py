"""``POST /api/v1/imports`` over HTTP: one transaction per report, re-imports change nothing, bad input refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bastion.store.tokens import Role
from tests.server.conftest import Service


def test_a_report_is_imported_once_and_its_findings_listed(any_service: Service, asset: Callable[[str], Path]) -> None:
    developer = any_service.as_role(Role.DEVELOPER)
    report = asset("imports/gitleaks/dir.two-leaks.json").read_bytes()
    params = {"project": "shop", "format": "gitleaks", "source": "gitleaks.json"}
    first = developer.post("/imports", params=params, content=report)
    assert first.status_code == 201, first.text
    assert first.json()["findings"]["new"] == 2
    again = developer.post("/imports", params=params, content=report).json()
    assert again["findings"] == {"new": 0, "updated": 0, "unchanged": 2}
    listed = developer.get("/findings", params={"control": "gitleaks"}).json()
    assert listed["total"] == 2
    security = any_service.as_role(Role.SECURITY)
    audit = security.get("/audit", params={"project": "shop", "kind": "finding"}).json()
    assert [e["action"] for e in audit] == ["import.record", "import.record"]


def test_bad_reports_are_refused_whole(service: Service, asset: Callable[[str], Path]) -> None:
    developer = service.as_role(Role.DEVELOPER)
    malformed = asset("imports/gitleaks/malformed.start-line-is-a-string.json").read_bytes()
    params = {"project": "shop", "format": "gitleaks", "source": "leaks.json"}
    refused = developer.post("/imports", params=params, content=malformed)
    assert refused.status_code == 422 and refused.json()["detail"].startswith("leaks.json")
    assert developer.get("/findings").json()["total"] == 0
    unknown = developer.post("/imports", params={**params, "format": "gitleakz"}, content=b"[]")
    assert unknown.status_code == 422 and "unknown import format 'gitleakz'" in unknown.json()["detail"]
    missing = developer.post("/imports", params={"format": "gitleaks"}, content=b"[]")
    assert missing.status_code == 422 and missing.json()["field"] == "project"
    assert developer.post("/imports", params=params, content=b"x" * (65 * 1024)).status_code == 413
    assert service.as_role(Role.VIEWER).post("/imports", params=params, content=b"[]").status_code == 403
    other = service.as_role(Role.DEVELOPER, project="other")
    assert other.post("/imports", params=params, content=b"[]").status_code == 403
