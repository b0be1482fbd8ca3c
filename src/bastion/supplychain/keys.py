"""Signing keys: Ed25519 and ECDSA P-256 key pairs as PEM files, and the key id that names a public key.

The key id is the SHA-256 of the public key's DER ``SubjectPublicKeyInfo``, in hex: it depends on the key alone,
not on how the file is written. Private keys are written with mode 0600, optionally encrypted with a passphrase.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import NewType

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from bastion.supplychain.errors import SupplyChainError

__all__ = [
    "KeyAlgorithm",
    "KeyId",
    "PrivateKey",
    "PublicKey",
    "generate_key",
    "load_private_key",
    "load_public_key",
    "write_key_pair",
]

KeyId = NewType("KeyId", str)
"""Hex SHA-256 of a public key's DER SubjectPublicKeyInfo."""

_PRIVATE_MODE = 0o600


class KeyAlgorithm(StrEnum):
    """The signature algorithms bastion signs with."""

    ED25519 = "ed25519"
    ECDSA_P256 = "ecdsa-p256"


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A public key that verifies signatures."""

    algorithm: KeyAlgorithm
    """Ed25519 or ECDSA P-256 (with SHA-256)."""
    key: ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey
    """The ``cryptography`` key object."""

    @property
    def keyid(self) -> KeyId:
        """The key id: hex SHA-256 of the DER SubjectPublicKeyInfo."""
        der = self.key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return KeyId(hashlib.sha256(der).hexdigest())

    def pem(self) -> bytes:
        """The public key as a PEM ``PUBLIC KEY`` block."""
        return self.key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def verifies(self, signature: bytes, data: bytes) -> bool:
        """True when ``signature`` over ``data`` was made by this key's private half."""
        try:
            if isinstance(self.key, ed25519.Ed25519PublicKey):
                self.key.verify(signature, data)
            else:
                self.key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True, slots=True)
class PrivateKey:
    """A private key that signs."""

    algorithm: KeyAlgorithm
    """Ed25519 or ECDSA P-256 (with SHA-256)."""
    key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
    """The ``cryptography`` key object."""

    @property
    def public(self) -> PublicKey:
        """The matching public key."""
        return PublicKey(self.algorithm, self.key.public_key())

    def sign(self, data: bytes) -> bytes:
        """A signature over ``data``: raw 64 bytes for Ed25519, DER for ECDSA (as DSSE tools expect)."""
        if isinstance(self.key, ed25519.Ed25519PrivateKey):
            return self.key.sign(data)
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))

    def pem(self, passphrase: bytes | None = None) -> bytes:
        """The private key as PKCS#8 PEM, encrypted when a passphrase is given."""
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
        )
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def generate_key(algorithm: KeyAlgorithm) -> PrivateKey:
    """A new random private key."""
    if algorithm is KeyAlgorithm.ED25519:
        return PrivateKey(algorithm, ed25519.Ed25519PrivateKey.generate())
    return PrivateKey(algorithm, ec.generate_private_key(ec.SECP256R1()))


def write_key_pair(key: PrivateKey, path: Path, passphrase: bytes | None = None) -> tuple[Path, Path]:
    """Write ``path`` (private, mode 0600, never overwritten) and ``path.pub``; return both paths."""
    public_path = path.with_name(path.name + ".pub")
    for existing in (path, public_path):
        if existing.exists():
            raise SupplyChainError(f"{existing}: already exists; refusing to overwrite a key")
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _PRIVATE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key.pem(passphrase))
        path.chmod(_PRIVATE_MODE)  # the umask may have narrowed it: make it exact
        public_path.write_bytes(key.public.pem())
    except OSError as err:
        raise SupplyChainError(f"{err.filename or path}: cannot write key: {err.strerror}") from err
    return path, public_path


def load_private_key(path: Path, passphrase: bytes | None = None) -> PrivateKey:
    """Read a PEM private key; ``SupplyChainError`` for a wrong passphrase or an unknown key format."""
    data = _read(path)
    try:
        loaded = serialization.load_pem_private_key(data, password=passphrase)
    except TypeError as err:
        needs = "is encrypted: a passphrase is needed" if passphrase is None else "is not encrypted"
        raise SupplyChainError(f"{path}: private key {needs}") from err
    except (ValueError, UnsupportedAlgorithm) as err:
        if b"ENCRYPTED" in data and passphrase is not None:
            raise SupplyChainError(f"{path}: wrong passphrase for the private key") from err
        raise SupplyChainError(f"{path}: unknown key format: not a PEM Ed25519 or ECDSA P-256 private key") from err
    if isinstance(loaded, ed25519.Ed25519PrivateKey):
        return PrivateKey(KeyAlgorithm.ED25519, loaded)
    if isinstance(loaded, ec.EllipticCurvePrivateKey) and isinstance(loaded.curve, ec.SECP256R1):
        return PrivateKey(KeyAlgorithm.ECDSA_P256, loaded)
    raise SupplyChainError(f"{path}: unsupported key type {_describe(loaded)}: use Ed25519 or ECDSA P-256")


def load_public_key(path: Path) -> PublicKey:
    """Read a PEM public key (a ``PUBLIC KEY`` block); ``SupplyChainError`` for anything else."""
    data = _read(path)
    try:
        loaded = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as err:
        raise SupplyChainError(f"{path}: unknown key format: not a PEM Ed25519 or ECDSA P-256 public key") from err
    if isinstance(loaded, ed25519.Ed25519PublicKey):
        return PublicKey(KeyAlgorithm.ED25519, loaded)
    if isinstance(loaded, ec.EllipticCurvePublicKey) and isinstance(loaded.curve, ec.SECP256R1):
        return PublicKey(KeyAlgorithm.ECDSA_P256, loaded)
    raise SupplyChainError(f"{path}: unsupported key type {_describe(loaded)}: use Ed25519 or ECDSA P-256")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise SupplyChainError(f"{path}: cannot read key: {err.strerror}") from err


def _describe(key: object) -> str:
    curve = getattr(key, "curve", None)
    if curve is not None:
        return f"ECDSA {curve.name}"
    return type(key).__name__.lstrip("_").replace("PrivateKey", "").replace("PublicKey", "")
