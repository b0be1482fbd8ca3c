"""The ``iac`` control: infrastructure as code and CI configuration, parsed to JSON and checked by Rego.

Parsers turn Terraform (HCL and plan JSON), CloudFormation, Kubernetes, Dockerfiles, Compose, GitHub Actions and
GitLab CI files into input documents with ``file`` and ``line`` on every element; the checks shipped in
``checks/*.rego`` (and the user's own) are evaluated by regopy. See ``docs/policy.md``.
"""

from __future__ import annotations

from bastion.scanners.iac.bundle import CheckBundle, RegoSource, check_bundle, user_sources
from bastion.scanners.iac.document import DocumentKind, InputDocument, merge_documents
from bastion.scanners.iac.errors import IacError, IacSyntaxError
from bastion.scanners.iac.scanner import IacOptions, IacScanner, findings_of
from bastion.scanners.iac.sources import Sources, read_sources

__all__ = [
    "CheckBundle",
    "DocumentKind",
    "IacError",
    "IacOptions",
    "IacScanner",
    "IacSyntaxError",
    "InputDocument",
    "RegoSource",
    "Sources",
    "check_bundle",
    "findings_of",
    "merge_documents",
    "read_sources",
    "user_sources",
]
