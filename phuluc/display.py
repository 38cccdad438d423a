"""File names and reasons as printed on a terminal: one line each, never a control sequence.

A file name may hold a line break or an escape sequence (that clears the screen);
printed raw it would split an error line or take over the terminal.
"""

from __future__ import annotations

import unicodedata

# Control, format and separator characters: shown as escapes ("\n", "\x1b", "\u2028").
_HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # Cs: a name whose bytes are not UTF-8


def display(text: str) -> str:
    """`text` with every control or invisible format character escaped, so that it prints on one line as itself."""
    if text.isprintable():
        return text
    return "".join(repr(ch)[1:-1] if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


def shorten_middle(text: str, width: int) -> str:
    """`text` cut in its middle to at most `width` characters ("…" marks the cut): a path keeps its start and its name."""
    if len(text) <= width:
        return text
    if width < 2:
        return text[:width]
    head = (width - 1) // 2
    return text[:head] + "…" + text[len(text) - (width - 1 - head):]
