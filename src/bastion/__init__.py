"""bastion: a DevSecOps platform that runs a security pipeline defined as code."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
