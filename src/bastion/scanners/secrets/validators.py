"""Structural validators: checks a token format defines beyond its regex (checksums, decodable headers).

A validator takes the secret's bytes and returns True when the structure holds. A token that fails its format's
checksum is a hand-made decoy (test fixtures, documentation), so it is not reported.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable

__all__ = ["VALIDATORS", "base62_crc32", "validate"]

_BASE62 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62_crc32(payload: bytes) -> bytes:
    """The six-character base62 CRC32 suffix GitHub and npm append to a token's random part."""
    value = binascii.crc32(payload)
    digits = bytearray()
    while value:
        value, rest = divmod(value, 62)
        digits.append(_BASE62[rest])
    return bytes(reversed(digits)).rjust(6, b"0")


def _github_checksum(secret: bytes) -> bool:
    """``ghp_`` + 30 random + 6 checksum (https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/)."""
    body = secret[secret.index(b"_") + 1 :]
    return len(body) == 36 and base62_crc32(body[:30]) == body[30:]


def _b64decode(text: bytes) -> bytes:
    text = text.replace(b"-", b"+").replace(b"_", b"/")
    return base64.b64decode(text + b"=" * (-len(text) % 4))


def _jwt(secret: bytes) -> bool:
    """A JWT's first two segments are base64url JSON objects and the header names an algorithm."""
    try:
        header, payload = secret.split(b".")[:2]
        head = json.loads(_b64decode(header))
        body = json.loads(_b64decode(payload))
    except (ValueError, binascii.Error):
        return False
    return isinstance(head, dict) and "alg" in head and isinstance(body, dict)


def _pypi_macaroon(secret: bytes) -> bool:
    """PyPI tokens are ``pypi-`` and a base64url macaroon whose location is pypi.org or test.pypi.org."""
    try:
        decoded = _b64decode(secret[5:])
    except (ValueError, binascii.Error):
        return False
    return b"pypi.org" in decoded[:64]


def _base64_decodes(secret: bytes) -> bool:
    """The secret is well-formed base64 (keys shipped base64-encoded)."""
    try:
        _b64decode(secret.split(b":")[-1])
    except (ValueError, binascii.Error):
        return False
    return True


def _basic_auth(secret: bytes) -> bool:
    """A registry ``auth`` value is base64 of ``user:password``."""
    try:
        decoded = base64.b64decode(secret + b"=" * (-len(secret) % 4), validate=True)
    except (ValueError, binascii.Error):
        return False
    user, colon, password = decoded.partition(b":")
    return bool(colon and user and password) and all(32 <= byte < 127 for byte in decoded)


def _private_key(secret: bytes) -> bool:
    """A key block whose body is not a documentation stand-in."""
    lower = secret.lower()
    return not any(marker in lower for marker in (b"example", b"xxxxxxxx", b"redacted", b"${", b"<"))


def _twitter_bearer(secret: bytes) -> bool:
    """After the fixed run of ``A``, a bearer token is random, not more padding."""
    rest = secret.lstrip(b"A")
    return len(rest) >= 30 and len(set(rest)) >= 12


VALIDATORS: dict[str, Callable[[bytes], bool]] = {
    "github-crc32": _github_checksum,
    "jwt": _jwt,
    "pypi-macaroon": _pypi_macaroon,
    "base64": _base64_decodes,
    "basic-auth": _basic_auth,
    "private-key": _private_key,
    "twitter-bearer": _twitter_bearer,
}
"""Validators by the name a detector's ``validator`` field uses."""


def validate(name: str | None, secret: bytes) -> bool:
    """Run the validator ``name`` (True when there is none)."""
    return True if name is None else VALIDATORS[name](secret)
