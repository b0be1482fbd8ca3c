"""Lockfile and manifest parsers, one module per format, and the table that picks one for a file name."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath

from bastion.scanners.sca.package import Package
from bastion.scanners.sca.parsers.cargo import parse_cargo_lock
from bastion.scanners.sca.parsers.composer import parse_composer_lock
from bastion.scanners.sca.parsers.dist_info import parse_dist_info
from bastion.scanners.sca.parsers.gemfile import parse_gemfile_lock
from bastion.scanners.sca.parsers.gomod import parse_go_mod, parse_go_sum
from bastion.scanners.sca.parsers.gradle import parse_gradle_lockfile
from bastion.scanners.sca.parsers.maven import parse_pom
from bastion.scanners.sca.parsers.nuget import parse_packages_lock
from bastion.scanners.sca.parsers.package_lock import parse_package_lock
from bastion.scanners.sca.parsers.pdm import parse_pdm_lock
from bastion.scanners.sca.parsers.pipfile import parse_pipfile_lock
from bastion.scanners.sca.parsers.pnpm import parse_pnpm_lock
from bastion.scanners.sca.parsers.poetry import parse_poetry_lock
from bastion.scanners.sca.parsers.requirements import parse_requirements
from bastion.scanners.sca.parsers.source import LockfileSource
from bastion.scanners.sca.parsers.uv import parse_uv_lock
from bastion.scanners.sca.parsers.yarn import parse_yarn_lock

__all__ = ["LockfileSource", "Parser", "parser_for"]

Parser = Callable[[LockfileSource], list[Package]]

_BY_NAME: dict[str, Parser] = {
    "poetry.lock": parse_poetry_lock,
    "Pipfile.lock": parse_pipfile_lock,
    "uv.lock": parse_uv_lock,
    "pdm.lock": parse_pdm_lock,
    "package-lock.json": parse_package_lock,
    "npm-shrinkwrap.json": parse_package_lock,
    "yarn.lock": parse_yarn_lock,
    "pnpm-lock.yaml": parse_pnpm_lock,
    "go.mod": parse_go_mod,
    "go.sum": parse_go_sum,
    "Cargo.lock": parse_cargo_lock,
    "Gemfile.lock": parse_gemfile_lock,
    "gems.locked": parse_gemfile_lock,
    "composer.lock": parse_composer_lock,
    "pom.xml": parse_pom,
    "gradle.lockfile": parse_gradle_lockfile,
    "packages.lock.json": parse_packages_lock,
}
_REQUIREMENTS = re.compile(r"^(.*[-_.])?requirements([-_.].*)?\.txt$", re.IGNORECASE)


def parser_for(path: str) -> Parser | None:
    """The parser for a file, by its name (and folder, for ``requirements/*.txt`` and Gradle lock folders)."""
    pure = PurePosixPath(path)
    if "node_modules" in pure.parts:
        return None  # installed copies; the project's own lockfile describes them
    parser = _BY_NAME.get(pure.name)
    if parser is not None:
        return parser
    if _REQUIREMENTS.match(pure.name) or (pure.parent.name == "requirements" and pure.suffix == ".txt"):
        return parse_requirements
    if pure.name == "METADATA" and pure.parent.name.endswith(".dist-info"):
        return parse_dist_info
    if pure.suffix == ".lockfile" and pure.parent.name == "dependency-locks":
        return parse_gradle_lockfile
    return None
