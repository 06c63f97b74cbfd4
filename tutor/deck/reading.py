"""A card's reading, stored: the card of a deck (not a proof) and its deck's head, as the parser
read them at the last sync, kept as JSON in the card's row (`CardRow.reading`), so that showing
the card needs no parsing at all. Parsing a card from its span of the file (Markdown and YAML,
in pure Python) was most of the time between answering a card and seeing the next one.

A reading is what `tutor.deck.parser.read_card` gives for the card's span (tests hold the two
equal), less what the card's row says itself (its file, position and span), with what showing
the card renders (its titles and prompt, `tutor.deck.text.markdown_to_text`) rendered. It is
as current as the row's span: written by the sync that wrote the span, whose skip says the
files are as they were, and used only while the card's file is as it was when this run looked
(`tutor.today.shelf`). Anything that does not decode as one (another program's text, an older
form) is no reading: the card is read from its file, as without one.

A light module, on the quick start's path: the standard library alone (and the renderer,
which showing the card loads anyway)."""

from __future__ import annotations

import json
import re
from typing import Any

from tutor.check.clean import has_controls
from tutor.deck.model import Card, CheckBlock, CheckLine, Deck, Span, Text

FORM = 1
"""The form of a reading: one of another form is no reading (read the file instead)."""

_ESCAPED_CONTROL = re.compile(r"(?<!\\)(?:\\\\)*\\[ubfr]")
"""A JSON escape of a control or format character: `encode` writes the text of a card (which
has none: the parser reads a file with one apart, without spans) as it is, escaping only a
quote, a backslash, a line break or a tab; the rest of a reading's text is checked raw."""


def encode(card: Card, deck: Deck) -> str:
    """The reading of `card` of `deck` (its head; not a proof), as the card's row keeps it."""
    if deck.is_proof:
        raise ValueError("a proof's steps are read with their proof")
    head = {
        "id": deck.id,
        "title": deck.title,
        "intro": _text(deck.intro),
        "timer": deck.timer,
        "review_timer": deck.review_timer,
        "hint_gap": deck.hint_gap,
        "requires": deck.requires,
        "requires_line": deck.requires_line,
        "tags": deck.tags,
        "line": deck.line,
    }
    check = card.check
    body = {
        "id": card.id,
        "title": card.title,
        "kind": card.kind,
        "deck_id": card.deck_id,
        "line": card.line,
        "prompt": _text(card.prompt),
        "answer": _text(card.answer),
        "hints": [_text(hint) for hint in card.hints],
        "key_ideas": [_text(idea) for idea in card.key_ideas],
        "why": _text(card.why),
        "check": None
        if check is None
        else [[[item.key, item.value, item.line] for item in check.lines], check.line],
        "requires": card.requires,
        "requires_line": card.requires_line,
        "timer": card.timer,
        "review_timer": card.review_timer,
        "tags": card.tags,
    }
    from tutor.deck.text import markdown_to_text

    # what showing the card renders (its titles, its prompt), rendered now: shown from its
    # reading, the card needs no Markdown parsed at all
    shown = [deck.title, card.title, card.prompt.source]
    rendered = [[source, markdown_to_text(source)] for source in dict.fromkeys(shown)]
    return json.dumps(
        {"form": FORM, "deck": head, "card": body, "shown": rendered}, ensure_ascii=False
    )


def decode(reading: str, path: str, position: int, span: Span) -> tuple[Card, Deck] | None:
    """The card and its deck (holding that card alone, as `read_card` gives them) of a
    reading, for the card's row's file `path`, `position` and `span`. None when `reading` is
    not one `encode` gives in this form (read the file instead)."""
    if has_controls(reading) or (_may_escape(reading) and _ESCAPED_CONTROL.search(reading)):
        return None  # no card read with a span has a control (the parser reads it apart)
    try:
        data = json.loads(reading)
        if not isinstance(data, dict) or data.get("form") != FORM:
            return None
        head, body = data["deck"], data["card"]
        check = body["check"]
        card = Card(
            id=_str(body["id"]),
            title=_str(body["title"]),
            kind=_str(body["kind"]),
            deck_id=_str(body["deck_id"]),
            path=path,
            line=_int(body["line"]),
            prompt=_required_text(body["prompt"]),
            answer=_optional_text(body["answer"]),
            hints=[_required_text(hint) for hint in _list(body["hints"])],
            key_ideas=[_required_text(idea) for idea in _list(body["key_ideas"])],
            why=_optional_text(body["why"]),
            check=None
            if check is None
            else CheckBlock(
                tuple(
                    CheckLine(_str(key), _str(value), _int(line))
                    for key, value, line in _list(check[0])
                ),
                _int(check[1]),
            ),
            position=position,
            span=span,
            **_shared(body),
        )
        deck = Deck(
            id=_str(head["id"]),
            title=_str(head["title"]),
            path=path,
            intro=_optional_text(head["intro"]),
            hint_gap=_optional_int(head["hint_gap"]),
            cards=[card],
            **_shared(head),
            line=_int(head["line"]),
        )
        shown = [(_str(source), _str(text)) for source, text in _list(data.get("shown", []))]
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None
    from tutor.deck.text import remember

    for source, text in shown:
        remember(source, text)
    return card, deck


def _shared(data: dict[str, Any]) -> dict[str, Any]:
    """The fields a card and a deck both have: prerequisites, timers, tags."""
    return {
        "requires": [_str(name) for name in _list(data["requires"])],
        "requires_line": _int(data["requires_line"]),
        "timer": _optional_int(data["timer"]),
        "review_timer": _optional_int(data["review_timer"]),
        "tags": [_str(tag) for tag in _list(data["tags"])],
    }


def _may_escape(reading: str) -> bool:
    """`reading` holds a backslash before u, b, f or r (the search is slow; most have none)."""
    return any(escape in reading for escape in ("\\u", "\\b", "\\f", "\\r"))


def _text(text: Text | None) -> list[Any] | None:
    return None if text is None else [text.source, text.line]


def _required_text(value: Any) -> Text:
    source, line = value
    return Text(_str(source), _int(line))


def _optional_text(value: Any) -> Text | None:
    return None if value is None else _required_text(value)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("not a whole number")
    return value


def _optional_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value
