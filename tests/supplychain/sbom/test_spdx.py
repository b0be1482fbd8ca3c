"""SPDX SBOMs: valid SPDX 2.3 (spdx-tools' parser and validator, and spdx-spec's JSON schema)."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files

import pytest

from bastion.supplychain import SupplyChainError
from bastion.supplychain.sbom import SbomSubject, collect, spdx_json, validate_spdx
from tests.supplychain.conftest import supplychain_asset
from tests.supplychain.sbom.conftest import FLASK_FILES


def spdx_23_schema() -> dict[str, object]:
    """spdx-spec's schemas/spdx-schema.json at v2.3, as lib4sbom (a dev dependency) ships it: not vendored here."""
    schema: dict[str, object] = json.loads((files("lib4sbom") / "schemas" / "spdx" / "2.3-schema.json").read_text())
    assert schema["$id"] == "http://spdx.org/rdf/terms/2.3"
    return schema


def test_sbom_parses_and_validates_with_spdx_tools(subject: SbomSubject) -> None:
    validate_spdx(spdx_json(subject))


def test_sbom_validates_against_the_spdx_json_schema(subject: SbomSubject) -> None:
    import jsonschema

    schema = spdx_23_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    for document in (spdx_json(subject), spdx_json(collect(supplychain_asset("shop")))):
        validator.validate(json.loads(document))


def test_the_spdx_json_schema_rejects_a_broken_document(subject: SbomSubject) -> None:
    import jsonschema

    schema = spdx_23_schema()
    document = json.loads(spdx_json(subject))
    flask = next(package for package in document["packages"] if package["name"] == "Flask")
    flask["externalRefs"][0]["referenceCategory"] = "PACKAGE_MANAGER"  # the 2.2 spelling
    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(document))
    assert errors and "PACKAGE_MANAGER" in errors[0].message


def test_packages_carry_purls_licences_and_relationships(subject: SbomSubject) -> None:
    document = json.loads(spdx_json(subject))
    assert document["spdxVersion"] == "SPDX-2.3"
    assert document["creationInfo"]["creators"] == ["Tool: bastion-0.1.0"]
    packages = {p["name"]: p for p in document["packages"]}
    flask = packages["Flask"]
    assert flask["externalRefs"] == [
        {"referenceCategory": "PACKAGE-MANAGER", "referenceLocator": "pkg:pypi/flask@3.0.3", "referenceType": "purl"}
    ]
    assert flask["licenseDeclared"] == "BSD-3-Clause"
    assert packages["Jinja2"]["licenseDeclared"] == "BSD-3-Clause OR MIT"
    assert packages["pytest"]["licenseDeclared"] == "NOASSERTION"  # not an SPDX id: no LicenseRef without its text
    assert packages["shop"]["comment"] == "commit 3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49"
    ids = {p["name"]: p["SPDXID"] for p in document["packages"]}
    relations = {
        (r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]) for r in document["relationships"]
    }
    assert ("SPDXRef-DOCUMENT", "DESCRIBES", ids["shop"]) in relations
    assert (ids["shop"], "DEPENDS_ON", ids["Flask"]) in relations
    assert (ids["pytest"], "DEV_DEPENDENCY_OF", ids["shop"]) in relations
    assert (ids["Flask"], "DEPENDS_ON", ids["Jinja2"]) in relations


def test_an_invalid_document_fails_validation_in_one_line(subject: SbomSubject) -> None:
    document = json.loads(spdx_json(subject))
    document["packages"][1]["SPDXID"] = "not-an-spdx-id"
    with pytest.raises(SupplyChainError, match=r"^x.json: not a valid SPDX 2.3 document: ") as caught:
        validate_spdx(json.dumps(document), source="x.json")
    assert "\n" not in str(caught.value)


def test_packages_carry_the_lockfile_digests_as_checksums(subject: SbomSubject) -> None:
    packages = {p["name"]: p for p in json.loads(spdx_json(subject))["packages"]}
    expected = sorted(hashlib.sha256(name.encode()).hexdigest() for name in FLASK_FILES)
    assert sorted(c["checksumValue"] for c in packages["Flask"]["checksums"]) == expected
    assert {c["algorithm"] for c in packages["Flask"]["checksums"]} == {"SHA256"}
    assert "checksums" not in packages["Jinja2"]
