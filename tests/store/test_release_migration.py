"""Migration ``0003_release_sigstore``: a ledger recorded before it upgrades in place and keeps its releases.

The database is first built up to ``0002_supplychain`` only (the ledger as it was), a release is written with plain
SQL, then the store is opened as usual, which upgrades every branch to its head.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text

from bastion.store import open_store
from bastion.store.releases import ReleaseLedger
from tests.store.migrate import engine_at


def test_a_ledger_from_before_sigstore_bundles_upgrades_and_keeps_its_releases(store_url: str, tmp_path: Path) -> None:
    engine = engine_at(store_url, tmp_path, "0002_supplychain")  # the ledger as it was
    try:
        with engine.connect() as connection:
            assert not inspect(connection).has_table("release_sigstore_bundles")
            connection.execute(
                text(
                    "INSERT INTO releases (project, version, environment, artifact_name, artifact_digest,"
                    " recorded_at, attestations) VALUES ('shop', '0.9', 'prod', 'shop-0.9.tar.gz', 'sha256:00',"
                    " :at, '[]')"
                ),
                {"at": datetime(2026, 1, 1, tzinfo=UTC)},
            )
            connection.commit()
    finally:
        engine.dispose()

    with open_store(store_url, tmp_path) as store:
        detail = ReleaseLedger(store).get("0.9")
    assert detail.release.artifact_name == "shop-0.9.tar.gz"
    assert detail.sigstore_bundles == ()
