"""Card text (Markdown with `$…$` math) as plain terminal text, math rendered as Unicode.

Plain text serves every front end: the plain mode reads it out line by line, the deck viewer
prints it, and the Textual UI puts it in its widgets. Emphasis markers are dropped, lists keep
their numbers or get a bullet, display math stands on its own indented line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.deck.latex import latex_to_unicode
from tutor.deck.parser import markdown_parser
from tutor.deck.sanitize import strip_controls

if TYPE_CHECKING:
    from markdown_it.token import Token

INDENT = "    "


def markdown_to_text(source: str) -> str:
    """`source` rendered for the terminal: paragraphs separated by a blank line."""
    tokens = markdown_parser().parse(strip_controls(source))
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
            out.append(_indent(_inline(token), prefix))
        elif kind in ("math_block", "math_block_label"):
            out.append(_indent(latex_to_unicode(token.content.strip()), prefix + INDENT))
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


def _inline(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "html_inline", "code_inline"):
            parts.append(child.content)
        elif kind in ("math_inline", "math_inline_double"):
            parts.append(latex_to_unicode(child.content))
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "image":
            parts.append(f"[image: {child.content}]")
    return "".join(parts)


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
