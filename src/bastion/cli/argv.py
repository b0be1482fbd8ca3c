"""Splitting a command line the way click would, for the Typer-free fast paths (``secrets_scan``, ``import_run``).

Only the forms click reads one way are accepted: ``--name value``, ``--name=value``, ``-n value``, flags, and
arguments. Anything else (``--help``, ``--``, an unknown option, clustered short options, ``-n=value``, a flag
given a value, a missing or empty value, a value that looks like an option) gives ``None``: the caller then lets
Typer parse the line, so every message stays Typer's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Tokens", "tokenize"]


@dataclass(slots=True)
class Tokens:
    """A command line split into arguments, flags, options' values (the last one wins) and repeatable options."""

    arguments: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)


def tokenize(
    args: Sequence[str],
    *,
    flags: Mapping[str, str],
    values: Mapping[str, str],
    lists: Mapping[str, str] | None = None,
    dash_value: bool = False,
) -> Tokens | None:
    """``args`` split by option name → key maps (``{"-f": "fmt", "--format": "fmt"}``), or ``None``.

    ``dash_value`` accepts ``-`` (stdin) as an option's value; any other value starting with ``-`` is refused.
    """
    lists = lists or {}
    tokens = Tokens(lists={key: [] for key in lists.values()})
    pending = list(args)
    pending.reverse()
    while pending:
        arg = pending.pop()
        if not arg.startswith("-") or arg == "-":
            tokens.arguments.append(arg)
            continue
        name, equals, inline = arg.partition("=")
        if name in flags and not equals:
            tokens.flags.add(flags[name])
            continue
        if name not in values and name not in lists:
            return None
        if name.startswith("--") and equals:
            value = inline
        elif equals or not pending:
            return None  # -f=x (click reads "=x"), or a missing value
        else:
            value = pending.pop()
        if not value or (value.startswith("-") and not (dash_value and value == "-")):
            return None
        if name in lists:
            tokens.lists[lists[name]].append(value)
        else:
            tokens.values[values[name]] = value
    return tokens
