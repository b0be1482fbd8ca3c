"""The view of the scanner and importer registries that ``bastion.yml`` is validated against."""

from __future__ import annotations

from pydantic import BaseModel

from bastion.config import Registry
from bastion.scanners import importer_names, load_scanner, scanner_names

__all__ = ["scanner_registry"]


def _options_model(name: str) -> type[BaseModel]:
    return load_scanner(name).options_model


def scanner_registry() -> Registry:
    """Every registered scanner and importer; options models are loaded only for the scanners a file uses."""
    return Registry(scanners=scanner_names(), importers=importer_names(), options_model=_options_model)
