"""The Go, Ruby, PHP and Java lockfiles under ``tests/assets/sca/*/bastion-written`` against the real OSV subset.

Each file pins some versions with published advisories and some without; the ids and fixed versions below are
the ones the subset's records give (``../shared/osv``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bastion.scanners.sca import match_packages
from bastion.scanners.sca.matcher import PackageMatch
from bastion.scanners.sca.osv.store import VulnStore
from bastion.scanners.sca.package import Package


def vulnerable(store: VulnStore, packages: list[Package]) -> dict[str, PackageMatch]:
    return {m.package.purl: m for m in match_packages(store, packages)}


def ids(match: PackageMatch) -> set[str]:
    return {i for v in match.vulnerabilities for i in v.advisory_ids}


@pytest.mark.parametrize(
    ("asset", "fixes"),
    [
        (
            "go/bastion-written",
            {
                "pkg:golang/github.com/gin-gonic/gin@v1.8.1": "1.9.1",
                "pkg:golang/github.com/sirupsen/logrus@v1.9.0": "1.9.1",
                "pkg:golang/golang.org/x/crypto@v0.5.0": None,  # GO-2026-5932 has no fixed version
                "pkg:golang/golang.org/x/net@v0.7.0": "0.56.0",
                "pkg:golang/golang.org/x/sys@v0.5.0": "0.44.0",
                "pkg:golang/golang.org/x/text@v0.7.0": "0.39.0",
                "pkg:golang/google.golang.org/protobuf@v1.28.1": "1.33.0",
            },
        ),
        (
            "ruby/bastion-written",
            {
                "pkg:gem/activesupport@6.1.4.4": "7.2.3.1",
                "pkg:gem/concurrent-ruby@1.1.9": "1.3.7",
                "pkg:gem/nokogiri@1.13.1": "1.19.4",
                "pkg:gem/puma@5.6.2": "7.2.1",
                "pkg:gem/rack@2.2.3": "2.2.23",
                "pkg:gem/sinatra@2.2.0": "4.2.0",
            },
        ),
        (
            "php/bastion-written",
            {
                "pkg:composer/guzzlehttp/guzzle@7.4.1": "7.12.1",
                "pkg:composer/guzzlehttp/psr7@2.1.0": "2.12.1",
                "pkg:composer/phpmailer/phpmailer@v6.4.1": "6.5.0",
            },
        ),
        ("maven/bastion-written", {"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1": "2.15.0"}),
        ("gradle/bastion-written", {"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1": "2.15.0"}),
    ],
)
def test_exactly_the_vulnerable_pins_are_matched(
    osv_store: VulnStore,
    sca_asset: Callable[[str], Path],
    packages_of: Callable[[Path], list[Package]],
    asset: str,
    fixes: dict[str, str | None],
) -> None:
    found = vulnerable(osv_store, packages_of(sca_asset(asset)))
    assert {purl: m.fix for purl, m in found.items()} == fixes


def test_go_advisories(
    osv_store: VulnStore, sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = vulnerable(osv_store, packages_of(sca_asset("go/bastion-written")))
    gin = found["pkg:golang/github.com/gin-gonic/gin@v1.8.1"]
    # GO-2023-1737 starts at a pseudo-version of 1.3.1; GO-2020-0001 and GO-2021-0052 were fixed before 1.8.1.
    assert ids(gin) == {"GO-2023-1737"} and gin.vulnerabilities[0].primary_id == "CVE-2023-29401"
    assert ids(found["pkg:golang/github.com/sirupsen/logrus@v1.9.0"]) == {"GO-2025-4188"}
    assert ids(found["pkg:golang/google.golang.org/protobuf@v1.28.1"]) == {"GO-2024-2611"}
    net = found["pkg:golang/golang.org/x/net@v0.7.0"]
    assert len(net.vulnerabilities) == 16 and "GO-2023-1571" not in ids(net)  # fixed in 0.7.0 itself
    assert (net.fixes["CVE-2023-3978"], net.fixes["CVE-2023-39325"]) == ("0.13.0", "0.17.0")
    crypto = found["pkg:golang/golang.org/x/crypto@v0.5.0"]
    assert len(crypto.vulnerabilities) == 20
    assert crypto.fixes["CVE-2023-48795"] == "0.17.0" and crypto.fixes["GO-2026-5932"] is None
    # yaml.v3 is required at a vulnerable pseudo-version but replaced by v3.0.1, which GO-2022-0603 does not affect.
    assert not any("yaml" in purl for purl in found)


def test_ruby_advisories(
    osv_store: VulnStore, sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = vulnerable(osv_store, packages_of(sca_asset("ruby/bastion-written")))
    sinatra = found["pkg:gem/sinatra@2.2.0"]
    assert ids(sinatra) == {"CVE-2022-45442", "CVE-2024-21510", "CVE-2025-61921"}  # CVE-2022-29970 is fixed in 2.2.0
    assert sinatra.fixes["CVE-2022-45442"] == "2.2.3"
    puma = found["pkg:gem/puma@5.6.2"]
    assert ids(puma) == {
        "CVE-2022-24790",
        "CVE-2023-40175",
        "CVE-2024-21647",
        "CVE-2024-45614",
        "CVE-2026-47736",
        "CVE-2026-47737",
    }
    assert (puma.fixes["CVE-2022-24790"], puma.fixes["CVE-2026-47736"]) == ("5.6.4", "7.2.1")
    activesupport = found["pkg:gem/activesupport@6.1.4.4"]
    assert ids(activesupport) == {
        "CVE-2023-22796",
        "CVE-2023-28120",
        "CVE-2023-38037",
        "CVE-2026-33169",
        "CVE-2026-33170",
        "CVE-2026-33176",
    }
    assert activesupport.fixes["CVE-2023-22796"] == "6.1.7.1"  # the 6.1 branch's own fix
    rack = found["pkg:gem/rack@2.2.3"]
    assert len(rack.vulnerabilities) == 32 and rack.fixes["CVE-2022-30123"] == "2.2.3.1"
    assert rack.package.path == ("rack-test", "rack")
    nokogiri = found["pkg:gem/nokogiri@1.13.1"]
    assert {"CVE-2022-24836", "GHSA-2qc6-mcvw-92cw"} <= ids(nokogiri) and nokogiri.fixes["CVE-2022-24836"] == "1.13.4"
    # tzinfo 2.0.4 is above CVE-2022-31163's 0.4 - 1.2.10 range; rack-protection 2.2.0 above CVE-2018-1000119's.
    assert "pkg:gem/tzinfo@2.0.4" not in found and "pkg:gem/rack-protection@2.2.0" not in found


def test_php_advisories(
    osv_store: VulnStore, sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]]
) -> None:
    found = vulnerable(osv_store, packages_of(sca_asset("php/bastion-written")))
    guzzle = found["pkg:composer/guzzlehttp/guzzle@7.4.1"]
    assert ids(guzzle) == {
        "CVE-2022-29248",
        "CVE-2022-31042",
        "CVE-2022-31043",
        "CVE-2022-31090",
        "CVE-2022-31091",
        "CVE-2026-55568",
        "CVE-2026-55767",
    }
    assert (guzzle.fixes["CVE-2022-29248"], guzzle.fixes["CVE-2022-31091"]) == ("7.4.3", "7.4.5")
    psr7 = found["pkg:composer/guzzlehttp/psr7@2.1.0"]
    assert ids(psr7) == {"CVE-2022-24775", "CVE-2023-29197", "CVE-2026-48998", "CVE-2026-49214", "CVE-2026-55766"}
    assert psr7.fixes["CVE-2022-24775"] == "2.1.1"
    mailer = found["pkg:composer/phpmailer/phpmailer@v6.4.1"]  # the v prefix is not part of the version
    assert ids(mailer) == {"CVE-2021-34551", "CVE-2021-3603"}  # CVE-2020-36326 is fixed in 6.4.1
    # monolog 2.3.5 is above FOPHP-2014-12-29-1 (1.8.0 - 1.12.0).
    assert "pkg:composer/monolog/monolog@2.3.5" not in found


@pytest.mark.parametrize("asset", ["maven/bastion-written", "gradle/bastion-written"])
def test_log4shell_in_maven_and_gradle(
    osv_store: VulnStore, sca_asset: Callable[[str], Path], packages_of: Callable[[Path], list[Package]], asset: str
) -> None:
    found = vulnerable(osv_store, packages_of(sca_asset(asset)))
    core = found["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"]
    assert ids(core) == {"GHSA-jfh8-c2jp-5v3q"} and core.vulnerabilities[0].primary_id == "CVE-2021-44228"
    assert core.fix == "2.15.0"
