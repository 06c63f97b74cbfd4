"""Deck text for the screen: Markdown with its math as Unicode, control characters removed,
and never read as markup (a deck cannot style or spoof the screen). Styles name theme
variables ($accent, $text-muted…), so every theme, light or dark, colours them its own way."""

from __future__ import annotations

from textual.content import Content

from tutor.check.clean import strip_controls
from tutor.deck.text import inline_to_text, markdown_to_text


def block(source: str, style: str = "") -> Content:
    """A Markdown block (paragraphs, lists, display math) as plain Unicode text."""
    return Content.styled(strip_controls(markdown_to_text(source)), style)


def inline(source: str, style: str = "") -> Content:
    """A one-line Markdown snippet (a title) as plain Unicode text."""
    return Content.styled(strip_controls(inline_to_text(source)), style)


def plain(text: str, style: str = "") -> Content:
    """Text from the learner, the checker or the program, shown as it is."""
    return Content.styled(strip_controls(text), style)


def lines(*parts: Content | str) -> Content:
    """Pieces of content, one per line."""
    return Content("\n").join(parts)
