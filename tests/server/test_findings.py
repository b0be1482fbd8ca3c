"""Findings and triage over HTTP: filters, visibility across projects, and the roles allowed to change triage."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bastion.store.owners import OwnerRule, OwnerRules
from bastion.store.project_rules import ProjectRules, ProjectRuleSet
from bastion.store.signals import Signals
from bastion.store.tokens import Role
from tests.server.conftest import Service, running

LATER = (datetime.now(UTC) + timedelta(days=30)).isoformat()


def test_the_triage_workflow_end_to_end(any_service: Service, asset: Callable[[str], Path]) -> None:
    ids = any_service.seed()
    admin = any_service.as_role(Role.ADMIN, name="@admin")
    codeowners = asset("service/repo/.github/CODEOWNERS").read_text()
    assert admin.put("/projects/shop/rules", json={"codeowners": codeowners}).status_code == 200

    alice = any_service.as_role(Role.DEVELOPER, name="@alice")
    mine = alice.get("/findings", params={"owner": "@alice"}).json()
    assert [item["rule_id"] for item in mine["items"]] == ["sqli"]
    sqli = mine["items"][0]
    assert sqli["owners"] == ["@alice", "@acme/payments"] and sqli["sla"] == "breached" and sqli["state"] == "open"

    response = alice.post(f"/findings/{sqli['id']}/triage", json={"state": "confirmed", "reason": "reproduced"})
    assert response.status_code == 201, response.text
    assert response.json()["previous"] == "open"
    accept = {"state": "accepted_risk", "reason": "behind the WAF", "expires_at": LATER, "approver": "@ciso"}
    refused = alice.post(f"/findings/{sqli['id']}/triage", json=accept)
    assert refused.status_code == 403 and "owns this finding" in refused.json()["detail"]

    security = any_service.as_role(Role.SECURITY, name="@sec")
    assert security.post(f"/findings/{ids['sqli'][:8]}/triage", json=accept).status_code == 201
    shown = alice.get(f"/findings/{ids['sqli']}").json()
    assert shown["state"] == "accepted_risk" and shown["sla"] == "closed"
    assert shown["triage"]["approver"] == "@ciso" and shown["triage"]["actor"] == "@sec"
    history = alice.get(f"/findings/{sqli['id']}/triage").json()
    assert [(h["previous"], h["decision"]["state"], h["decision"]["actor"]) for h in history] == [
        ("open", "confirmed", "@alice"),
        ("confirmed", "accepted_risk", "@sec"),
    ]
    overdue = alice.get("/findings", params={"sla": "breached"}).json()
    assert {item["rule_id"] for item in overdue["items"]} == {"xss", "dep"}

    audit = security.get("/audit", params={"project": "shop", "kind": "finding"}).json()
    assert [entry["detail"]["to"] for entry in audit] == ["accepted_risk", "confirmed"]
    verified = any_service.client(any_service.token("*", Role.SECURITY)).get("/audit/verify").json()
    assert verified["ok"] and verified["entries"] >= 3


def test_filters_combine_and_page(service: Service) -> None:
    service.seed()
    viewer = service.client(service.token("*", Role.VIEWER))
    every = viewer.get("/findings").json()
    assert every["total"] == 4 and [i["rule_id"] for i in every["items"]] == ["sqli", "leak", "xss", "dep"]
    assert viewer.get("/findings", params={"project": "other"}).json()["total"] == 1
    assert viewer.get("/findings", params={"severity": ["low", "medium"]}).json()["total"] == 2
    assert viewer.get("/findings", params={"control": "sca"}).json()["items"][0]["rule_id"] == "dep"
    assert viewer.get("/findings", params={"q": "PAYMENTS"}).json()["total"] == 1
    assert viewer.get("/findings", params={"state": "confirmed"}).json()["total"] == 0
    assert viewer.get("/findings", params={"lifecycle": "fixed"}).json()["total"] == 0
    page = viewer.get("/findings", params={"limit": 2, "offset": 1}).json()
    assert (page["total"], [i["rule_id"] for i in page["items"]]) == (4, ["leak", "xss"])
    runs = viewer.get("/runs").json()
    assert {run["project"] for run in runs} == {"shop", "other"}


def test_invalid_filters_get_422_naming_the_field(service: Service) -> None:
    viewer = service.as_role(Role.VIEWER)
    for params, field in [
        ({"severity": "severe"}, "severity"),
        ({"sla": "late"}, "sla"),
        ({"state": "wontfix"}, "state"),
        ({"limit": 0}, "limit"),
        ({"limit": 5000}, "limit"),
        ({"offset": -1}, "offset"),
        ({"q": ""}, "q"),
        ({"severty": "high"}, "severty"),
    ]:
        response = viewer.get("/findings", params=params)
        assert response.status_code == 422, params
        assert response.json()["field"] == field and response.json()["detail"].startswith(field)
    assert viewer.get("/findings/not-hex").status_code == 422


def test_other_projects_are_invisible(service: Service) -> None:
    ids = service.seed()
    shop = service.as_role(Role.SECURITY)
    assert {i["project"] for i in shop.get("/findings").json()["items"]} == {"shop"}
    assert shop.get(f"/findings/{ids['leak']}").status_code == 404
    assert shop.post(f"/findings/{ids['leak']}/triage", json={"state": "confirmed", "reason": "x"}).status_code == 404
    assert shop.get("/findings", params={"project": "other"}).status_code == 403
    assert shop.get("/runs", params={"project": "other"}).status_code == 403
    assert [p["name"] for p in shop.get("/projects").json()] == ["shop"]
    assert shop.get("/findings/ffffffff").status_code == 404


def test_roles_limit_triage_states(service: Service) -> None:
    ids = service.seed()
    xss = ids["xss"][:12]
    viewer, developer = service.as_role(Role.VIEWER), service.as_role(Role.DEVELOPER, name="@dave")
    assert viewer.post(f"/findings/{xss}/triage", json={"state": "confirmed", "reason": "x"}).status_code == 403
    false_positive = {"state": "false_positive", "reason": "test code"}
    assert developer.post(f"/findings/{xss}/triage", json=false_positive).status_code == 403
    self_approved = {"state": "accepted_risk", "reason": "low impact", "expires_at": LATER, "approver": "dave"}
    assert developer.post(f"/findings/{xss}/triage", json=self_approved).status_code == 403
    approved = {**self_approved, "approver": "@lead"}
    assert developer.post(f"/findings/{xss}/triage", json=approved).status_code == 201
    security = service.as_role(Role.SECURITY)
    assert security.post(f"/findings/{xss}/triage", json=false_positive).status_code == 201


def test_incomplete_triage_gets_422(service: Service) -> None:
    ids = service.seed()
    security = service.as_role(Role.SECURITY)
    url = f"/findings/{ids['xss'][:12]}/triage"
    for body, fragment in [
        ({"state": "accepted_risk", "reason": "x"}, "expiry date and an approver"),
        ({"state": "accepted_risk", "reason": "x", "approver": "@c", "expires_at": "2020-01-01T00:00:00Z"}, "future"),
        ({"state": "fixed", "reason": "x", "approver": "@c"}, "only to accepted_risk"),
        ({"state": "fixed", "reason": ""}, "reason"),
        ({"state": "fixed", "reason": "x", "note": "typo"}, "note"),
        ({"state": "accepted_risk", "reason": "x", "approver": "@c", "expires_at": "2030-01-01T00:00:00"}, "timezone"),
    ]:
        response = security.post(url, json=body)
        assert response.status_code == 422, body
        assert fragment in response.json()["detail"], response.json()


def test_rule_and_signal_changes_show_on_the_next_request(any_service: Service) -> None:
    """Owners and risk are computed from rules and signals the server may cache: every change is seen at once,
    whether it comes through the API or from another process writing the store (the CLI, another worker)."""
    ids = any_service.seed()
    admin = any_service.client(any_service.token("*", Role.ADMIN, name="@admin"))
    sqli = ids["sqli"][:12]

    def shown() -> dict[str, object]:
        page = admin.get("/findings", params={"project": "shop"}).json()
        listed = next(item for item in page["items"] if item["id"] == sqli)
        one = admin.get(f"/findings/{sqli}").json()
        assert (listed["owners"], listed["risk"]) == (one["owners"], one["risk"])
        return dict(one)

    assert shown()["owners"] == []
    assert admin.put("/projects/shop/rules", json={"codeowners": "* @first\n"}).status_code == 200
    assert shown()["owners"] == ["@first"]
    assert admin.put("/projects/shop/rules", json={"codeowners": "* @second\n"}).status_code == 200
    assert shown()["owners"] == ["@second"]
    assert admin.get("/findings", params={"project": "shop", "owner": "@second"}).json()["total"] == 3
    # The same content as before (a cache keyed on content must not confuse projects or versions).
    ProjectRules(any_service.store).set(
        "shop", ProjectRuleSet(codeowners="* @second\n", owners=OwnerRules(rules=[OwnerRule(owner="@cli")])), "cli"
    )
    assert shown()["owners"] == ["@cli"]
    assert admin.get("/findings", params={"project": "other", "owner": "@cli"}).json()["total"] == 0

    def on_kev() -> object:
        risk = shown()["risk"]
        assert isinstance(risk, dict)
        return risk["kev"]

    assert on_kev() is False
    security = any_service.client(any_service.token("*", Role.SECURITY, name="@sec"))
    for listed, expected in (("CVE-2026-0001", True), ("CVE-2026-0002", False), ("CVE-2026-0001", True)):
        catalogue = json.dumps({"vulnerabilities": [{"cveID": listed}]})
        assert security.put("/signals/kev", content=catalogue).status_code == 200
        assert on_kev() is expected
    Signals(any_service.store).import_kev(b'{"vulnerabilities": []}', "kev.json", "cli")
    assert on_kev() is False


def test_a_page_past_the_end_is_empty_with_the_total(service: Service) -> None:
    service.seed()
    viewer = service.client(service.token("*", Role.VIEWER))
    page = viewer.get("/findings", params={"limit": 2, "offset": 4}).json()
    assert (page["total"], page["items"]) == (4, [])
    page = viewer.get("/findings", params={"project": "nothing-here"}).json()
    assert (page["total"], page["items"]) == (0, [])


def test_one_store_thread_serves_concurrent_reads_and_writes(sqlite_url: str, tmp_path: Path) -> None:
    """``BASTION_THREADS`` bounds the threads doing store work; even one serves many clients at once."""
    with running(sqlite_url, tmp_path, threads=1) as one_thread:
        ids = one_thread.seed()
        secret = one_thread.token("*", Role.SECURITY, name="@sec")

        def work(n: int) -> list[int]:
            client = one_thread.client(secret)
            codes = [client.get("/findings", params={"project": "shop"}).status_code]
            codes.append(client.get(f"/findings/{ids['xss'][:12]}").status_code)
            change = {"state": "confirmed" if n % 2 else "open", "reason": f"client {n}"}
            codes.append(client.post(f"/findings/{ids['sqli'][:12]}/triage", json=change).status_code)
            return codes

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(work, range(8)))
        assert results == [[200, 200, 201]] * 8
        history = one_thread.client(secret).get(f"/findings/{ids['sqli'][:12]}/triage").json()
        assert len(history) == 8
