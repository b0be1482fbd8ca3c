"""Matching real pins against the real OSV subset: the right advisories, aliases merged, the smallest fix."""

from __future__ import annotations

import pytest

from bastion.scanners.sca import Ecosystem, match_packages
from bastion.scanners.sca.matcher import PackageMatch
from bastion.scanners.sca.osv.store import VulnStore
from bastion.scanners.sca.package import Package


def matched(store: VulnStore, ecosystem: Ecosystem, name: str, version: str) -> PackageMatch | None:
    found = match_packages(store, [Package(ecosystem, name, version, "lockfile")])
    assert len(found) <= 1
    return found[0] if found else None


def ids(match: PackageMatch | None) -> set[str]:
    return {i for v in match.vulnerabilities for i in v.advisory_ids} if match else set()


@pytest.mark.parametrize(
    ("ecosystem", "name", "version", "expected", "fix"),
    [
        (Ecosystem.PYPI, "Jinja2", "2.10", {"PYSEC-2019-217", "PYSEC-2021-66"}, "2.11.3"),
        (Ecosystem.PYPI, "requests", "2.30.0", {"PYSEC-2023-74"}, "2.31.0"),
        (Ecosystem.PYPI, "PyYAML", "5.3.1", {"PYSEC-2021-142"}, "5.4"),
        (Ecosystem.NPM, "lodash", "4.17.20", {"GHSA-35jh-r3h4-6jhm"}, "4.17.21"),
        (Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.14.1", {"GHSA-jfh8-c2jp-5v3q"}, "2.15.0"),
        (
            Ecosystem.CRATES_IO,
            "hyper",
            "0.14.9",
            {"RUSTSEC-2021-0078", "RUSTSEC-2021-0079", "RUSTSEC-2022-0022"},
            "0.14.12",
        ),
        (Ecosystem.GO, "golang.org/x/text", "v0.3.6", {"GO-2021-0113", "GO-2022-1059", "GO-2026-5970"}, "0.39.0"),
    ],
)
def test_known_vulnerable_pins_are_found_with_their_fix(
    osv_store: VulnStore, ecosystem: Ecosystem, name: str, version: str, expected: set[str], fix: str
) -> None:
    match = matched(osv_store, ecosystem, name, version)
    assert ids(match) == expected
    assert match is not None and match.fix == fix


def test_django_fix_is_the_smallest_release_clearing_every_advisory(osv_store: VulnStore) -> None:
    match = matched(osv_store, Ecosystem.PYPI, "Django", "4.2.2")
    assert match is not None
    assert "PYSEC-2023-100" in ids(match)
    assert match.fixes["CVE-2023-36053"] == "4.2.3"  # this advisory alone
    assert match.fix == "4.2.16"  # every advisory on the 4.2 branch


@pytest.mark.parametrize(
    ("ecosystem", "name", "version"),
    [
        (Ecosystem.PYPI, "requests", "2.31.0"),
        (Ecosystem.PYPI, "jinja2", "3.1.4"),
        (Ecosystem.PYPI, "pyyaml", "6.0.1"),
        (Ecosystem.PYPI, "requests", "1!2.0"),  # an epoch sorts above every unepoched release
        (Ecosystem.NPM, "lodash", "4.17.21"),
        (Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core", "2.17.1"),
        (Ecosystem.CRATES_IO, "hyper", "1.4.1"),
    ],
)
def test_safe_pins_are_not_found(osv_store: VulnStore, ecosystem: Ecosystem, name: str, version: str) -> None:
    assert matched(osv_store, ecosystem, name, version) is None


def test_pep440_pre_release_and_local_versions(osv_store: VulnStore) -> None:
    # 2.31.0.dev0 comes before the 2.31.0 fix; a local build of 2.30.0 is still 2.30.0.
    assert ids(matched(osv_store, Ecosystem.PYPI, "requests", "2.31.0.dev0")) == {"PYSEC-2023-74"}
    assert ids(matched(osv_store, Ecosystem.PYPI, "requests", "2.30.0+ubuntu1")) == {"PYSEC-2023-74"}
    assert ids(matched(osv_store, Ecosystem.PYPI, "requests", "2.31.0+local")) == set()


def test_aliases_merge_into_one_vulnerability(osv_store: VulnStore) -> None:
    match = matched(osv_store, Ecosystem.PYPI, "requests", "2.30.0")
    assert match is not None and len(match.vulnerabilities) == 1
    vulnerability = match.vulnerabilities[0]
    assert vulnerability.primary_id == "CVE-2023-32681"
    assert {"PYSEC-2023-74", "CVE-2023-32681", "GHSA-j8r2-6x86-q33q"} <= set(vulnerability.ids)


def test_go_pseudo_versions_order_by_their_timestamp(osv_store: VulnStore) -> None:
    match = matched(osv_store, Ecosystem.GO, "golang.org/x/net", "v0.0.0-20210316092652-d523dce5a7f4")
    assert {"GO-2022-0969", "GO-2023-2102"} <= ids(match)
    assert (
        ids(matched(osv_store, Ecosystem.GO, "golang.org/x/net", "v0.0.0-20220906165146-f3363e06e74c"))
        & {"GO-2022-0969"}
        == set()
    )


def test_withdrawn_advisories_are_ignored(osv_store: VulnStore) -> None:
    # PYSEC-2022-43059 (aiohttp, every version) was withdrawn; other aiohttp advisories still apply.
    found = ids(matched(osv_store, Ecosystem.PYPI, "aiohttp", "0.1"))
    assert "PYSEC-2022-43059" not in found


def test_rubygems_and_npm_orderings(osv_store: VulnStore) -> None:
    actionpack = matched(osv_store, Ecosystem.RUBYGEMS, "actionpack", "5.2.4.2")
    assert actionpack is not None and actionpack.fixes["CVE-2020-8164"] == "5.2.4.3"
    express = matched(osv_store, Ecosystem.NPM, "express", "4.4.0")
    assert ids(express) == {"NSWG-ECO-8", "GHSA-rv95-896h-c2vc"} and express is not None
    assert express.fix == "4.19.2"
