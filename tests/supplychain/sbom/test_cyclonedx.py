"""CycloneDX SBOMs: valid against the 1.6 and 1.5 strict JSON schemas, with purls, hashes, licences, scope, graph."""

from __future__ import annotations

import hashlib
import json

import pytest

from bastion.supplychain import SupplyChainError
from bastion.supplychain.sbom import CycloneDxVersion, SbomSubject, collect, cyclonedx_json, validate_cyclonedx
from tests.scanners.sca.conftest import ASSETS as SCA_ASSETS
from tests.supplychain.conftest import supplychain_asset
from tests.supplychain.sbom.conftest import FLASK_FILES


@pytest.mark.parametrize("version", list(CycloneDxVersion))
def test_sbom_validates_against_the_strict_schema(subject: SbomSubject, version: CycloneDxVersion) -> None:
    text = cyclonedx_json(subject, version)
    validate_cyclonedx(text, version)
    document = json.loads(text)
    assert (document["bomFormat"], document["specVersion"]) == ("CycloneDX", version.value)


def test_components_carry_purl_licence_scope_and_source(subject: SbomSubject) -> None:
    document = json.loads(cyclonedx_json(subject))
    by_purl = {c["purl"]: c for c in document["components"]}
    assert set(by_purl) == {"pkg:pypi/flask@3.0.3", "pkg:pypi/jinja2@3.1.4", "pkg:pypi/pytest@8.2.0"}
    flask = by_purl["pkg:pypi/flask@3.0.3"]
    assert flask["bom-ref"] == flask["purl"]
    assert flask["licenses"] == [{"license": {"id": "BSD-3-Clause"}}]
    assert by_purl["pkg:pypi/jinja2@3.1.4"]["licenses"] == [{"expression": "BSD-3-Clause OR MIT"}]
    assert by_purl["pkg:pypi/pytest@8.2.0"]["licenses"] == [{"license": {"name": "Some-Custom-Licence"}}]
    assert by_purl["pkg:pypi/pytest@8.2.0"]["scope"] == "excluded"
    assert flask["scope"] == "required"
    assert {"name": "bastion:source", "value": "poetry.lock"} in flask["properties"]


def test_metadata_names_the_product_tool_and_commit(subject: SbomSubject) -> None:
    metadata = json.loads(cyclonedx_json(subject))["metadata"]
    assert metadata["component"]["name"] == "shop"
    assert metadata["component"]["properties"] == [
        {"name": "bastion:commit", "value": "3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49"}
    ]
    assert metadata["tools"]["components"][0]["name"] == "bastion"


def test_dependency_graph_starts_at_the_product(subject: SbomSubject) -> None:
    dependencies = {d["ref"]: d.get("dependsOn", []) for d in json.loads(cyclonedx_json(subject))["dependencies"]}
    assert sorted(dependencies["bastion:product:shop"]) == ["pkg:pypi/flask@3.0.3", "pkg:pypi/pytest@8.2.0"]
    assert dependencies["pkg:pypi/flask@3.0.3"] == ["pkg:pypi/jinja2@3.1.4"]
    assert dependencies["pkg:pypi/jinja2@3.1.4"] == []


def test_sbom_of_real_lockfiles_validates() -> None:
    text = cyclonedx_json(collect(supplychain_asset("shop"), commit="abc"))
    validate_cyclonedx(text)
    purls = {c["purl"] for c in json.loads(text)["components"]}
    assert "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" in purls
    assert "pkg:pypi/requests@2.32.3" in purls


def test_an_invalid_document_fails_validation_in_one_line(subject: SbomSubject) -> None:
    document = json.loads(cyclonedx_json(subject))
    document["components"][0]["type"] = "gadget"
    with pytest.raises(SupplyChainError, match=r"^x.json: not valid CycloneDX 1.6: ") as caught:
        validate_cyclonedx(json.dumps(document), source="x.json")
    assert "\n" not in str(caught.value)


def test_components_carry_the_lockfile_digests(subject: SbomSubject) -> None:
    components = {c["name"]: c for c in json.loads(cyclonedx_json(subject))["components"]}
    expected = sorted(hashlib.sha256(name.encode()).hexdigest() for name in FLASK_FILES)
    assert sorted(h["content"] for h in components["Flask"]["hashes"]) == expected
    assert {h["alg"] for h in components["Flask"]["hashes"]} == {"SHA-256"}
    assert "hashes" not in components["Jinja2"]  # none known: none invented


def test_digests_of_a_real_lockfile_reach_the_sbom() -> None:
    document = json.loads(cyclonedx_json(collect(SCA_ASSETS / "rust" / "orjson")))
    itoa = next(c for c in document["components"] if c["purl"] == "pkg:cargo/itoa@1.0.9")
    # Cargo.lock: checksum = "af150ab6…" for itoa 1.0.9
    assert itoa["hashes"] == [
        {"alg": "SHA-256", "content": "af150ab688ff2122fcef229be89cb50dd66af9e01a4ff320cc137eecc9bacc38"}
    ]
    assert all(c.get("hashes") for c in document["components"])  # every crates.io entry has a checksum
