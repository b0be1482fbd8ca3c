"""Migration ``0003_release_sigstore``: a ledger recorded before it upgrades in place and keeps its releases.

The database is first built up to ``0002_supplychain`` only (the ledger as it was), a release is written with plain
SQL, then the store is opened as usual, which upgrades every branch to its head.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

from bastion.store import open_store
from bastion.store.migration import SCRIPT_LOCATION
from bastion.store.releases import ReleaseLedger
from bastion.store.url import resolve_url


def test_a_ledger_from_before_sigstore_bundles_upgrades_and_keeps_its_releases(store_url: str, tmp_path: Path) -> None:
    url = resolve_url(store_url, tmp_path)
    if url.sqlite_file is not None:
        url.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url.url)  # not open_engine: that would migrate to the heads at once
    try:
        with engine.connect() as connection:
            config = Config()
            config.set_main_option("script_location", str(SCRIPT_LOCATION))
            config.attributes["connection"] = connection
            command.upgrade(config, "0002_supplychain")
            connection.commit()
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
