"""The one cleaner of untrusted text: what reaches the screen carries no terminal control.

Decks come from strangers and answers from anyone; either may hold escape sequences that move
the cursor, retitle the terminal or hide text, or format characters (bidirectional overrides,
zero-width marks) that make the screen read differently from the file. Every front end, the deck
reader, the LaTeX renderer and the checker's verdicts use this one function.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences (CSI, OSC, DCS, SOS, PM, APC, any other) and the 8-bit CSI.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[^\n\r]?"  # a lone ESC takes the character after it, never a line break
    r"|\x9b[0-?]*[ -/]*[@-~]",
    re.DOTALL,
)
# Unicode categories never shown: controls, format characters, surrogates, private use,
# unassigned code points, line and paragraph separators. Newline and tab are kept.
REMOVED_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
KEPT = "\n\t"


def strip_controls(text: str) -> str:
    """``text`` without escape sequences, control or format characters (newline and tab are
    kept; a CRLF becomes a newline)."""
    if text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable():
        return text  # the common case, in C: nothing to remove (any \r or ESC is not printable)
    text = _ESCAPES.sub("", text.replace("\r\n", "\n"))
    return "".join(
        char
        for char in text
        if char in KEPT or unicodedata.category(char) not in REMOVED_CATEGORIES
    )


def has_controls(text: str) -> bool:
    """Would :func:`strip_controls` change ``text`` (beyond CRLF line ends)?"""
    return strip_controls(text) != text.replace("\r\n", "\n")


def storable(text: str) -> str:
    """``text`` as a database can keep it: each lone surrogate, which is what Python makes of
    bytes that are not UTF-8 (read from a pipe or a terminal set to another encoding), becomes
    U+FFFD, the replacement character. SQLite and PostgreSQL both refuse to store one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)
    return text
