"""The CycloneDX SBOM: an ``SbomSubject`` as CycloneDX 1.6 or 1.5 JSON, through ``cyclonedx-python-lib``.

Every component carries its purl (also its ``bom-ref``), licence, scope (development dependencies are
``excluded``: not shipped at run time) and the files it was found in; the product is ``metadata.component``,
bastion is the tool, and the commit is a property of the product.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.supplychain.errors import SupplyChainError
from bastion.supplychain.sbom.components import Component, SbomSubject
from bastion.supplychain.sbom.format import CycloneDxVersion

if TYPE_CHECKING:
    from cyclonedx.model.component import Component as CdxComponent

__all__ = ["cyclonedx_json", "validate_cyclonedx"]


def cyclonedx_json(subject: SbomSubject, version: CycloneDxVersion = CycloneDxVersion.V1_6) -> str:
    """The SBOM as CycloneDX JSON text."""
    from cyclonedx.model import Property
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component as CdxComponent
    from cyclonedx.model.component import ComponentType
    from cyclonedx.output.json import JsonV1Dot5, JsonV1Dot6

    bom = Bom()
    product = CdxComponent(
        type=ComponentType.APPLICATION,
        name=subject.name,
        version=subject.version,
        bom_ref=f"bastion:product:{subject.name}",
        properties=[Property(name="bastion:commit", value=subject.commit)] if subject.commit else None,
    )
    bom.metadata.component = product
    bom.metadata.tools.components.add(
        CdxComponent(type=ComponentType.APPLICATION, name="bastion", version=subject.tool_version, group="bastion")
    )
    made = {component.purl: _component(component) for component in subject.components}
    bom.components.update(made.values())
    bom.register_dependency(product, [made[purl] for purl in subject.direct])
    for component in subject.components:
        bom.register_dependency(made[component.purl], [made[p] for p in component.depends_on if p in made])
    writer = JsonV1Dot6 if version is CycloneDxVersion.V1_6 else JsonV1Dot5
    return writer(bom).output_as_string(indent=2) + "\n"


def _component(component: Component) -> CdxComponent:
    from cyclonedx.contrib.license.factories import LicenseFactory
    from cyclonedx.model import HashAlgorithm, HashType, Property
    from cyclonedx.model.component import Component as CdxComponent
    from cyclonedx.model.component import ComponentScope, ComponentType
    from packageurl import PackageURL

    scope = {"runtime": ComponentScope.REQUIRED, "optional": ComponentScope.OPTIONAL}.get(
        component.scope.value, ComponentScope.EXCLUDED
    )
    properties = [Property(name="bastion:source", value=source) for source in component.sources]
    if component.direct is not None:
        properties.append(Property(name="bastion:direct", value=str(component.direct).lower()))
    return CdxComponent(
        type=ComponentType.LIBRARY,
        name=component.name,
        version=component.version,
        purl=PackageURL.from_string(component.purl),
        bom_ref=component.purl,
        scope=scope,
        licenses=[LicenseFactory().make_from_string(component.licence)] if component.licence else None,
        properties=properties,
        hashes=[HashType(alg=HashAlgorithm(digest.algorithm), content=digest.value) for digest in component.digests],
    )


def validate_cyclonedx(text: str, version: CycloneDxVersion = CycloneDxVersion.V1_6, *, source: str = "SBOM") -> None:
    """Check CycloneDX JSON against the specification's strict JSON schema; ``SupplyChainError`` when it fails."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    schema = SchemaVersion.V1_6 if version is CycloneDxVersion.V1_6 else SchemaVersion.V1_5
    error = JsonStrictValidator(schema).validate_str(text)
    if error is not None:
        raise SupplyChainError(f"{source}: not valid CycloneDX {version}: {str(error).splitlines()[0]}")
