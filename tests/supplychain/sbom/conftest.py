"""SBOM fixtures: a small subject built by hand (licences, dev scope, a graph) and the shop's lockfiles."""

from __future__ import annotations

import hashlib

import pytest

from bastion.scanners.sca import Scope
from bastion.scanners.sca.digests import Digest
from bastion.supplychain.sbom import Component, SbomSubject

FLASK_FILES = ("flask-3.0.3-py3-none-any.whl", "flask-3.0.3.tar.gz")


@pytest.fixture
def subject() -> SbomSubject:
    """Three components: flask → jinja2 at run time, pytest for development; licences of each kind, file digests."""
    flask = "pkg:pypi/flask@3.0.3"
    jinja = "pkg:pypi/jinja2@3.1.4"
    pytest_purl = "pkg:pypi/pytest@8.2.0"
    return SbomSubject(
        name="shop",
        version="1.0",
        commit="3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49",
        components=(
            Component(
                flask,
                "Flask",
                "3.0.3",
                "PyPI",
                Scope.RUNTIME,
                True,
                "BSD-3-Clause",
                ("poetry.lock",),
                (jinja,),
                tuple(Digest("SHA-256", hashlib.sha256(f.encode()).hexdigest()) for f in FLASK_FILES),
            ),
            Component(
                jinja, "Jinja2", "3.1.4", "PyPI", Scope.RUNTIME, False, "BSD-3-Clause OR MIT", ("poetry.lock",), ()
            ),
            Component(
                pytest_purl, "pytest", "8.2.0", "PyPI", Scope.DEV, True, "Some-Custom-Licence", ("poetry.lock",), ()
            ),
        ),
        direct=(flask, pytest_purl),
        manifests=("poetry.lock",),
        warnings=(),
    )
