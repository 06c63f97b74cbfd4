"""A card read from its span (#15): the file's head and the card's own bytes, parsed alone,
give the card and the deck that reading the whole file gives (`tutor.deck.parser.read_card`),
and so does the card's reading a sync stores (`tutor.deck.reading`),
over the shipped decks and proofs (a proof read as a deck, to widen the corpus), their line ends
rewritten, random compositions of their parts and random Markdown; and a span the file no longer
matches reads nothing rather than something else."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tutor.deck.model import Deck, Problem, Span
from tutor.deck.parser import (
    parse_bytes,
    parse_text,
    read_card,
    read_deck_file,
    structure_parser,
)
from tutor.deck.reading import decode as decode_reading
from tutor.deck.reading import encode as encode_reading

ROOT = Path(__file__).parents[2]
SHIPPED = sorted([*(ROOT / "decks").glob("*.md"), *(ROOT / "proofs").glob("*.md")])
DECK_FIELDS = [f.name for f in fields(Deck) if f.name != "cards"]


def as_deck(data: bytes) -> bytes:
    """A proof's file read as a deck of cards (a proof's steps are always read whole)."""
    return re.sub(rb"(?m)^kind: proof$", b"kind: deck", data, count=1)


def corpus() -> list[tuple[str, bytes]]:
    return [(path.name, as_deck(path.read_bytes())) for path in SHIPPED]


def line_ends(data: bytes, end: str) -> bytes:
    return data.replace(b"\n", end.encode())


VARIANTS: dict[str, Callable[[bytes], bytes]] = {
    "as shipped": lambda data: data,
    "CRLF": lambda data: line_ends(data, "\r\n"),
    "CR": lambda data: line_ends(data, "\r"),
    "byte-order mark": lambda data: b"\xef\xbb\xbf" + data,
    "no last line end": lambda data: data.rstrip(b"\n"),
    "blank lines and spaces": lambda data: re.sub(rb"(?m)^(## .*)$", rb"\n\n\1  ", data),
}


def check_every_card(path: Path, data: bytes) -> int:
    """Every card of the file `path` (holding `data`) read from its span is the whole file's
    card, in the whole file's deck, with the whole file's problems of the head and the card.
    Returns the cards read so."""
    path.write_bytes(data)
    whole, problems = read_deck_file(path)
    setext = has_setext(data)
    read = 0
    for card in whole.cards if whole is not None else []:
        assert whole is not None
        if card.span is None:
            continue
        deck, found = read_card(path, card.span, card.position)
        if whole.is_proof:
            assert deck is None and found == []
            continue
        if deck is None and setext:
            continue  # a setext heading ends the head or the card: the whole file is read
        assert deck is not None, (card.id, found)
        assert deck.cards == [card]
        # its reading, stored at a sync, is what reading its span gives (tutor.deck.reading)
        assert decode_reading(encode_reading(card, whole), str(path), card.position, card.span) == (
            card,
            deck,
        )
        assert {name: getattr(deck, name) for name in DECK_FIELDS} == {
            name: getattr(whole, name) for name in DECK_FIELDS
        }
        # the whole file's problems of the head and the card: all those on the head's lines
        # and below the card's heading (on its heading's line may be one of the card before,
        # pointing past that card's end at an empty section's first line), and no other
        assert set(within(problems, data, card.span)) <= set(found) <= set(problems)
        read += 1
    return read


def within(problems: list[Problem], data: bytes, span: Span) -> list[Problem]:
    """The problems on the head's lines and the card's below its heading."""
    head = lines_in(data[: span.head])
    card = lines_in(data[span.start : span.end])
    return [p for p in problems if 0 < p.line <= head or span.line < p.line < span.line + card]


def has_setext(data: bytes) -> bool:
    text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    return any(
        token.type == "heading_open" and token.markup in ("=", "-")
        for token in structure_parser().parse(text)
    )


def lines_in(data: bytes) -> int:
    """The lines of `data`, a last one without a line end included."""
    text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_shipped_card_read_from_its_span_is_the_whole_files(
    tmp_path: Path, variant: str
) -> None:
    read = 0
    for name, data in corpus():
        read += check_every_card(tmp_path / name, VARIANTS[variant](data))
    assert read > 250  # every card of every deck and proof was read from its span


def test_a_proof_is_read_whole(tmp_path: Path) -> None:
    path = next(p for p in SHIPPED if p.parent.name == "proofs")
    deck, _ = read_deck_file(path)
    assert deck is not None and deck.is_proof
    for card in deck.cards:
        assert card.span is not None
        assert read_card(path, card.span, card.position) == (None, [])


def test_spans_need_the_files_bytes_and_its_own_lines(tmp_path: Path) -> None:
    data = (ROOT / "decks" / "attention.md").read_bytes()
    deck, _ = parse_text(data.decode(), "attention.md")
    assert deck is not None and all(card.span is None for card in deck.cards)
    # an escape sequence may run over lines: the lines read are not the file's
    dirty = data.replace(b"### Answer", b"### Answer \x1b[2J", 1)
    deck, _ = parse_bytes(dirty, "attention.md")
    assert deck is not None and all(card.span is None for card in deck.cards)
    # a title after the cards: the head alone would read the text before them as the intro
    late = re.sub(rb"(?m)^# .*$", b"Some words.", data, count=1) + b"\n# Late title\n"
    deck, problems = parse_bytes(late, "attention.md")
    assert deck is not None and deck.intro is None and problems
    assert all(card.span is None for card in deck.cards)


# -- random decks --------------------------------------------------------------------------------


def parts() -> tuple[list[bytes], list[bytes]]:
    """The heads and the cards' texts of the shipped files (proofs read as decks)."""
    heads: list[bytes] = []
    cards: list[bytes] = []
    for _, data in corpus():
        deck, _ = parse_bytes(data, "x.md")
        assert deck is not None
        spans = [card.span for card in deck.cards if card.span is not None]
        heads.append(data[: spans[0].head])
        cards += [data[span.start : span.end].rstrip(b"\n") + b"\n" for span in spans]
    return heads, cards


