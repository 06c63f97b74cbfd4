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

A light module, on the quick start's path: the standard library and msgspec, which checks a
reading's form as it parses it (and the renderer, which showing the card loads anyway)."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec

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
        read = _DECODER.decode(reading)
    except (msgspec.DecodeError, RecursionError):
        return None
    if read.form != FORM:
        return None
    head, body = read.deck, read.card
    check = body.check
    card = Card(
        id=body.id,
        title=body.title,
        kind=body.kind,
        deck_id=body.deck_id,
        path=path,
        line=body.line,
        prompt=Text(body.prompt.source, body.prompt.line),
        answer=_model_text(body.answer),
        hints=[Text(hint.source, hint.line) for hint in body.hints],
        key_ideas=[Text(idea.source, idea.line) for idea in body.key_ideas],
        why=_model_text(body.why),
        check=None
        if check is None
        else CheckBlock(tuple(CheckLine(*item) for item in check[0]), check[1]),
        requires=body.requires,
        requires_line=body.requires_line,
        timer=body.timer,
        review_timer=body.review_timer,
        tags=body.tags,
        position=position,
        span=span,
    )
    deck = Deck(
        id=head.id,
        title=head.title,
        path=path,
        intro=_model_text(head.intro),
        timer=head.timer,
        review_timer=head.review_timer,
        hint_gap=head.hint_gap,
        requires=head.requires,
        requires_line=head.requires_line,
        tags=head.tags,
        cards=[card],
        line=head.line,
    )
    from tutor.deck.text import remember

    for source, text in read.shown:
        remember(source, text)
    return card, deck


# The form `encode` writes, as msgspec checks it while it parses the JSON (in C: checking each
# field by hand in Python took three times as long as the parse): a field of another type, one
# missing, a line that is not a whole number (a boolean is not one) make it no reading. Texts
# are [source, line] pairs; fields a later release adds are ignored.


class _Text(msgspec.Struct, array_like=True, frozen=True):
    source: str
    line: int


class _Shared(msgspec.Struct, frozen=True):
    """The fields a card and a deck both have: prerequisites, timers, tags."""

    requires: list[str]
    requires_line: int
    timer: int | None
    review_timer: int | None
    tags: list[str]


class _Head(_Shared, frozen=True):
    id: str
    title: str
    intro: _Text | None
    hint_gap: int | None
    line: int


class _Body(_Shared, frozen=True):
    id: str
    title: str
    kind: str
    deck_id: str
    line: int
    prompt: _Text
    answer: _Text | None
    hints: list[_Text]
    key_ideas: list[_Text]
    why: _Text | None
    check: tuple[list[tuple[str, str, int]], int] | None


class _Reading(msgspec.Struct, frozen=True):
    form: int
    deck: _Head
    card: _Body
    shown: list[tuple[str, str]] = []


_DECODER = msgspec.json.Decoder(_Reading)


def _model_text(text: _Text | None) -> Text | None:
    return None if text is None else Text(text.source, text.line)


def _may_escape(reading: str) -> bool:
    """`reading` holds a backslash before u, b, f or r (the search is slow; most have none)."""
    return "\\u" in reading or "\\b" in reading or "\\f" in reading or "\\r" in reading


def _text(text: Text | None) -> list[Any] | None:
    return None if text is None else [text.source, text.line]
