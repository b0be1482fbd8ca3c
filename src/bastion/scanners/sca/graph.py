"""Dependency paths: the shortest chain of names from a direct dependency to each package in a lock graph."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bastion.scanners.sca.package import Scope

__all__ = ["Placement", "paths_from", "place"]


def paths_from(direct: Iterable[str], edges: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Breadth-first from every direct dependency: node → the shortest path to it (both ends included).

    ``edges`` maps a node to the nodes it depends on; nodes never reached are left out.
    """
    paths: dict[str, tuple[str, ...]] = {}
    queue: deque[str] = deque()
    for node in direct:
        if node not in paths:
            paths[node] = (node,)
            queue.append(node)
    while queue:
        node = queue.popleft()
        for child in edges.get(node, ()):
            if child not in paths:
                paths[child] = (*paths[node], child)
                queue.append(child)
    return paths


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a package sits in the graph: its scope, whether it is direct, and the path to it."""

    scope: Scope
    """Runtime when reachable from a runtime direct dependency, else development."""
    direct: bool
    """True for a direct dependency of the project."""
    path: tuple[str, ...]
    """The shortest path from a direct dependency (empty for direct ones)."""


def place(runtime: Iterable[str], dev: Iterable[str], edges: Mapping[str, Iterable[str]]) -> dict[str, Placement]:
    """Scope, directness and path of every node reachable from the project's runtime or dev dependencies."""
    runtime = list(runtime)
    dev = list(dev)
    direct = set(runtime) | set(dev)
    runtime_paths = paths_from(runtime, edges)
    dev_paths = paths_from(dev, edges)
    placed: dict[str, Placement] = {}
    for node, path in dev_paths.items():
        placed[node] = Placement(Scope.DEV, node in direct, () if node in direct else path)
    for node, path in runtime_paths.items():
        placed[node] = Placement(Scope.RUNTIME, node in direct, () if node in direct else path)
    return placed
