"""Owners: CODEOWNERS read as GitHub reads it (last match wins), ``bastion.yml`` rules first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bastion.errors import ConfigError
from bastion.model import Finding, Location, Severity
from bastion.store.owners import OwnerResolver, OwnerRule, OwnerRules, parse_codeowners
from bastion.store.project_rules import rules_from_repository


def _finding(path: str | None = None, control: str = "sast", package: str | None = None) -> Finding:
    location = Location(path=path, package=package)
    return Finding(control=control, tool="t", rule_id="r", title="t", severity=Severity.HIGH, location=location)


@pytest.mark.parametrize(
    ("pattern", "path", "owned"),
    [
        ("*", "a/b/c.py", True),
        ("*.js", "web/app.js", True),
        ("*.js", "web/app.jsx", False),
        ("/build/logs/", "build/logs/x/y.log", True),
        ("/build/logs/", "src/build/logs/y.log", False),
        ("apps/", "apps/x.py", True),
        ("apps/", "deep/apps/x.py", True),
        ("docs/*", "docs/getting-started.md", True),
        ("docs/*", "docs/build-app/troubleshooting.md", False),
        ("/docs/", "docs/build-app/troubleshooting.md", True),
        ("**/logs", "a/b/logs/x.log", True),
        ("/scripts/**/*.sh", "scripts/a/b/run.sh", True),
        ("/scripts/**/*.sh", "scripts/run.sh", True),
        ("src/payments", "src/payments/api.py", True),
        ("src/payments", "other/src/payments/api.py", False),
        ("a?c.py", "abc.py", True),
    ],
)
def test_codeowners_patterns_match_as_on_github(pattern: str, path: str, owned: bool) -> None:
    assert (parse_codeowners(f"{pattern} @owner").owners_of(path) == ("@owner",)) is owned


def test_the_last_matching_line_wins_and_ownerless_lines_unown(asset: Callable[[str], Path]) -> None:
    owners = parse_codeowners(asset("service/repo/.github/CODEOWNERS").read_text())
    assert owners.owners_of("README.md") == ("@acme/appsec",)
    assert owners.owners_of("src/shop/cart.py") == ("@acme/backend",)
    assert owners.owners_of("src/payments/card.py") == ("@alice", "@acme/payments")
    assert owners.owners_of("src/generated/api_pb2.py") == ()


def test_negation_and_ranges_are_skipped_as_github_does() -> None:
    owners = parse_codeowners("* @all\n!secret.py @nobody\n[ab].py @range\n")
    assert owners.owners_of("secret.py") == ("@all",) and owners.owners_of("a.py") == ("@all",)


def test_bastion_rules_beat_codeowners_and_match_findings_without_paths() -> None:
    rules = OwnerRules(
        rules=[
            OwnerRule(owner="@acme/deps", controls=["sca"]),
            OwnerRule(owner="@log4j-owners", packages=["pkg:maven/org.apache.logging.log4j/*"]),
            OwnerRule(owner="@bob", paths=["src/legacy/**"]),
        ]
    )
    resolver = OwnerResolver("* @acme/appsec\n", rules)
    assert resolver.owners_of(_finding("src/legacy/old.py")) == ("@bob",)
    assert resolver.owners_of(_finding("src/new.py")) == ("@acme/appsec",)
    assert resolver.owners_of(_finding(control="sca", package="pkg:pypi/django@3.2")) == ("@acme/deps",)
    log4j = _finding(control="sca", package="pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
    assert resolver.owners_of(log4j) == ("@log4j-owners",)
    assert resolver.owners_of(_finding(control="secrets")) == ()


def test_rules_are_read_from_the_repository(asset: Callable[[str], Path]) -> None:
    rules = rules_from_repository(asset("service/repo"))
    assert "@acme/appsec" in rules.codeowners
    assert [rule.owner for rule in rules.owners.rules] == ["@acme/deps", "@bob"]
    assert (rules.sla.critical, rules.sla.high, rules.sla.medium, rules.sla.kev_days) == (3, 14, 90, 2)


def test_a_typo_in_the_owner_rules_names_the_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "bastion.yml").write_text("version: 1\nowners:\n  - owner: '@x'\n    pathz: [a]\n")
    with pytest.raises(ConfigError, match=r"bastion.yml: owners\.0\.pathz: Extra inputs"):
        rules_from_repository(tmp_path)
