"""Memory management for bulk work: cyclic garbage collection paused while large acyclic data is built.

A 100,000-finding import decodes millions of dicts, lists and strings and builds several objects per finding,
none of them in a reference cycle, so reference counting frees them all. But every allocation counts towards the
next cyclic collection, and each full one walks the whole growing heap again (1.6 s of such an import).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; the collector's previous state is restored after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
