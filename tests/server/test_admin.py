"""Administration over HTTP: tokens (shown once, admins only), rules, exploit signals, audit, body limits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bastion.store.tokens import Role
from tests.server.conftest import Service


def test_admins_create_tokens_shown_once_and_revoke_them(service: Service) -> None:
    admin = service.as_role(Role.ADMIN, name="@admin")
    created = admin.post("/tokens", json={"name": "@ci", "project": "shop", "role": "developer"})
    assert created.status_code == 201
    body = created.json()
    secret = body["secret"]
    assert secret.startswith(body["shown"]) and body["created_by"] == "@admin"
    listed = admin.get("/tokens", params={"project": "shop"}).json()
    assert "@ci" in {t["name"] for t in listed} and secret not in str(listed)
    ci = service.client(secret)
    assert ci.get("/me").json()["role"] == "developer"
    assert admin.delete(f"/tokens/{body['id']}").json()["revoked_at"]
    assert ci.get("/me").status_code == 401
    assert admin.delete("/tokens/999999").status_code == 404


def test_token_administration_is_limited_to_the_admins_project(service: Service) -> None:
    admin = service.as_role(Role.ADMIN)
    assert admin.post("/tokens", json={"name": "x", "project": "other", "role": "viewer"}).status_code == 403
    assert admin.post("/tokens", json={"name": "x", "project": "*", "role": "viewer"}).status_code == 403
    assert admin.get("/tokens").status_code == 403
    other = service.token("other", Role.VIEWER)
    other_id = service.client(other).get("/me").json()["id"]
    assert admin.delete(f"/tokens/{other_id}").status_code == 403
    developer = service.as_role(Role.DEVELOPER)
    assert developer.get("/tokens", params={"project": "shop"}).status_code == 403
    assert developer.post("/tokens", json={"name": "x", "project": "shop", "role": "admin"}).status_code == 403
    bad = admin.post("/tokens", json={"name": "x", "project": "shop", "role": "owner"})
    assert bad.status_code == 422 and bad.json()["field"] == "role"


def test_rules_drive_owners_and_slas(service: Service) -> None:
    service.seed()
    admin = service.as_role(Role.ADMIN)
    rules = {"owners": [{"owner": "@deps", "controls": ["sca"]}], "sla": {"low": 3650}}
    assert admin.put("/projects/shop/rules", json=rules).status_code == 200
    dep = admin.get("/findings", params={"control": "sca"}).json()["items"][0]
    assert dep["owners"] == ["@deps"] and dep["sla"] == "on_track" and dep["risk"]["days"] == 3650
    assert admin.get("/projects/shop/rules").json()["owners"][0]["owner"] == "@deps"
    typo = admin.put("/projects/shop/rules", json={"owners": [{"owner": "@x", "pathz": ["a"]}]})
    assert typo.status_code == 422 and typo.json()["field"] == "owners.0.pathz"
    assert service.as_role(Role.SECURITY).put("/projects/shop/rules", json=rules).status_code == 403


def test_exploit_signals_raise_risk(service: Service, asset: Callable[[str], Path]) -> None:
    service.seed()
    security = service.client(service.token("*", Role.SECURITY))
    kev = b'{"vulnerabilities": [{"cveID": "CVE-2026-0001", "dateAdded": "2026-01-02"}]}'
    response = security.put("/signals/kev", content=kev, headers={"content-type": "application/json"})
    assert response.json() == {"cves": 1}
    dep = security.get("/findings", params={"control": "sca"}).json()["items"][0]
    assert dep["risk"]["kev"] and dep["risk"]["level"] == "critical" and dep["risk"]["days"] == 7
    epss = asset("service/epss.sample.csv").read_bytes()
    assert security.put("/signals/epss", content=epss).json() == {"cves": 3}
    bad = security.put("/signals/kev", content=asset("service/kev.wrong-id.json").read_bytes())
    assert bad.status_code == 422 and "$.vulnerabilities[1].cveID" in bad.json()["detail"]
    assert service.as_role(Role.SECURITY).put("/signals/kev", content=kev).status_code == 403


def test_audit_entries_are_scoped_and_verification_needs_every_project(service: Service) -> None:
    ids = service.seed()
    service.as_role(Role.SECURITY).post(f"/findings/{ids['xss']}/triage", json={"state": "confirmed", "reason": "r"})
    shop_security = service.as_role(Role.SECURITY)
    entries = shop_security.get("/audit", params={"project": "shop"}).json()
    assert entries and {e["project"] for e in entries} == {"shop"}
    assert shop_security.get("/audit").status_code == 403
    assert shop_security.get("/audit/verify").status_code == 403
    assert service.as_role(Role.DEVELOPER).get("/audit", params={"project": "shop"}).status_code == 403


def test_bodies_over_the_limit_get_413(service: Service) -> None:
    security = service.client(service.token("*", Role.SECURITY))
    response = security.put("/signals/epss", content=b"x" * (65 * 1024))
    assert response.status_code == 413 and response.json()["field"] == "body"

    def chunks() -> object:
        for _ in range(100):
            yield b"y" * 1024

    streamed = security.put("/signals/epss", content=chunks())  # type: ignore[arg-type]
    assert streamed.status_code == 413


def test_policy_exceptions_are_added_by_security_and_audited(service: Service) -> None:
    ids = service.seed()
    expires = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    body = {
        "project": "shop",
        "target": ids["xss"][:12],
        "reason": "fixed next sprint",
        "approver": "@lead",
        "expires": expires,
    }
    assert service.as_role(Role.DEVELOPER).post("/exceptions", json=body).status_code == 403
    security = service.as_role(Role.SECURITY, name="@sec")
    created = security.post("/exceptions", json=body)
    assert created.status_code == 201, created.text
    exception = created.json()
    assert exception["scope"] == "finding" and exception["project"] == "shop"
    assert [e["id"] for e in service.as_role(Role.VIEWER).get("/exceptions").json()] == [exception["id"]]
    assert service.as_role(Role.VIEWER, project="other").get("/exceptions").json() == []
    too_late = security.post("/exceptions", json={**body, "expires": "2099-01-01"})
    assert too_late.status_code == 422 and "more than 365 days" in too_late.json()["detail"]
    assert service.as_role(Role.SECURITY, project="other").delete(f"/exceptions/{exception['id']}").status_code == 404
    assert security.delete(f"/exceptions/{exception['id']}").status_code == 200
    assert security.get("/exceptions").json() == []
    actions = [e["action"] for e in security.get("/audit", params={"project": "shop", "kind": "exception"}).json()]
    assert actions == ["exception.remove", "exception.add"]
