"""The ``sast`` control for Python: bandit, driven through its Python API.

bandit parses each selected ``.py``/``.pyi`` file into an AST and runs its plugins over it; every issue
becomes a ``Finding`` (tool ``bandit``, rule id such as ``B602``), and every file bandit could not parse is
reported through ``ScanTarget.not_analysed`` rather than passing silently.
"""

from __future__ import annotations

from bastion.scanners.bandit.options import BanditLevel, BanditOptions
from bastion.scanners.bandit.scanner import BanditScanner

__all__ = ["BanditLevel", "BanditOptions", "BanditScanner"]
