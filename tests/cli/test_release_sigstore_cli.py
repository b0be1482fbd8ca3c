"""``bastion release record`` and ``show`` with keyless Sigstore bundles beside the artifact, through the real CLI.

The bundles come from the private Sigstore instance the verify tests use; the store is a real SQLite file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bastion.supplychain import PredicateType
from bastion.supplychain.sigstore_signing import INSTALL_HINT, sigstore_bundle_path
from tests.cli.test_run_cli import bastion
from tests.supplychain.conftest import Evidence, evidence
from tests.supplychain.sigstore_instance import SigstoreInstance
from tests.supplychain.test_sigstore import (
    IDENTITY,
    ISSUER,
    _bastion,
    _move_gate_to_sigstore,
    _private_sigstore_dirs,
    _sign_keyless,
    instance,
)

__all__ = ["_private_sigstore_dirs", "evidence", "instance"]  # the supply-chain fixtures, reused

pytest.importorskip("sigstore", reason="the [sigstore] extra is part of .[dev]")


def test_record_and_show_keep_the_sigstore_bundles_and_refuse_a_malformed_one(
    evidence: Callable[..., Evidence], instance: SigstoreInstance
) -> None:
    made = evidence()
    gate = _move_gate_to_sigstore(instance, made)
    provenance = _sign_keyless(instance, made, PredicateType.SLSA_PROVENANCE)
    db = f"sqlite:///{made.folder / 'ledger.db'}"
    record = ("release", "record", "--artifact", made.artifact.name, "--environment", "prod", "--project", "shop")
    record += ("--db", db)

    done = bastion(*record, "1.0", "--trusted-key", "release.pub", cwd=made.folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "release 1: shop 1.0 to prod, 7 package(s), 2 Sigstore bundle(s)\n"

    shown = bastion("release", "show", "1.0", "--db", db, cwd=made.folder)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[1] == "sbom: cyclonedx; attestations: 3; sigstore bundles: 2"
    assert lines[2:4] == [
        f"  {gate.name}  signed by {IDENTITY} ({ISSUER})  rekor log index 0",
        f"  {provenance.name}  signed by {IDENTITY} ({ISSUER})  rekor log index 0",
    ]

    as_json = bastion("release", "show", "1.0", "--json", "--db", db, cwd=made.folder)
    assert as_json.returncode == 0, as_json.stderr
    stored = json.loads(as_json.stdout)["sigstore_bundles"]
    assert [(b["kind"], b["file"], b["identity"], b["issuer"], b["log_index"]) for b in stored] == [
        ("gate-decision", gate.name, IDENTITY, ISSUER, 0),
        ("slsa-provenance", provenance.name, IDENTITY, ISSUER, 0),
    ]
    assert [b["bundle"].encode("utf-8") for b in stored] == [gate.read_bytes(), provenance.read_bytes()]

    # a malformed bundle beside the artifact: one line naming it, exit 2, and nothing recorded
    bad = sigstore_bundle_path(made.artifact, PredicateType.CYCLONEDX)
    bad.write_text('{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json"')
    done = bastion(*record, "1.1", cwd=made.folder)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {bad.name}: not a Sigstore bundle: "), done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr
    listed = bastion("release", "list", "--db", db, cwd=made.folder).stdout
    assert " 1.1" not in listed and " 1.0" in listed

    # without any Sigstore bundle, a release records as before
    for path in (gate, provenance, bad):
        path.unlink()
    done = bastion(*record, "1.2", "--trusted-key", "release.pub", cwd=made.folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "release 2: shop 1.2 to prod, 7 package(s)\n"
    shown = bastion("release", "show", "1.2", "--json", "--db", db, cwd=made.folder)
    assert json.loads(shown.stdout)["sigstore_bundles"] == []


def test_without_the_extra_recording_sigstore_bundles_says_how_to_install_it(
    tmp_path: Path, _private_sigstore_dirs: dict[str, str]
) -> None:
    (tmp_path / "app.tgz").write_bytes(b"app\n")
    (tmp_path / "app.tgz.gate-decision.sigstore.json").write_text("{}")
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    done = _bastion(
        "release", "record", "1.0", "--artifact", "app.tgz", "--environment", "prod", "--db", db,
        cwd=tmp_path, env=_private_sigstore_dirs, hide_sigstore=True,
    )  # fmt: skip
    assert done.returncode == 2
    bundle = "app.tgz.gate-decision.sigstore.json"
    assert done.stderr == f"error: {bundle}: cannot record a Sigstore bundle: {INSTALL_HINT}\n"
