"""Installed Python distributions: ``*.dist-info/METADATA`` in a ``site-packages`` directory.

Each file is one installed package with its declared licence (``License-Expression``, else the ``License``
field, else the ``License ::`` classifiers). Whether it is direct is not recorded.
"""

from __future__ import annotations

from email.parser import HeaderParser

from bastion.scanners.sca.ecosystem import Ecosystem
from bastion.scanners.sca.licences import licence_of_classifiers, normalise_licence
from bastion.scanners.sca.package import Package
from bastion.scanners.sca.parsers.source import LockfileSource

__all__ = ["parse_dist_info"]


def parse_dist_info(source: LockfileSource) -> list[Package]:
    """The one package a ``METADATA`` file describes."""
    headers = HeaderParser().parsestr(source.text, headersonly=True)
    name, version = headers.get("Name"), headers.get("Version")
    if not name or not version:
        missing = "Name" if not name else "Version"
        raise source.error(None, f"core metadata has no {missing} field")
    declared = headers.get("License-Expression")
    licence = normalise_licence(declared) if declared else None
    if licence is None:
        licence = licence_of_classifiers(headers.get_all("Classifier") or [])
    if licence is None and headers.get("License"):
        licence = normalise_licence(str(headers.get("License")))
    return [
        Package(
            Ecosystem.PYPI,
            str(name).strip(),
            str(version).strip(),
            source.path,
            source.lines.find("Version:"),
            licence=licence,
        )
    ]
