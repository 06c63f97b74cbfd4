"""The card model: what a deck or proof file says, with the file and line of every part.

Text is kept as Markdown source (with `$…$` math) so that each front end renders it its own
way; `tutor.deck.text` turns it into terminal text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from tutor.check.clean import strip_controls

CARD_KINDS = ("definition", "theorem", "fact", "estimate", "step")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of the parser or the linter, at a file and line (line 0: the file itself)."""

    path: str
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line > 0 else self.path
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return strip_controls(f"{where}: {prefix}{self.message}")


@dataclass(frozen=True, slots=True)
class Text:
    """A piece of Markdown source and the line it starts on (1-based)."""

    source: str
    line: int


@dataclass(frozen=True, slots=True)
class CheckLine:
    key: str
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class CheckBlock:
    """A fenced ```check block: its `key: value` lines, in order, with their lines."""

    lines: tuple[CheckLine, ...]
    line: int

    def pairs(self) -> list[tuple[str, str]]:
        return [(item.key, item.value) for item in self.lines]

    def first(self, key: str) -> CheckLine | None:
        return next((item for item in self.lines if item.key == key), None)

    def last(self, key: str) -> CheckLine | None:
        """The line of `key` that counts, as the checker reads a block: the last one."""
        return next((item for item in reversed(self.lines) if item.key == key), None)

    @property
    def has_expect(self) -> bool:
        """What an answer is judged against is given (`expect`, or a derivation's `from`)."""
        return any(item.key in ("expect", "from") for item in self.lines)

    @property
    def mode(self) -> str:
        """The block's mode as the checker reads it (lowercase; `equivalent` when none)."""
        found = self.last("mode")
        return (found.value.strip().lower() if found else "") or "equivalent"


@dataclass(frozen=True, slots=True)
class Span:
    """Where a card sits in its file, in bytes of the file as stored: its text is
    `[start, end)`, from its `##` heading (on line `line`, 1-based) up to the next card's, a
    `#` heading or the end of the file; the file's head (front matter, title, introduction:
    everything before the first card) is its first `head` bytes. Enough to read the card again
    without the rest of the file (`tutor.deck.parser.parse_card`)."""

    head: int
    start: int
    end: int
    line: int


@dataclass(slots=True)
class Card:
    id: str
    title: str
    kind: str
    deck_id: str
    path: str
    line: int
    prompt: Text
    answer: Text | None = None
    hints: list[Text] = field(default_factory=list)
    key_ideas: list[Text] = field(default_factory=list)
    why: Text | None = None
    check: CheckBlock | None = None
    requires: list[str] = field(default_factory=list)
    requires_line: int = 0
    timer: int | None = None
    review_timer: int | None = None
    tags: list[str] = field(default_factory=list)
    position: int = 0
    """Index of the card in its deck (for a proof: the step number, from 0)."""
    span: Span | None = None
    """Where its text sits in its file, when read from the file's bytes (None: read from text
    alone, or from a file whose lines the reading moved: see `tutor.deck.parser`)."""

    @property
    def checkable(self) -> bool:
        return self.check is not None

    @property
    def self_assessed(self) -> bool:
        return self.check is None and bool(self.key_ideas)


@dataclass(slots=True)
class Deck:
    id: str
    title: str
    path: str
    is_proof: bool = False
    intro: Text | None = None
    """For a deck its introduction; for a proof its statement, shown above every step."""
    timer: int | None = None
    review_timer: int | None = None
    hint_gap: int | None = None
    requires: list[str] = field(default_factory=list)
    requires_line: int = 0
    tags: list[str] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    line: int = 1


@dataclass(slots=True)
class Collection:
    """Every deck and proof read for one run, and what was found wrong with them."""

    decks: list[Deck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def cards(self) -> list[Card]:
        return [card for deck in self.decks for card in deck.cards]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.cards if c.id == card_id), None)

    def deck_of(self, card: Card) -> Deck:
        return next(d for d in self.decks if d.path == card.path and d.id == card.deck_id)


def display_path(path: Path) -> str:
    """A path as the user should read it in messages: relative to the working folder if inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
