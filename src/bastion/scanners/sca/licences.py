"""Licences: declared licence texts and trove classifiers normalised to SPDX expressions.

Registries let authors write anything (``MIT License``, ``Apache 2.0``, ``BSD``); the common spellings map to
SPDX identifiers, ``AND``/``OR``/``WITH`` expressions keep their structure, and anything unrecognised becomes
``LicenseRef-<text>`` so that a policy can still name it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["licence_ids", "licence_of_classifiers", "normalise_licence"]

_ALIASES = {
    "mit": "MIT",
    "mit license": "MIT",
    "the mit license": "MIT",
    "expat": "MIT",
    "mit-0": "MIT-0",
    "isc": "ISC",
    "isc license": "ISC",
    "isc license (iscl)": "ISC",
    "apache": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "apache 2.0": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache-2.0": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "apache license version 2.0": "Apache-2.0",
    "asl 2.0": "Apache-2.0",
    "bsd": "BSD-3-Clause",
    "bsd license": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause",
    "bsd-3": "BSD-3-Clause",
    "bsd 3-clause": "BSD-3-Clause",
    "3-clause bsd": "BSD-3-Clause",
    "modified bsd": "BSD-3-Clause",
    "bsd-3-clause": "BSD-3-Clause",
    "bsd-2-clause": "BSD-2-Clause",
    "simplified bsd": "BSD-2-Clause",
    "bsd 2-clause": "BSD-2-Clause",
    "0bsd": "0BSD",
    "gpl": "GPL-3.0-or-later",
    "gplv2": "GPL-2.0-only",
    "gplv3": "GPL-3.0-only",
    "gpl-2.0": "GPL-2.0-only",
    "gpl-3.0": "GPL-3.0-only",
    "gpl v3": "GPL-3.0-only",
    "gpl-2.0+": "GPL-2.0-or-later",
    "gpl-3.0+": "GPL-3.0-or-later",
    "lgpl": "LGPL-3.0-or-later",
    "lgplv2": "LGPL-2.1-only",
    "lgpl-2.1": "LGPL-2.1-only",
    "lgpl-3.0": "LGPL-3.0-only",
    "lgplv3": "LGPL-3.0-only",
    "lgpl-2.1+": "LGPL-2.1-or-later",
    "lgpl-3.0+": "LGPL-3.0-or-later",
    "agpl": "AGPL-3.0-only",
    "agplv3": "AGPL-3.0-only",
    "agpl-3.0": "AGPL-3.0-only",
    "agpl-3.0+": "AGPL-3.0-or-later",
    "mpl-2.0": "MPL-2.0",
    "mpl 2.0": "MPL-2.0",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "psf": "PSF-2.0",
    "psfl": "PSF-2.0",
    "python software foundation license": "PSF-2.0",
    "unlicense": "Unlicense",
    "the unlicense": "Unlicense",
    "public domain": "LicenseRef-public-domain",
    "cc0": "CC0-1.0",
    "cc0-1.0": "CC0-1.0",
    "wtfpl": "WTFPL",
    "zlib": "Zlib",
    "artistic-2.0": "Artistic-2.0",
    "epl-1.0": "EPL-1.0",
    "epl-2.0": "EPL-2.0",
    "cddl-1.0": "CDDL-1.0",
    "bsl-1.0": "BSL-1.0",
    "ruby": "Ruby",
    "python-2.0": "Python-2.0",
    "blueoak-1.0.0": "BlueOak-1.0.0",
    "cc-by-4.0": "CC-BY-4.0",
    "hpnd": "HPND",
    "ofl-1.1": "OFL-1.1",
    "unicode-dfs-2016": "Unicode-DFS-2016",
    "unicode-3.0": "Unicode-3.0",
}
_CLASSIFIERS = {
    "MIT License": "MIT",
    "Apache Software License": "Apache-2.0",
    "BSD License": "BSD-3-Clause",
    "ISC License (ISCL)": "ISC",
    "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
    "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "GNU Affero General Public License v3": "AGPL-3.0-only",
    "GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
    "The Unlicense (Unlicense)": "Unlicense",
    "Public Domain": "LicenseRef-public-domain",
    "Eclipse Public License 2.0 (EPL-2.0)": "EPL-2.0",
    "zlib/libpng License": "Zlib",
}
_SPDX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")
_TOKEN = re.compile(r"\(|\)|\s+(?:AND|OR|WITH|and|or)\s+|[^()]+?(?=\s+(?:AND|OR|WITH|and|or)\s+|\(|\)|$)")
_OPERATORS = {"AND", "OR", "WITH"}


def normalise_licence(text: str) -> str | None:
    """The SPDX expression for a declared licence; ``None`` for empty or placeholder text."""
    text = " ".join(text.split())
    if not text or text.upper() in {"UNKNOWN", "NONE", "UNLICENSED", "SEE LICENSE", "SEE LICENSE IN LICENSE"}:
        return "LicenseRef-proprietary" if text.upper() == "UNLICENSED" else None
    whole = _ALIASES.get(text.lower().removesuffix(" license").strip()) or _ALIASES.get(text.lower())
    if whole:
        return whole
    if len(text) > 120 or "\n" in text:
        return "LicenseRef-custom"
    if text.startswith("(") and text.endswith(")") and "(" not in text[1:-1]:
        text = text[1:-1]
    parts: list[str] = []
    for token in _TOKEN.findall(text):
        word = token.strip()
        if word.upper() in _OPERATORS:
            parts.append(word.upper())
        elif word in "()":
            parts.append(word)
        elif word:
            parts.append(_identifier(word))
    return " ".join(parts).replace("( ", "(").replace(" )", ")")


def _identifier(word: str) -> str:
    alias = _ALIASES.get(word.lower())
    if alias:
        return alias
    if _SPDX_ID.match(word):
        return word
    return "LicenseRef-" + re.sub(r"[^A-Za-z0-9.-]+", "-", word).strip("-")


def licence_of_classifiers(classifiers: Iterable[str]) -> str | None:
    """The SPDX expression (``OR`` of several) named by ``License ::`` trove classifiers, if any."""
    found = []
    for classifier in classifiers:
        parts = [p.strip() for p in classifier.split("::")]
        if parts[0] != "License" or len(parts) < 2:
            continue
        spdx = _CLASSIFIERS.get(parts[-1])
        if spdx and spdx not in found:
            found.append(spdx)
    return " OR ".join(found) if found else None


def licence_ids(expression: str) -> set[str]:
    """The licence identifiers in an expression (operators, ``WITH`` exceptions and parentheses dropped)."""
    tokens = expression.replace("(", " ").replace(")", " ").split()
    ids: set[str] = set()
    skip = False
    for token in tokens:
        if token == "WITH":  # noqa: S105 - an SPDX operator, not a secret
            skip = True
        elif token in _OPERATORS:
            continue
        elif skip:
            skip = False
        else:
            ids.add(token)
    return ids
