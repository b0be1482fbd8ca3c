"""Rule families: which rules of different tools, and which CWEs, name the same kind of problem.

A family is a short name (``sql-injection``) given to CWE numbers and to rule ids of the tools we import. Rule
ids are normalised before lookup (lower case, non-alphanumerics dropped, leading zeros of numbers dropped), so
trivy's ``DS-0002`` and ``DS002`` are one id. semgrep ids are matched by a fragment of their last segment, since
rule packs are nested differently (``python.lang.security.audit.subprocess-shell-true``). This table is data:
add a line to teach dedup a new equivalence.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["SECRET_FAMILY", "families_of", "normalise_rule"]

SECRET_FAMILY = "hardcoded-secret"  # noqa: S105 - a family name, not a password

_BY_CWE: dict[int, str] = {
    89: "sql-injection",
    564: "sql-injection",
    78: "command-injection",
    77: "command-injection",
    502: "deserialization",
    327: "weak-crypto",
    328: "weak-crypto",
    916: "weak-crypto",
    798: SECRET_FAMILY,
    259: SECRET_FAMILY,
    321: SECRET_FAMILY,
    295: "tls-verification-disabled",
    94: "code-injection",
    95: "code-injection",
    79: "cross-site-scripting",
    22: "path-traversal",
    918: "server-side-request-forgery",
    611: "xml-external-entity",
}

_BY_RULE: dict[str, str] = {
    # bandit (and bastion's sast control, which runs bandit)
    "b608": "sql-injection",
    "b611": "sql-injection",
    "b602": "command-injection",
    "b604": "command-injection",
    "b605": "command-injection",
    "b609": "command-injection",
    "b301": "deserialization",
    "b506": "deserialization",
    "b303": "weak-crypto",
    "b324": "weak-crypto",
    "b105": SECRET_FAMILY,
    "b106": SECRET_FAMILY,
    "b107": SECRET_FAMILY,
    "b501": "tls-verification-disabled",
    "b201": "debug-enabled",
    "b104": "bind-all-interfaces",
    # Dockerfile checks: checkov, trivy
    "ckvdocker4": "dockerfile-add-instead-of-copy",
    "ds5": "dockerfile-add-instead-of-copy",
    "ckvdocker3": "dockerfile-root-user",
    "ds2": "dockerfile-root-user",
    "ckvdocker2": "dockerfile-no-healthcheck",
    "ds26": "dockerfile-no-healthcheck",
    "ckvdocker7": "dockerfile-latest-tag",
    "ds1": "dockerfile-latest-tag",
    # Terraform: checkov, trivy (AVD ids)
    "ckvaws20": "s3-public-acl",
    "avdaws92": "s3-public-acl",
    "aws92": "s3-public-acl",
    "ckvaws24": "open-ssh-ingress",
    "avdaws107": "open-ssh-ingress",
    "aws107": "open-ssh-ingress",
}

_BY_FRAGMENT: tuple[tuple[str, str], ...] = (
    ("sqli", "sql-injection"),
    ("sql-injection", "sql-injection"),
    ("formatted-sql", "sql-injection"),
    ("shell-true", "command-injection"),
    ("subprocess-injection", "command-injection"),
    ("os-system", "command-injection"),
    ("pickle", "deserialization"),
    ("yaml-load", "deserialization"),
    ("md5", "weak-crypto"),
    ("sha1", "weak-crypto"),
    ("insecure-hash", "weak-crypto"),
    ("verify-false", "tls-verification-disabled"),
    ("debug-enabled", "debug-enabled"),
)

_SEPARATORS = re.compile(r"[^a-z0-9]+")
_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")


def normalise_rule(rule_id: str) -> str:
    """``DS-0002`` → ``ds2``; ``CKV_DOCKER_4`` → ``ckvdocker4``."""
    return _LEADING_ZEROS.sub("", _SEPARATORS.sub("", rule_id.lower()))


@cache
def families_of(rule_id: str, cwes: tuple[int, ...]) -> frozenset[str]:
    """The families a rule and its CWEs belong to; a CWE in no family stands for itself (``cwe-1333``)."""
    found = {_BY_CWE.get(cwe, f"cwe-{cwe}") for cwe in cwes}
    rule = _BY_RULE.get(normalise_rule(rule_id))
    if rule is not None:
        found.add(rule)
    last = rule_id.lower().rsplit(".", 1)[-1]
    found.update(family for fragment, family in _BY_FRAGMENT if fragment in last)
    return frozenset(found)
