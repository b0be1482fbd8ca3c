"""Placeholders and decoys: values shaped like secrets that documentation, templates and tests use instead.

A candidate is a placeholder when it contains a marker word (``example``, ``changeme``, ``dummy``...), template
syntax (``${VAR}``, ``{{ var }}``, ``<token>``, ``%s``), a run of one repeated character (``xxxxxx``,
``000000``) or an obvious sequence (``123456``, ``abcdef``). Generic assignments are also dropped when the value
is a reference to code or environment rather than a literal.
"""

from __future__ import annotations

import re

__all__ = ["generic_applies", "is_benign_key", "is_documented", "is_placeholder", "is_reference"]

_MARKERS = (
    b"example",
    b"changeme",
    b"change_me",
    b"change-me",
    b"placeholder",
    b"redacted",
    b"dummy",
    b"sample",
    b"your_",
    b"your-",
    b"yourkey",
    b"yourtoken",
    b"yoursecret",
    b"<",
    b">",
    b"${",
    b"{{",
    b"}}",
    b"%s",
    b"%(",
    b"$(",
    b"...",
    b"***",
    b"fake",
    b"notreal",
    b"not_real",
    b"not-real",
    b"insert",
    b"replace",
    b"abcdef",
    b"123456",
    b"qwerty",
    b"foobar",
    b"lorem",
)
_REPEAT = re.compile(rb"(.)\1{5}")
_REFERENCE = re.compile(
    rb"""^(?:
        [\w.]+\(.*                       # a call: get_secret(...)
      | (?:os\.|process\.|settings\.|self\.|config\.|env\.|ENV\[|request\.)[\w.\[\]'"]*
      | \$[A-Za-z_][\w]*                 # shell variable
      | %[A-Za-z_][\w]*%                 # batch variable
      | [A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+  # dotted name: obj.attr
    )$""",
    re.VERBOSE,
)
_GENERIC_WORDS = (
    b"password",
    b"passwd",
    b"secret",
    b"token",
    b"apikey",
    b"api_key",
    b"null",
    b"none",
    b"true",
    b"false",
    b"undefined",
    b"string",
    b"empty",
    b"test",
    b"default",
    b"admin",
)


_DOCUMENTED = frozenset(
    {
        # SHA-256 of secrets printed in public documentation: jwt.io's sample token, Stripe's docs test key,
        # GitHub's docs example token, AWS's example key pair (also caught by the ``example`` marker).
        "7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606",
        "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",
        "3543c50b0cb9cea8e55eb1f529b79f043cb250d485fde7b66cabbb5183add7da",
        "1a5d44a2dca19669d72edf4c4f1c27c4c1ca4b4408fbb17f6ce4ad452d78ddb3",
        "78314b11be2e581549ac1c4f616563fad3fdf0c3b71678f6e2299182080e0598",
    }
)
_BENIGN_KEY_WORDS = (
    "hash",
    "digest",
    "checksum",
    "sha1",
    "sha256",
    "md5",
    "salt",
    "public",
    "pubkey",
    "_id",
    "name",
    "url",
    "file",
    "path",
    "dir",
    "length",
    "type",
    "field",
    "format",
    "header",
    "prefix",
    "pattern",
    "regex",
    "label",
    "placeholder",
    "policy",
    "max",
    "expir",
    "ttl",
    "lifetime",
    "timeout",
    "reset",
    "confirm",
    "csrf",
    "xsrf",
    "hint",
    "input",
    "kind",
    "mode",
    "version",
    "_count",
    "size",
    "endpoint",
    "param",
    "display",
    "fake",
    "dummy",
    "example",
    "sample",
    "mock",
    "method",
    "algorithm",
    "validator",
    "class",
    "storage",
    "question",
    "message",
    "error",
    "text",
    "title",
    "widget",
    "view",
    "template",
    "setting",
    "variable",
    "location",
    "scheme",
    "generator",
    "test_",
    "_test",
    "masked",
)
_UUID = re.compile(rb"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_IDENTIFIER = re.compile(rb"^(?:[a-z][a-z_-]*|[A-Z][A-Z0-9_]*|[a-z]+(?:[A-Z][a-z]+)+)$")
_PASSWORD_HASH = re.compile(  # a stored password hash (Django, passlib, crypt), not a credential
    rb"^(?:pbkdf2_sha\d+|argon2(?:id|i|d)?|bcrypt(?:_sha256)?|scrypt|sha1|md5|crypt)\$"
    rb"|^\$(?:2[abxy]?|5|6|argon2\w*|scrypt)\$"
)


def is_documented(sha256_hex: str) -> bool:
    """True for a secret published in vendor documentation (by hash, so the value itself is not shipped)."""
    return sha256_hex in _DOCUMENTED


def is_benign_key(key: str) -> bool:
    """True when the name a value is assigned to says it is not a credential (``password_hash``, ``token_url``)."""
    lower = key.lower()
    return any(word in lower for word in _BENIGN_KEY_WORDS)


def is_placeholder(secret: bytes) -> bool:
    """True when ``secret`` looks like a stand-in rather than a real credential."""
    lower = secret.lower()
    if any(marker in lower for marker in _MARKERS):
        return True
    return _REPEAT.search(secret) is not None


def is_reference(value: bytes) -> bool:
    """True when a generic assignment's value is code, a variable or a word rather than a literal secret."""
    lower = value.lower()
    if any(word in lower for word in _GENERIC_WORDS) or lower.startswith((b"/", b"./", b"../", b"~/", b"http")):
        return True
    return any(p.match(value) is not None for p in (_REFERENCE, _UUID, _IDENTIFIER, _PASSWORD_HASH))


_NO_GENERIC = re.compile(
    r"(?:\.(?:po|pot|lock|sum)|(?:^|/)(?:package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml))$"
)


def generic_applies(path: str) -> bool:
    """False for translation catalogues and lockfiles: words like "password" there are UI text or package
    names, and their values are hashes, so only format-specific detectors run on them."""
    return _NO_GENERIC.search(path) is None
