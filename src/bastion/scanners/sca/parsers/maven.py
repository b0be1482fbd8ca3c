"""``pom.xml``: a Maven project's declared dependencies, with ``${property}`` references resolved.

Properties come from ``<properties>``, ``project.version``/``project.groupId`` and the parent's version; a
dependency without a version takes it from ``<dependencyManagement>``. Transitive dependencies need Maven's
resolver and a repository, so only direct ones are reported; ``test`` scope is development, ``optional`` is
optional. Versions that stay unresolved (from a parent POM or BOM not in the file) are skipped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.package import Package, Scope
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_pom"]

_PROPERTY = re.compile(r"\$\{([^}]+)\}")
_DEV_SCOPES = {"test"}


def parse_pom(source: LockfileSource) -> list[Package]:
    """The direct dependencies of a ``pom.xml`` whose versions resolve."""
    if "<!DOCTYPE" in source.text or "<!ENTITY" in source.text:
        raise source.error(None, "DTDs and entities are not accepted in pom.xml")
    try:
        root = ET.fromstring(source.text)  # noqa: S314 - entity declarations rejected above
    except ET.ParseError as err:
        raise source.error(err.position[0], f"invalid XML: {err.msg if hasattr(err, 'msg') else err}") from err
    namespace = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""

    def find(node: ET.Element, path: str) -> str | None:
        found = node.find("/".join(namespace + part for part in path.split("/")))
        return found.text.strip() if found is not None and found.text else None

    properties = {
        "project.version": find(root, "version") or find(root, "parent/version") or "",
        "project.groupId": find(root, "groupId") or find(root, "parent/groupId") or "",
        "project.parent.version": find(root, "parent/version") or "",
    }
    block = root.find(namespace + "properties")
    for child in block if block is not None else ():
        properties[child.tag.removeprefix(namespace)] = (child.text or "").strip()

    def resolve(text: str | None) -> str | None:
        for _ in range(5):
            if text is None or "${" not in text:
                return text
            text = _PROPERTY.sub(lambda m: properties.get(m[1], m[0]), text)
        return text

    managed: dict[str, str] = {}
    for node in root.iterfind(f"{namespace}dependencyManagement/{namespace}dependencies/{namespace}dependency"):
        version = resolve(find(node, "version"))
        if version:
            managed[f"{resolve(find(node, 'groupId'))}:{resolve(find(node, 'artifactId'))}"] = version
    packages = []
    lines = _dependency_lines(source.text)
    for index, node in enumerate(root.iterfind(f"{namespace}dependencies/{namespace}dependency")):
        start, artifact_line = lines[index] if index < len(lines) else (None, None)
        group, artifact = resolve(find(node, "groupId")), resolve(find(node, "artifactId"))
        if not group or not artifact:
            raise source.error(start, "dependency without groupId/artifactId")
        coordinate = f"{group}:{artifact}"
        line = artifact_line or start
        version = resolve(find(node, "version")) or managed.get(coordinate)
        if not version or "${" in version or version.startswith(("[", "(")):
            continue
        scope = Scope.DEV if (find(node, "scope") or "") in _DEV_SCOPES else Scope.RUNTIME
        if find(node, "optional") == "true" and scope is Scope.RUNTIME:
            scope = Scope.OPTIONAL
        packages.append(Package(Ecosystem.MAVEN, coordinate, version, source.path, line, scope, direct=True))
    return packages


def _dependency_lines(text: str) -> list[tuple[int, int | None]]:
    """For each ``project/dependencies/dependency`` in order: the line of its tag and of its ``artifactId``.

    ElementTree keeps no positions, and searching the text for the artifactId finds a ``dependencyManagement``
    or plugin entry of the same artifact first; expat reports the line of every start tag as it parses.
    """
    found: list[tuple[int, int | None]] = []
    stack: list[str] = []
    parser = expat.ParserCreate()

    def start(name: str, _attributes: object) -> None:
        stack.append(name.rsplit(":", 1)[-1])
        if len(stack) == 3 and stack[1:] == ["dependencies", "dependency"]:
            found.append((parser.CurrentLineNumber, None))
        elif len(stack) == 4 and stack[1:] == ["dependencies", "dependency", "artifactId"] and found:
            found[-1] = (found[-1][0], parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda _name: stack.pop()
    parser.Parse(text, True)
    return found
