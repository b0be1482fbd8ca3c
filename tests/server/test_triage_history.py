"""The triage history over HTTP names the policy exception each accepted risk created and what became of it:
active while the gate honours it, removed by the finding's next triage change, expired once its last day passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bastion.store.exceptions import PolicyExceptionRow, last_day_before
from bastion.store.tables import FindingRow
from bastion.store.tokens import Role
from bastion.store.triage import FindingTriageRow, TriageEventRow
from tests.server.conftest import Service

EXPIRES_AT = datetime.now(UTC) + timedelta(days=30)
ACCEPT = {
    "state": "accepted_risk",
    "reason": "behind the WAF",
    "expires_at": EXPIRES_AT.isoformat(),
    "approver": "@ciso",
}


def _links(history: list[dict[str, object]]) -> list[tuple[object, object, object]]:
    return [(c["exception_id"], c["exception_status"], c["exception_removed_at"]) for c in history]


def test_an_acceptance_shows_its_exception_active_then_removed_by_the_next_change(any_service: Service) -> None:
    ids = any_service.seed()
    security = any_service.as_role(Role.SECURITY, name="@sec")
    url = f"/findings/{ids['sqli'][:12]}/triage"
    assert security.post(url, json={"state": "confirmed", "reason": "reproduced"}).status_code == 201

    accepted = security.post(url, json=ACCEPT)
    assert accepted.status_code == 201, accepted.text
    body = accepted.json()
    assert (body["exception_id"], body["exception_status"], body["exception_removed_at"]) == (
        "EXC-TRIAGE-2",
        "active",
        None,
    )
    assert body["exception"] == "EXC-TRIAGE-2"  # the field clients used before exception_id
    history = security.get(url).json()
    assert _links(history) == [(None, None, None), ("EXC-TRIAGE-2", "active", None)]
    # The status agrees with the exceptions the gate reads.
    live = security.get("/exceptions", params={"project": "shop"}).json()
    assert [(e["id"], e["target"], e["expires"]) for e in live] == [
        ("EXC-TRIAGE-2", ids["sqli"], last_day_before(EXPIRES_AT).isoformat())
    ]

    before = datetime.now(UTC)
    assert security.post(url, json={"state": "confirmed", "reason": "the WAF rule was dropped"}).status_code == 201
    history = security.get(url).json()
    assert [(c["exception_id"], c["exception_status"]) for c in history] == [
        (None, None),
        ("EXC-TRIAGE-2", "removed"),
        (None, None),
    ]
    removed_at = datetime.fromisoformat(history[1]["exception_removed_at"])
    assert before <= removed_at <= datetime.now(UTC)
    assert history[1]["decision"]["state"] == "accepted_risk" and history[1]["exception"] == "EXC-TRIAGE-2"
    assert security.get("/exceptions", params={"project": "shop"}).json() == []


def _expire(service: Service, exception_id: str, fingerprint: str) -> None:
    """Move an acceptance and its exception into the past, as if their time had run out since they were made
    (the store refuses to record an acceptance that has already ended)."""
    ended = datetime.now(UTC) - timedelta(hours=1)
    finding = select(FindingRow.id).where(FindingRow.fingerprint == fingerprint).scalar_subquery()

    def write(session: Session) -> None:
        session.execute(
            update(PolicyExceptionRow)
            .where(PolicyExceptionRow.id == exception_id)
            .values(expires=last_day_before(ended))
        )
        for table in (TriageEventRow, FindingTriageRow):
            session.execute(update(table).where(table.finding_id == finding).values(expires_at=ended))

    service.store.write(write)


def test_an_acceptance_past_its_end_shows_its_exception_expired(any_service: Service) -> None:
    ids = any_service.seed()
    security = any_service.as_role(Role.SECURITY, name="@sec")
    url = f"/findings/{ids['xss'][:12]}/triage"
    assert security.post(url, json=ACCEPT).json()["exception_id"] == "EXC-TRIAGE-1"
    _expire(any_service, "EXC-TRIAGE-1", ids["xss"])

    history = security.get(url).json()
    assert _links(history) == [("EXC-TRIAGE-1", "expired", None)]
    # Triage reads the lapsed acceptance as open again, in step with the exception.
    assert security.get(f"/findings/{ids['xss'][:12]}").json()["state"] == "open"
