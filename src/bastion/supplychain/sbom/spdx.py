"""The SPDX SBOM: an ``SbomSubject`` as an SPDX 2.3 JSON document, built and validated with ``spdx-tools``.

The product is the package the document ``DESCRIBES``; it ``DEPENDS_ON`` its direct runtime dependencies, direct
development ones are ``DEV_DEPENDENCY_OF`` it, and each component ``DEPENDS_ON`` the ones its dependency paths
show. Every package carries its purl as a ``PACKAGE-MANAGER`` external reference.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bastion.supplychain.errors import SupplyChainError
from bastion.supplychain.sbom.components import SbomSubject

if TYPE_CHECKING:
    from spdx_tools.spdx.model.document import Document
    from spdx_tools.spdx.model.package import Package

    from bastion.scanners.sca.digests import Digest

__all__ = ["spdx_json", "validate_spdx"]

_NAMESPACE = "https://bastion.dev/spdx"
_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


def spdx_json(subject: SbomSubject, *, now: datetime | None = None) -> str:
    """The SBOM as SPDX 2.3 JSON text (validated by ``spdx-tools`` before it is written)."""
    from spdx_tools.spdx.writer.write_utils import convert, validate_and_deduplicate

    try:
        document = validate_and_deduplicate(_document(subject, now or datetime.now(UTC)), validate=True)
    except ValueError as err:
        raise SupplyChainError(f"{subject.name}: cannot write a valid SPDX document: {str(err)[:200]}") from err
    data: dict[str, Any] = convert(document, None)  # type: ignore[arg-type]
    # spdx-tools writes PACKAGE_MANAGER; the SPDX 2.3 text and JSON schema spell it PACKAGE-MANAGER
    # (https://github.com/spdx/tools-python/issues/813), and schema-validating consumers reject the underscore.
    for package in data.get("packages", []):
        for reference in package.get("externalRefs", []):
            reference["referenceCategory"] = reference["referenceCategory"].replace("_", "-")
    return json.dumps(data, indent=2) + "\n"


def validate_spdx(text: str, *, source: str = "SBOM") -> None:
    """Parse SPDX 2.3 JSON with ``spdx-tools`` and run its full validation; ``SupplyChainError`` when it fails."""
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    try:
        document = JsonLikeDictParser().parse(json.loads(text))  # type: ignore[no-untyped-call]
    except (ValueError, SPDXParsingError) as err:
        raise SupplyChainError(f"{source}: not a valid SPDX 2.3 JSON document: {str(err)[:200]}") from err
    messages = validate_full_spdx_document(document)
    if messages:
        raise SupplyChainError(f"{source}: not a valid SPDX 2.3 document: {messages[0].validation_message}")


def _document(subject: SbomSubject, now: datetime) -> Document:
    from spdx_tools.spdx.model.actor import Actor, ActorType
    from spdx_tools.spdx.model.document import CreationInfo, Document
    from spdx_tools.spdx.model.relationship import Relationship, RelationshipType

    product_id = "SPDXRef-Product"
    ids = {c.purl: f"SPDXRef-Package-{index}-{_UNSAFE.sub('-', c.name)}" for index, c in enumerate(subject.components)}
    creation = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id="SPDXRef-DOCUMENT",
        name=f"{subject.name} SBOM",
        document_namespace=f"{_NAMESPACE}/{_UNSAFE.sub('-', subject.name)}-{uuid.uuid4()}",
        creators=[Actor(ActorType.TOOL, f"bastion-{subject.tool_version}")],
        created=now.replace(microsecond=0),
        creator_comment=f"commit {subject.commit}" if subject.commit else None,
    )
    product = _package(product_id, subject.name, subject.version, None, None)
    if subject.commit:
        product.comment = f"commit {subject.commit}"
    packages = [product] + [
        _package(ids[c.purl], c.name, c.version, c.purl, c.licence, c.digests) for c in subject.components
    ]
    relationships = [Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, product_id)]
    by_purl = {c.purl: c for c in subject.components}
    for purl in subject.direct:
        if by_purl[purl].scope.value == "dev":
            relationships.append(Relationship(ids[purl], RelationshipType.DEV_DEPENDENCY_OF, product_id))
        else:
            relationships.append(Relationship(product_id, RelationshipType.DEPENDS_ON, ids[purl]))
    for component in subject.components:
        relationships += [
            Relationship(ids[component.purl], RelationshipType.DEPENDS_ON, ids[child])
            for child in component.depends_on
            if child in ids
        ]
    return Document(creation, packages=packages, relationships=relationships)


def _package(
    spdx_id: str,
    name: str,
    version: str | None,
    purl: str | None,
    licence: str | None,
    digests: tuple[Digest, ...] = (),
) -> Package:
    from spdx_tools.spdx.model.checksum import Checksum, ChecksumAlgorithm
    from spdx_tools.spdx.model.package import ExternalPackageRef, ExternalPackageRefCategory, Package, PackagePurpose
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

    references = [ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", purl)] if purl else []
    return Package(
        spdx_id=spdx_id,
        name=name,
        download_location=SpdxNoAssertion(),
        version=version,
        files_analyzed=False,
        license_concluded=SpdxNoAssertion(),
        license_declared=_licence(licence),
        external_references=references,
        checksums=[Checksum(ChecksumAlgorithm[d.algorithm.replace("-", "")], d.value) for d in digests],
        primary_package_purpose=PackagePurpose.LIBRARY if purl else PackagePurpose.APPLICATION,
    )


def _licence(expression: str | None) -> Any:
    from license_expression import ExpressionError, get_spdx_licensing  # type: ignore[import-untyped]
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

    if not expression:
        return SpdxNoAssertion()
    licensing = get_spdx_licensing()
    try:
        parsed = licensing.parse(expression, validate=True, strict=True)
    except ExpressionError:
        # Not an SPDX-listed expression (a LicenseRef would need the licence text in the document): say so.
        return SpdxNoAssertion()
    return parsed
