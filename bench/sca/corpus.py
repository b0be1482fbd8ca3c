"""Builds the SCA benchmark corpus in ``bench/.work/sca`` (git-ignored); nothing here is committed.

* ``npm-big/package-lock.json``: a real lockfile resolved by ``npm install --package-lock-only`` for a set of
  well-known projects (gatsby, @angular/cli, jest, webpack, eslint, @babel/core, next, react-scripts);
  registry metadata only, no tarballs, no install scripts.
* ``pins/``: real (name, version) pairs taken from the advisories in ``../shared/osv`` (every version an advisory
  lists or names in an event is a real release), so every package has advisories to evaluate: the worst case
  for matching. ``pins/pypi/requirements-N.txt`` hold the PyPI part for the end-to-end CLI run.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORK = REPO / "bench" / ".work" / "sca"
OSV = REPO.parent / "shared" / "osv"
NPM_PROJECT = {
    "name": "bench-npm-big",
    "version": "1.0.0",
    "private": True,
    "dependencies": {
        "gatsby": "5.13.3",
        "@angular/cli": "17.3.0",
        "jest": "29.7.0",
        "webpack": "5.90.3",
        "eslint": "8.57.0",
        "@babel/core": "7.24.0",
        "next": "14.1.3",
        "react-scripts": "5.0.1",
    },
}
ZIPS = {
    "PyPI": "PyPI",
    "npm": "npm",
    "Go": "Go",
    "crates.io": "crates.io",
    "RubyGems": "RubyGems",
    "Packagist": "Packagist",
    "Maven": "Maven",
    "Debian": "Debian",
    "Alpine": "Alpine",
}


def npm_lockfile() -> Path:
    """The big real package-lock.json, resolved once."""
    folder = WORK / "npm-big"
    lock = folder / "package-lock.json"
    if lock.exists():
        return lock
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text(json.dumps(NPM_PROJECT, indent=2))
    subprocess.run(
        ["npm", "install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=folder,
        check=True,
        timeout=1200,
    )
    return lock


def real_pins() -> list[tuple[str, str, str]]:
    """(OSV ecosystem, name, version) for every version named by an advisory in the subset."""
    pins: dict[tuple[str, str, str], None] = {}
    for zip_name in ZIPS:
        with zipfile.ZipFile(OSV / f"{zip_name}.zip") as archive:
            for member in archive.namelist():
                record = json.loads(archive.read(member))
                for affected in record.get("affected", []):
                    package = affected["package"]
                    versions = list(affected.get("versions", []))
                    for r in affected.get("ranges", []):
                        if r["type"] != "GIT":
                            versions += [v for e in r["events"] for v in e.values() if v not in ("0", "0.0.0-0")]
                    for version in versions:
                        pins[(package["ecosystem"], package["name"], version)] = None
    return list(pins)


def pypi_requirements(pins: list[tuple[str, str, str]], total: int = 10_000) -> Path:
    """``total`` PyPI pins spread over requirements files (one version of a package per file)."""
    folder = WORK / "pins" / "pypi"
    folder.mkdir(parents=True, exist_ok=True)
    files: list[list[str]] = []
    seen: list[set[str]] = []
    for ecosystem, name, version in pins:
        if ecosystem != "PyPI" or sum(map(len, files)) >= total:
            continue
        slot = next((i for i, names in enumerate(seen) if name not in names), None)
        if slot is None:
            files.append([])
            seen.append(set())
            slot = len(files) - 1
        files[slot].append(f"{name}=={version}")
        seen[slot].add(name)
    for old in folder.glob("requirements-*.txt"):
        old.unlink()
    for index, lines in enumerate(files):
        (folder / f"requirements-{index:03}.txt").write_text("\n".join(lines) + "\n")
    return folder


if __name__ == "__main__":
    print(npm_lockfile())
    print(pypi_requirements(real_pins()))
