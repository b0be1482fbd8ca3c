"""Bad lockfiles: one line naming the file and the line or JSON path, and the other files still counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.scanners.sca import read_inventory

CASES = [
    (
        "package-lock.json",
        '{"lockfileVersion": 7, "packages": {}}',
        "package-lock.json: $.lockfileVersion: unsupported lockfileVersion 7",
    ),
    (
        "package-lock.json",
        '{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": 3}}}',
        "package-lock.json: $.packages['node_modules/a'].version: expected a non-empty string, found 3",
    ),
    ("poetry.lock", '[[package]]\nname = "a"\nversion = \n', "poetry.lock:3: invalid TOML: Invalid value"),
    ("Cargo.lock", "version = 9\n", "Cargo.lock: version: unsupported Cargo.lock version 9"),
    ("requirements.txt", "flask==2.0\nnot a requirement!!\n", "requirements.txt:2: invalid requirement:"),
    ("requirements.txt", "-r missing.txt\n", "requirements.txt:1: -r missing.txt: no such file"),
    ("go.mod", "module m\nrequire (\n\tgolang.org/x/net\n)\n", "go.mod:3: malformed require: 'golang.org/x/net'"),
    ("Gemfile.lock", "GEM\n  specs:\n    rack\n", "Gemfile.lock:3: malformed spec 'rack'"),
    ("yarn.lock", "# yarn lockfile v1\nnot-a-header\n", "yarn.lock:2: expected an entry header ending in ':'"),
    (
        "pnpm-lock.yaml",
        "lockfileVersion: '3.0'\n",
        "pnpm-lock.yaml: $.lockfileVersion: unsupported lockfileVersion '3.0'",
    ),
    ("pom.xml", "<project><dependencies>\n<dependency>\n</project>", "pom.xml:3: invalid XML:"),
    ("gradle.lockfile", "a:b=compileClasspath\n", "gradle.lockfile:1: expected group:artifact:version=configurations"),
    ("packages.lock.json", '{"version": 5}', "packages.lock.json: $.version: unsupported packages.lock.json version 5"),
    (
        "composer.lock",
        '{"packages": [{"name": "a/b"}]}',
        "composer.lock: $.packages[0].version: expected a non-empty string",
    ),
    ("Pipfile.lock", "\xff", "Pipfile.lock:1: invalid JSON"),
]


@pytest.mark.parametrize(("name", "text", "message"), CASES, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(CASES)])
def test_malformed_lockfile_names_file_and_place(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "requirements.txt").write_text("requests==2.31.0\n")
    inventory = read_inventory(tmp_path, [name, "sub/requirements.txt"])
    assert len(inventory.errors) == 1
    assert str(inventory.errors[0]).startswith(message)
    assert "\n" not in str(inventory.errors[0])
    assert [p.purl for p in inventory.packages] == ["pkg:pypi/requests@2.31.0"]


def test_undecodable_file(tmp_path: Path) -> None:
    (tmp_path / "Cargo.lock").write_bytes(b"\xff\xfe\x00garbage")
    inventory = read_inventory(tmp_path, ["Cargo.lock"])
    assert str(inventory.errors[0]) == "Cargo.lock: not UTF-8 text (byte 0)"
