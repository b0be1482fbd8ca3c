"""``bastion keys``: generate signing key pairs and show key ids."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["PassphraseEnvOption", "app", "passphrase_from"]

app = typer.Typer(help="Signing keys for attestations: Ed25519 or ECDSA P-256.", no_args_is_help=True)

PassphraseEnvOption = Annotated[
    str | None,
    typer.Option("--passphrase-env", help="Environment variable holding the private key's passphrase."),
]


def passphrase_from(variable: str | None) -> bytes | None:
    """The passphrase held by the environment variable ``variable``; ``UsageError`` when it is unset or empty."""
    import os

    from bastion.errors import UsageError

    if variable is None:
        return None
    value = os.environ.get(variable)
    if not value:
        raise UsageError(f"--passphrase-env {variable}: the variable is unset or empty")
    return value.encode()


@app.command("generate")
def generate(
    path: Annotated[Path, typer.Argument(help="The private key file to write; the public key goes to PATH.pub.")],
    algorithm: Annotated[str, typer.Option("--algorithm", "-a", help="ed25519 or ecdsa-p256.")] = "ed25519",
    passphrase_env: PassphraseEnvOption = None,
) -> None:
    """Generate a key pair: PATH (private, mode 0600, encrypted with a passphrase if given) and PATH.pub."""
    from bastion.errors import UsageError
    from bastion.supplychain.keys import KeyAlgorithm, generate_key, write_key_pair

    try:
        chosen = KeyAlgorithm(algorithm)
    except ValueError:
        raise UsageError(f"--algorithm {algorithm!r}: use one of {', '.join(KeyAlgorithm)}") from None
    key = generate_key(chosen)
    private, public = write_key_pair(key, path, passphrase_from(passphrase_env))
    typer.echo(f"{private} (private, 0600) and {public}: {chosen.value} key {key.public.keyid}")


@app.command("id")
def key_id(path: Annotated[Path, typer.Argument(help="A public key file (PEM).")]) -> None:
    """Print the key id of a public key: the SHA-256 of its DER SubjectPublicKeyInfo."""
    from bastion.supplychain.keys import load_public_key

    typer.echo(load_public_key(path).keyid)
