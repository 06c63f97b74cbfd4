"""Random Markdown never crashes the parser, and every problem points inside the file."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.deck.model import Deck, Problem
from tutor.deck.parser import parse_bytes

FRAGMENTS = [
    "---",
    "id: deck-a",
    "title: T",
    "kind: proof",
    "requires: [a, b]",
    "timer: 20m",
    "timer: soon",
    "hint_gap: [",
    "# Title",
    "## Card",
    "## ",
    "id: card-a",
    "id: card-b",
    "kind: theorem",
    "requires: card-a",
    "### Answer",
    "### Key ideas",
    "### Hints",
    "### Why it matters",
    "### Other",
    "```check",
    "```",
    "~~~",
    "expect: x^2",
    "mode: set",
    "- idea",
    "1. hint",
    "   continued",
    "$x$",
    "$$\\frac{a}{b}$$",
    "text with *emphasis*",
    "> quote",
    "<div>",
    "",
    "",
    "\t",
    "\x1b[2J",
    "\u202e",
    "a: b: c",
    "    indented code",
]

line = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40))
document = st.lists(line, max_size=60).map("\n".join)


def line_count(text: str) -> int:
    """Lines as CommonMark counts them: LF, CR and CRLF all end a line."""
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def assert_well_formed(result: tuple[Deck | None, list[Problem]], text_lines: int) -> None:
    deck, problems = result
    for problem in problems:
        assert problem.message
        assert 0 <= problem.line <= text_lines + 1
        assert "\x1b" not in problem.message
    if deck is not None:
        for card in deck.cards:
            assert card.id
            for part in (card.prompt, card.answer, card.why, *card.hints, *card.key_ideas):
                if part is not None:
                    assert "\x1b" not in part.source and "\x00" not in part.source
                    assert 1 <= part.line <= text_lines + 1


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(document)
def test_random_markdown_never_crashes(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    result = parse_bytes(data, "random.md")
    assert_well_formed(result, line_count(text))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data: bytes) -> None:
    result = parse_bytes(data, "random.bin")
    assert_well_formed(result, line_count(data.decode("utf-8", "replace")))
    if not data.strip() or b"\x00" in data:
        assert result[0] is None and len(result[1]) == 1


@settings(max_examples=150, deadline=None)
@given(st.lists(line, max_size=40).map("\n".join))
def test_random_cards_after_valid_front_matter(body: str) -> None:
    text = "---\nid: r\ntitle: R\n---\n" + body
    result = parse_bytes(text.encode("utf-8", "surrogatepass"), "r.md")
    assert_well_formed(result, line_count(text))
