"""Dockerfiles as input documents, read with ``dockerfile-parse``.

A Dockerfile element lists its build ``stages``; each stage has its base ``image``, its ``name`` (``AS ...``)
and its ``instructions`` (``cmd`` in upper case, ``value`` with line continuations joined, ``line``).
"""

from __future__ import annotations

import io
from typing import Any

from bastion.scanners.iac.document import DocumentKind, InputDocument

__all__ = ["parse_dockerfile"]


def parse_dockerfile(text: str, path: str) -> InputDocument:
    """One Dockerfile."""
    from dockerfile_parse import DockerfileParser

    parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")), env_replace=False)
    stages: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for item in parser.structure:
        cmd = str(item["instruction"]).upper()
        value = str(item["value"])
        line = int(item["startline"]) + 1
        if cmd == "COMMENT":
            continue
        if cmd == "FROM" or current is None:
            words = [w for w in value.split() if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else ""
            current = {"image": words[0] if words else "", "name": name, "line": line, "instructions": []}
            stages.append(current)
        current["instructions"].append(
            {
                "cmd": cmd,
                "value": value,
                "line": line,
                "end_line": int(item["endline"]) + 1,
            }
        )
    element = {"file": path, "line": 1, "stages": stages}
    return InputDocument(kind=DocumentKind.DOCKERFILE, files=(path,), elements=(element,))
