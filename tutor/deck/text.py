"""Card text (Markdown with `$…$` math) as plain terminal text, math rendered as Unicode.

Plain text serves every front end: the plain mode reads it out line by line, the deck viewer
prints it, and the Textual UI puts it in its widgets. Emphasis markers are dropped, lists keep
their numbers or get a bullet, display math stands on its own indented line: a `$$…$$` paragraph
of its own, and as well a `$$…$$` written inside a paragraph, with text on the line above or
below it (the text around it becomes paragraphs of its own).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from functools import lru_cache
from typing import TYPE_CHECKING

from tutor.check.clean import strip_controls
from tutor.deck.latex import latex_to_unicode

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

INDENT = "    "
# Punctuation written right after a display's closing `$$` ("$$x = 1$$.") stays on its line.
_TRAILING_PUNCTUATION = ".,;:!?"


@lru_cache(maxsize=1)
def text_parser() -> MarkdownIt:
    """The deck parser, but `$$…$$` inside a paragraph is one display (`math_inline_double`).

    A `$$…$$` display with text on the line above it cannot interrupt the paragraph, so it is
    read as inline math. Without ``double_inline`` the dollarmath plugin reads its `$$` as a
    literal `$`, `$…$` math, and a `$` that pairs with the next dollar in the paragraph.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return (
        MarkdownIt("commonmark").use(front_matter_plugin).use(dollarmath_plugin, double_inline=True)
    )


_PLAIN = re.compile(r"[ ]{0,3}[A-Za-z][A-Za-z0-9 ,.;:?'\"()/%-]*")
"""One line that Markdown and math leave as it is (a title such as `Card 12: the chain rule`):
no mark Markdown reads (emphasis, code, links, math, escapes, entities, HTML), and it starts
with a letter, so it is no list, heading, quote or indented code."""


_KNOWN: OrderedDict[str, str] = OrderedDict()
"""Renderings made before, by this program, and stored with a card (`tutor.deck.reading`):
taken as they are (the last `_KNOWN_SIZE` of them)."""
_KNOWN_SIZE = 256


def remember(source: str, rendered: str) -> None:
    """`rendered` is what `markdown_to_text(source)` gives (this release rendered it): a card
    shown from its reading is not parsed again to be shown."""
    _KNOWN[source] = rendered
    _KNOWN.move_to_end(source)
    while len(_KNOWN) > _KNOWN_SIZE:
        _KNOWN.popitem(last=False)


@lru_cache(maxsize=512)
def markdown_to_text(source: str) -> str:
    """`source` rendered for the terminal: paragraphs separated by a blank line. A plain line
    is its own rendering (tests/deck/test_text.py holds the two equal); the same text again
    (a deck's title, its introduction) is rendered once, and one rendered for a card's
    reading is taken from it (`remember`)."""
    if _PLAIN.fullmatch(source):
        return source.strip()
    known = _KNOWN.get(source)
    return known if known is not None else _rendered(source)


def _rendered(source: str) -> str:
    """`markdown_to_text`, parsed."""
    tokens = text_parser().parse(strip_controls(source))
    blocks: list[str] = []
    _render_blocks(tokens, 0, len(tokens), blocks, prefix="")
    return "\n\n".join(b for b in blocks if b.strip()).strip("\n")


def inline_to_text(source: str) -> str:
    """A one-line piece of Markdown (a title, a hint) as text."""
    return " ".join(markdown_to_text(source).split())


def _render_blocks(tokens: list[Token], start: int, stop: int, out: list[str], prefix: str) -> None:
    index = start
    while index < stop:
        token = tokens[index]
        kind = token.type
        if kind == "inline":
            for text, display in _inline(token):
                out.append(_indent(text, prefix + INDENT if display else prefix))
        elif kind in ("math_block", "math_block_label"):
            out.append(_indent(_display(token), prefix + INDENT))
        elif kind in ("fence", "code_block"):
            out.append(_indent(token.content.rstrip("\n"), prefix + INDENT))
        elif kind == "hr":
            out.append(prefix + "─" * 20)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            close = _matching_close(tokens, index)
            items = _list_items(tokens, index, close)
            ordered = kind == "ordered_list_open"
            first = int(token.attrs.get("start", 1) or 1) if ordered else 1
            lines = []
            for number, (a, b) in enumerate(items, first):
                parts: list[str] = []
                _render_blocks(tokens, a, b, parts, prefix="")
                marker = f"{number}. " if ordered else "• "
                body = "\n".join(p for p in parts if p.strip())
                body_lines = body.split("\n") if body else [""]
                pad = " " * len(marker)
                lines.append(prefix + marker + body_lines[0])
                lines += [prefix + pad + line if line else "" for line in body_lines[1:]]
            out.append("\n".join(lines))
            index = close
        elif kind == "blockquote_open":
            close = _matching_close(tokens, index)
            parts = []
            _render_blocks(tokens, index + 1, close, parts, prefix="")
            out.append(_indent("\n\n".join(parts), prefix + "│ "))
            index = close
        elif kind == "html_block":
            out.append(_indent(token.content.strip(), prefix))
        index += 1


def _display(token: Token) -> str:
    """A displayed formula; a labelled one (`$$…$$ (1)`) shows its label after it."""
    text = latex_to_unicode(token.content.strip())
    label = token.info.strip() if token.type == "math_block_label" else ""
    return f"{text}{INDENT}({label})" if label else text


def _inline(token: Token) -> list[tuple[str, bool]]:
    """The paragraph's text, split around `$$…$$` displays: (text, is a display) pieces."""
    pieces: list[tuple[str, bool]] = []
    parts: list[str] = []

    def flush() -> None:
        text = "".join(parts).strip()
        parts.clear()
        if text:
            pieces.append((text, False))

    children = token.children or []
    shown = 0  # characters of the next text child already shown after a display
    for index, child in enumerate(children):
        kind = child.type
        if kind == "math_inline_double":
            flush()
            display = latex_to_unicode(child.content)
            following = children[index + 1] if index + 1 < len(children) else None
            if following is not None and following.type == "text":
                shown = _leading_punctuation(following.content)
                display += following.content[:shown]
            if display:
                pieces.append((display, True))
        elif kind in ("text", "html_inline", "code_inline"):
            parts.append(child.content[shown:])
            shown = 0
        elif kind == "math_inline":
            parts.append(latex_to_unicode(child.content))
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "image":
            parts.append(f"[image: {child.content}]")
    flush()
    return pieces


def _leading_punctuation(text: str) -> int:
    """Length of the punctuation that opens `text` as a word of its own (`.` in `. Then`)."""
    stop = len(text) - len(text.lstrip(_TRAILING_PUNCTUATION))
    return stop if stop and (stop == len(text) or text[stop].isspace()) else 0


def _matching_close(tokens: list[Token], index: int) -> int:
    level = tokens[index].level
    close_type = tokens[index].type.replace("_open", "_close")
    for j in range(index + 1, len(tokens)):
        if tokens[j].type == close_type and tokens[j].level == level:
            return j
    return len(tokens) - 1


def _list_items(tokens: list[Token], open_index: int, close_index: int) -> list[tuple[int, int]]:
    items = []
    level = tokens[open_index].level + 1
    index = open_index + 1
    while index < close_index:
        if tokens[index].type == "list_item_open" and tokens[index].level == level:
            end = _matching_close(tokens, index)
            items.append((index + 1, end))
            index = end
        index += 1
    return items


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))
