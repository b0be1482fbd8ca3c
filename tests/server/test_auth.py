"""Authentication over a real socket: only /health is anonymous; bad, expired and revoked tokens get 401."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from bastion.store.tokens import Role, TokenRegistry
from tests.server.conftest import Service

ROUTES = [
    ("GET", "/me"),
    ("GET", "/projects"),
    ("GET", "/projects/shop/rules"),
    ("PUT", "/projects/shop/rules"),
    ("GET", "/runs"),
    ("GET", "/findings"),
    ("GET", "/findings/abcdef"),
    ("GET", "/findings/abcdef/triage"),
    ("POST", "/findings/abcdef/triage"),
    ("GET", "/tokens"),
    ("POST", "/tokens"),
    ("DELETE", "/tokens/1"),
    ("GET", "/audit"),
    ("GET", "/audit/verify"),
    ("PUT", "/signals/kev"),
    ("PUT", "/signals/epss"),
    ("POST", "/imports"),
    ("GET", "/exceptions"),
    ("POST", "/exceptions"),
    ("DELETE", "/exceptions/EXC-1"),
]


def test_health_is_the_only_anonymous_route(any_service: Service) -> None:
    anonymous = any_service.client()
    assert anonymous.get("/health").json()["status"] == "ok"
    for method, path in ROUTES:
        response = anonymous.request(method, path, json={})
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["www-authenticate"] == "Bearer"


def test_every_route_of_the_openapi_document_is_covered_here(service: Service) -> None:
    spec = service.client().get("/openapi.json").json()
    documented = {
        (method.upper(), path.removeprefix("/api/v1")) for path, ops in spec["paths"].items() for method in ops
    }
    tested = {
        (
            m,
            p.replace("abcdef", "{finding_id}")
            .replace("/1", "/{token_id}")
            .replace("shop", "{project}")
            .replace("EXC-1", "{exception_id}"),
        )
        for m, p in ROUTES
    }
    assert documented - tested == {("GET", "/health")}


def test_unknown_and_malformed_tokens_get_401(service: Service) -> None:
    for header in ["Bearer bst_not-a-real-token", "Bearer", "Basic dXNlcjpwYXNz", "bst_x", "Bearer " + "x" * 5000]:
        response = httpx.get(f"{service.url}/api/v1/findings", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json()["detail"]


def test_expired_and_revoked_tokens_get_401(service: Service) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=1)
    expiring = service.client(service.token("shop", Role.VIEWER, expires_at=soon))
    registry = TokenRegistry(service.store)
    revoked_secret = service.token("shop", Role.ADMIN, name="@gone")
    revoked = service.client(revoked_secret)
    assert revoked.get("/me").status_code == 200
    registry.revoke(registry.authenticate(revoked_secret).id, actor="test")
    response = revoked.get("/me")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
    while datetime.now(UTC) < soon:
        pass
    response = expiring.get("/findings")
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_me_shows_the_token_without_its_secret(service: Service) -> None:
    secret = service.token("shop", Role.DEVELOPER, name="@dev")
    body = service.client(secret).get("/me").json()
    assert (body["name"], body["project"], body["role"]) == ("@dev", "shop", "developer")
    assert secret not in str(body) and "secret" not in body
