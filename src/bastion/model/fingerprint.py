"""Fingerprints: the identity of a finding that survives unrelated edits to its file.

A fingerprint hashes the rule, the file path, the flagged code with all white space removed, and the occurrence
number of that same code among the rule's hits in the file. Line numbers are left out, so inserting or deleting
lines above a finding, or reformatting other code, keeps the fingerprint; editing the flagged code changes it.
"""

from __future__ import annotations

import hashlib

__all__ = ["fingerprint_of", "normalise_code"]


def normalise_code(code: str) -> str:
    """The code with every white-space character removed, so re-indentation and re-wrapping do not count."""
    return "".join(code.split())


def fingerprint_of(*parts: str | int | None) -> str:
    """Hex SHA-256 of the parts, each separated by NUL so that ``("ab", "c")`` differs from ``("a", "bc")``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(b"" if part is None else str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()
