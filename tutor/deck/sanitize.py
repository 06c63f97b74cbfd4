"""Deck text is untrusted: terminal control characters never reach the screen."""

from __future__ import annotations

import re

# ESC-introduced sequences (CSI, OSC, DCS, …) first, then any other C0/C1 control or DEL,
# keeping newline and tab. Bidirectional overrides are removed too: they can make text on
# screen read differently from what the file says.
_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|.)?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """`text` without escape sequences or control characters (newline and tab are kept)."""
    if text.isprintable():
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\r\n", "\n")))


def has_controls(text: str) -> bool:
    return strip_controls(text) != text.replace("\r\n", "\n")