HEADS, CARDS = parts()
SPANNING = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SPANNING
@given(
    head=st.sampled_from(HEADS),
    cards=st.lists(st.sampled_from(CARDS), min_size=1, max_size=8),
    gaps=st.lists(st.sampled_from([b"", b"\n", b"\n\n", b"  \n", b"# Another title\n"])),
    end=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_decks_made_of_shipped_parts_read_each_card_from_its_span(
    tmp_path: Path, head: bytes, cards: list[bytes], gaps: list[bytes], end: str
) -> None:
    """The heads and cards of the shipped files put together anew, with blank lines or a
    second title between them (an id met twice: the first card keeps it)."""
    body = b"".join(card + (gaps[n] if n < len(gaps) else b"") for n, card in enumerate(cards))
    check_every_card(tmp_path / "made.md", line_ends(head + body, end))


FRAGMENTS = [
    "---",
    "# Title",
    "## Card",
    "## ",
    "id: card-a",
    "id: card-b",
    "kind: theorem",
    "requires: card-a",
    "timer: 5m",
    "timer: soon",
    "### Answer",
    "### Key ideas",
    "### Hints",
    "### Why it matters",
    "### Other",
    "```check",
    "```",
    "~~~",
    "expect: x^2",
    "input: n in 1..9",
    "{{n}}",
    "- idea",
    "1. hint",
    "   continued",
    "$x$",
    "$$",
    "$$\\frac{a}{b}$$",
    "> quote",
    "<div>",
    "<!--",
    "-->",
    "[ref]: /url",
    "",
    "",
    "\t",
    "\x1b[2J",
    "a: b: c",
    "    indented code",
    "Setext",
    "===",
]
# no control characters in the drawn text but FRAGMENTS': a file with one has no spans
shown = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
line = st.one_of(st.sampled_from(FRAGMENTS), st.text(shown, max_size=40))
HEAD = "---\nid: deck-a\ntitle: T\n---\n"


@st.composite
def random_decks(draw: st.DrawFn) -> str:
    """A front matter, random lines, then cards with ids and random lines in them."""
    text = [HEAD, *draw(st.lists(line, max_size=8))]
    for n in range(draw(st.integers(1, 6))):
        text += [f"## Card {n}", f"id: card-{n}", *draw(st.lists(line, max_size=12))]
    return "\n".join(text)


@SPANNING
@given(text=random_decks(), end=st.sampled_from(["\n", "\r\n", "\r"]))
def test_random_markdown_reads_each_card_from_its_span(tmp_path: Path, text: str, end: str) -> None:
    """Random Markdown around and in the cards: whatever cards it makes (errors and all) read
    the same from their spans. Text with NUL bytes or surrogates is no deck."""
    assume("\x00" not in text)
    try:
        data = text.replace("\n", end).encode("utf-8")
    except UnicodeEncodeError:
        assume(False)
        return
    check_every_card(tmp_path / "random.md", data)


# -- spans the file no longer matches --------------------------------------------------------

EDITS = ["", "x", "## Intruder", "id: intruder", "# Title", "```", "$$", "<!--", "---", "  ## b"]


@SPANNING
@given(
    name=st.sampled_from([path.name for path in SHIPPED if path.parent.name == "decks"]),
    at=st.floats(0, 1),
    insert=st.none() | st.sampled_from(EDITS),
)
def test_after_an_edit_a_span_reads_the_card_as_it_is_now_or_nothing(
    tmp_path: Path, name: str, at: float, insert: str | None
) -> None:
    """A line inserted or removed anywhere: each card's old span reads nothing (its file is
    read whole then), or exactly what the whole file says now."""
    path = tmp_path / name
    data = (ROOT / "decks" / name).read_bytes()
    before, _ = parse_bytes(data, str(path))
    assert before is not None
    lines = data.split(b"\n")
    index = int(at * (len(lines) - 1))
    if insert is None:
        del lines[index]
    else:
        lines.insert(index, insert.encode())
    path.write_bytes(b"\n".join(lines))
    now, _ = read_deck_file(path)
    cards = {card.id: card for card in (now.cards if now is not None else [])}
    for card in before.cards:
        assert card.span is not None
        deck, _ = read_card(path, card.span, card.position)
        if deck is None:
            continue
        assert now is not None
        assert deck.cards == [cards[card.id]]
        assert {f: getattr(deck, f) for f in DECK_FIELDS} == {
            f: getattr(now, f) for f in DECK_FIELDS
        }


def test_a_span_that_does_not_frame_a_card_reads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "attention.md"
    data = (ROOT / "decks" / "attention.md").read_bytes()
    path.write_bytes(data)
    deck, _ = read_deck_file(path)
    assert deck is not None
    first, second = deck.cards[0].span, deck.cards[1].span
    assert first is not None and second is not None
    wrong = [
        Span(first.head, first.start, second.end, first.line),  # two cards
        Span(first.head, first.start + 1, first.end, first.line),  # not at a line's start
        Span(first.head, first.start, first.end - 1, first.line),  # cut short
        Span(first.head - 1, first.start, first.end, first.line),  # the head runs into it
        Span(first.head, first.start, first.end, 2),  # a line of the head
        Span(first.head, second.start, len(data) + 1, second.line),  # past the end
        Span(0, 0, first.end, 1),
    ]
    for span in wrong:
        assert read_card(path, span, 0) == (None, []), span
    path.write_bytes(data[: first.end - 1])  # the file shortened
    assert read_card(path, first, 0) == (None, [])
    assert read_card(tmp_path / "gone.md", first, 0) == (None, [])
    assert read_card(tmp_path, first, 0) == (None, [])  # a folder
