"""The pre-commit hook as it would start if ``bastion/scanners/__init__.py`` loaded its names lazily (PEP 562).

Today that ``__init__`` imports the scanner protocol, hence pydantic and the model, before any subpackage can
load: most of the hook's start-up. This script registers the package without running its ``__init__`` and then
runs the real hook, to measure the proposed change without making it. Benchmark use only.
"""

from __future__ import annotations

import importlib.util
import sys
import types

spec = importlib.util.find_spec("bastion")
assert spec is not None and spec.submodule_search_locations
package = types.ModuleType("bastion.scanners")
package.__path__ = [spec.submodule_search_locations[0] + "/scanners"]
sys.modules["bastion.scanners"] = package

from bastion.cli.hook import run_staged_check  # noqa: E402

sys.exit(run_staged_check())
