"""Line lookup: the line of the first occurrence of a string in a document, for formats parsed without positions."""

from __future__ import annotations

from bisect import bisect_right

__all__ = ["LineIndex"]


class LineIndex:
    """Finds the 1-based line of text in a document; JSON and TOML parsers do not report positions."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts = [0]
        find = text.find
        position = find("\n")
        while position != -1:
            self._starts.append(position + 1)
            position = find("\n", position + 1)

    def line_of_offset(self, offset: int) -> int:
        """The line containing character ``offset``."""
        return bisect_right(self._starts, offset)

    def find(self, needle: str, start_line: int = 1) -> int | None:
        """The line of the first occurrence of ``needle`` at or after ``start_line``; ``None`` if absent."""
        begin = self._starts[start_line - 1] if 0 < start_line <= len(self._starts) else 0
        offset = self._text.find(needle, begin)
        return None if offset == -1 else self.line_of_offset(offset)
