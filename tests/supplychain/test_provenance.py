"""SLSA provenance v1: the predicate's shape, git source discovery, and reading other builders' provenance."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bastion.supplychain import SupplyChainError, provenance_predicate, read_provenance, source_of
from tests.supplychain.conftest import supplychain_asset


def _git_repo(path: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=True).stdout

    git("init", "-q")
    git("remote", "add", "origin", "https://github.com/acme/shop.git")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    return git("rev-parse", "HEAD").strip()


def test_provenance_names_builder_repository_commit_and_lockfiles(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(supplychain_asset("shop"), tmp_path / "shop")
    commit = _git_repo(tmp_path / "shop")
    source = source_of(tmp_path / "shop")
    assert (source.repository, source.commit) == ("https://github.com/acme/shop.git", commit)
    predicate = provenance_predicate(source, "https://ci.example.com/b", datetime(2026, 1, 5, tzinfo=UTC))
    resolved = predicate["buildDefinition"]["resolvedDependencies"]
    assert resolved[0] == {"uri": "git+https://github.com/acme/shop.git", "digest": {"gitCommit": commit}}
    assert sorted(r["name"] for r in resolved[1:]) == ["gradle.lockfile", "requirements.txt"]
    assert all(len(r["digest"]["sha256"]) == 64 for r in resolved[1:])
    assert predicate["runDetails"]["builder"] == {"id": "https://ci.example.com/b"}
    facts = read_provenance(predicate, "p")
    assert (facts.builder_id, facts.repository, facts.commit) == ("https://ci.example.com/b", source.repository, commit)


def test_github_actions_provenance_is_read() -> None:
    predicate = {
        "buildDefinition": {
            "buildType": "https://actions.github.io/buildtypes/workflow/v1",
            "externalParameters": {
                "workflow": {
                    "ref": "refs/heads/main",
                    "repository": "https://github.com/acme/shop",
                    "path": ".github/workflows/release.yml",
                }
            },
            "internalParameters": {"github": {"event_name": "push"}},
            "resolvedDependencies": [],
        },
        "runDetails": {"builder": {"id": "https://github.com/actions/runner/github-hosted"}, "metadata": {}},
    }
    facts = read_provenance(predicate, "p")
    assert facts.repository == "https://github.com/acme/shop"
    assert facts.builder_id == "https://github.com/actions/runner/github-hosted"


def test_malformed_provenance_is_one_line() -> None:
    with pytest.raises(SupplyChainError, match=r"^b:1: malformed SLSA provenance: runDetails: Field required$"):
        read_provenance({"buildDefinition": {"buildType": "x", "externalParameters": {}}}, "b:1")
