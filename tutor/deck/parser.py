"""Read one deck or proof file (deck-format.md) into the card model, with every problem found.

The parser never raises on bad content: whatever is wrong becomes a `Problem` at its line, and
the rest of the file is still read, so one broken card never hides the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tutor.check.clean import has_controls, strip_controls
from tutor.check.spec import DECLARATIONS, KEYS, MODES
from tutor.deck.duration import DurationError, parse_duration
from tutor.deck.inputs import INPUT_KEY, input_problems
from tutor.deck.model import (
    CARD_KINDS,
    Card,
    CheckBlock,
    CheckLine,
    Deck,
    Problem,
    Severity,
    Span,
    Text,
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MAX_FILE_BYTES = 2_000_000
MAX_FRONT_MATTER_CHARS = 20_000  # front matter is a few lines: id, title, timer, requires
MAX_VALUE_CHARS = 2_000  # one decoded front-matter string (a title, an id, a tag)
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FIELD_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*?)[ \t]*")
LIST_MARKER = re.compile(r"[ \t]*(?:\d{1,9}[.)]|[-*+])(?:[ \t]+|$)")

CARD_FIELDS = frozenset({"id", "kind", "requires", "timer", "review_timer", "tags"})
DECK_KEYS = frozenset(
    {"id", "title", "kind", "requires", "timer", "review_timer", "hint_gap", "tags"}
)
# Keys a shared deck may reasonably carry that the tutor does not use.
DECK_KEYS_TOLERATED = frozenset(
    {"author", "authors", "license", "description", "version", "language", "source", "url"}
)
SECTIONS = {"answer": "answer", "key ideas": "key_ideas", "hints": "hints", "why it matters": "why"}


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").use(front_matter_plugin).use(dollarmath_plugin)


@lru_cache(maxsize=1)
def structure_parser() -> MarkdownIt:
    """Block structure only: a third faster, and all that splitting a deck into cards needs."""
    return (
        markdown_parser()
        .__class__("commonmark")
        .use(_front_matter)
        .use(_dollarmath)
        .disable("inline")
    )


def _front_matter(md: MarkdownIt) -> None:
    from mdit_py_plugins.front_matter import front_matter_plugin

    front_matter_plugin(md)


def _dollarmath(md: MarkdownIt) -> None:
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    dollarmath_plugin(md)


def read_deck_file(path: Path, shown_as: str | None = None) -> tuple[Deck | None, list[Problem]]:
    """Read and parse `path`; problems name the file as `shown_as` (default: the path).

    A deck file is a regular file, whatever a symlink leads to: a FIFO, a device (/dev/zero)
    or a folder is refused before it is read, and the read stops after MAX_FILE_BYTES + 1
    bytes whatever the file claims its size is."""
    name = shown_as or str(path)
    try:
        data = _read_regular(path)
    except _NotRegular as exc:
        return None, [Problem(name, 1, str(exc))]
    except OSError as exc:
        return None, [Problem(name, 1, f"cannot read: {exc.strerror or exc}")]
    return parse_bytes(data, name)


class _NotRegular(Exception):
    """Not a regular file: the message says what it is."""


def _read_regular(path: Path) -> bytes:
    import os

    descriptor, _ = _open_regular(path)
    try:
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(descriptor, min(1 << 20, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _open_regular(path: Path) -> tuple[int, int]:
    """`path` opened for reading, and its size: a regular file of at most MAX_FILE_BYTES,
    else `_NotRegular` (and nothing left open)."""
    import os
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)  # never blocks, even on a FIFO
    try:
        info = os.fstat(descriptor)  # the file opened, not the name: no race with a swap
        if not stat.S_ISREG(info.st_mode):
            kind = (
                "a named pipe (FIFO)"
                if stat.S_ISFIFO(info.st_mode)
                else "a device"
                if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "a folder"
                if stat.S_ISDIR(info.st_mode)
                else "not a regular file"
            )
            raise _NotRegular(f"{kind}, not a deck file: a deck is a regular Markdown file")
        if info.st_size > MAX_FILE_BYTES:
            raise _NotRegular(_too_big("", info.st_size).message)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, info.st_size


def _too_big(name: str, size: int) -> Problem:
    limit = MAX_FILE_BYTES / 1e6
    return Problem(name, 1, f"file is {size / 1e6:.1f} MB; a deck may be at most {limit:.0f} MB")


def parse_bytes(data: bytes, name: str) -> tuple[Deck | None, list[Problem]]:
    if len(data) > MAX_FILE_BYTES:
        return None, [_too_big(name, len(data))]
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, [Problem(name, line, "binary data (NUL byte), not a Markdown deck")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        return None, [
            Problem(name, line, f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8")
        ]
    parser = _text_parser(text, name)
    if isinstance(parser, Problem):
        return None, [parser]
    deck, problems = parser.parse()
    if deck is not None and parser.spans is not None:
        _place_cards(deck, parser.spans, data)
    return deck, problems


def parse_text(text: str, name: str) -> tuple[Deck | None, list[Problem]]:
    """Parse a deck's text (its cards have no `span`: that needs the file's bytes)."""
    parser = _text_parser(text, name)
    return (None, [parser]) if isinstance(parser, Problem) else parser.parse()


def _text_parser(text: str, name: str) -> _FileParser | Problem:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Problem(
            name, 1, "empty file: a deck starts with front matter ('---', then id and title)"
        )
    return _FileParser(text, name)


def _place_cards(deck: Deck, spans: dict[int, tuple[int, int, int]], data: bytes) -> None:
    """Give each card of `deck` its `Span` in `data`, the file's bytes, from the lines the
    parser found (`_FileParser.spans`: a card's heading line → the head's end, the card's start
    and its end, as 0-based line numbers). The text's lines are the file's: a line break is
    `\\r\\n`, `\\r` or `\\n` in both, and none of these is a byte of a longer UTF-8
    character."""
    offset = _line_offsets(data)
    for card in deck.cards:
        found = spans.get(card.line - 1)
        if found is not None:
            head, start, end = found
            card.span = Span(offset(head), offset(start), offset(end), card.line)


def _line_offsets(data: bytes) -> Callable[[int], int]:
    """Where each line (0-based) of `data` starts, in bytes (past the last: the end)."""
    if b"\r" in data:
        starts = [0, *(match.end() for match in re.finditer(rb"\r\n|\r|\n", data))]
        return lambda line: starts[line] if line < len(starts) else len(data)
    # the common case, in C: line k starts after the k lines before it and their k newlines
    lengths = list(accumulate(map(len, data.split(b"\n")), initial=0))
    count = len(lengths) - 1
    return lambda line: lengths[line] + line if line < count else len(data)


# -- one card, from its span ---------------------------------------------------------------

LOOK_PAST = 6
"""Bytes read past a span's end: enough to see that a `#` or `##` heading starts there."""
_TITLE_OR_CARD = re.compile(rb" {0,3}#{1,2}(?:[ \t\r\n]|\Z)")
_CARD = re.compile(rb" {0,3}##(?:[ \t\r\n]|\Z)")


def read_card(
    path: Path, span: Span, position: int, shown_as: str | None = None
) -> tuple[Deck | None, list[Problem]]:
    """One card of a deck file, read from its `span` (the `Card.span` a reading of the whole
    file gave it) and the file's head alone: the deck as `read_deck_file` gives it, but with
    that one card in `cards`, the card at `position` and with `span`, equal to the whole
    file's reading of it (tests/deck/test_card_spans.py). None, with no problems, when the
    span no longer frames a card of the file (it changed since), and for a proof, whose steps
    stand on the ones before them: read the whole file then."""
    name = shown_as or str(path)
    if not 0 < span.head <= span.start < span.end or span.line < 2:
        return None, []
    try:
        found = _read_span(path, span)
    except (_NotRegular, OSError):
        return None, []
    if found is None:
        return None, []
    return parse_card(*found, span, position, name)


def _read_span(path: Path, span: Span) -> tuple[bytes, bytes] | None:
    """The head and the text of `span` in the file at `path`, if a `##` heading (the first
    card's) still starts where the head ends, the span starts a line and the file ends or a `#`
    or `##` heading starts where it ends (whether a card starts it, `parse_card` sees). A first
    card or a next one that is a setext heading (underlined) reads nothing: the whole file is
    read, as for a span the file no longer matches."""
    import os

    descriptor, size = _open_regular(path)
    try:
        if span.end > size:
            return None
        if span.start == span.head:  # the first card: one read
            data = _read_at(descriptor, 0, span.end + LOOK_PAST)
            head, text, past = data[: span.head], data[span.head : span.end], data[span.end :]
            first = text
        else:
            data = _read_at(descriptor, 0, span.head + LOOK_PAST)
            head, first = data[: span.head], data[span.head :]
            data = _read_at(descriptor, span.start - 1, span.end - span.start + 1 + LOOK_PAST)
            if data[:1] not in (b"\n", b"\r"):
                return None
            text, past = data[1 : span.end - span.start + 1], data[span.end - span.start + 1 :]
    finally:
        os.close(descriptor)
    if not head.endswith((b"\n", b"\r")) or not _CARD.match(first, 0, LOOK_PAST):
        return None  # the first card no longer starts where the head ended
    if span.end == size:
        return head, text
    if text.endswith((b"\n", b"\r")) and _TITLE_OR_CARD.match(past, 0, LOOK_PAST):
        return head, text
    return None  # the card no longer ends there


def _read_at(descriptor: int, offset: int, size: int) -> bytes:
    """Up to `size` bytes of the open file from `offset` (fewer at its end)."""
    import os

    os.lseek(descriptor, offset, os.SEEK_SET)
    chunks: list[bytes] = []
    while size > 0:
        chunk = os.read(descriptor, size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def parse_card(
    head: bytes, text: bytes, span: Span, position: int, name: str
) -> tuple[Deck | None, list[Problem]]:
    """The deck of a file's `head` (its first `span.head` bytes) and one card's `text` (the
    bytes of `span`), read as `parse_bytes` reads the whole file (see `read_card`). None, with
    no problems, when they cannot be read as the whole file would be (not UTF-8, a NUL byte,
    terminal control characters, a head that runs into the card, not one card on the span's
    first line) and for a proof."""
    if b"\x00" in head or b"\x00" in text:
        return None, []
    try:
        head_text = head.decode("utf-8-sig")
        card_text = text.decode("utf-8")
    except UnicodeDecodeError:
        return None, []
    head_text = head_text.replace("\r\n", "\n").replace("\r", "\n")
    card_text = card_text.replace("\r\n", "\n").replace("\r", "\n")
    if not head_text.endswith("\n") or has_controls(head_text) or has_controls(card_text):
        return None, []
    parser = _CardParser(head_text, card_text, span.line - 1, name)
    if parser.head_end > span.line - 1:
        return None, []
    deck, problems = parser.parse()
    if deck is None or deck.is_proof:
        return None, problems if deck is None else []
    if [card.line for card in deck.cards] != [span.line]:
        return None, []
    card = deck.cards[0]
    card.position, card.span = position, span
    return deck, problems


@dataclass
class _Region:
    """A card's body: the source lines [start, end) after its fields, and their tokens."""

    start: int
    end: int
    tokens: list[Token] = field(default_factory=list)


CHECK_KEYS = frozenset((*KEYS, *DECLARATIONS, INPUT_KEY))


class _FileParser:
    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.lines = text.split("\n")
        self.problems: list[Problem] = []
        self.head_end = len(self.lines)
        """The lines from here to the first card are blank (`_CardParser`'s padding)."""
        self.spans: dict[int, tuple[int, int, int]] | None = {}
        """Each card's heading line → the lines of the file's head and of the card, as
        (end of the head, start, end), 0-based; None when the head and the card alone would not
        read as the whole file does (`_place_cards` makes them a `Span` in bytes)."""

    def tokens(self) -> list[Token]:
        return structure_parser().parse(self.text)

    # -- problems ---------------------------------------------------------------------------

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, message, Severity.WARNING))

    # -- the file ---------------------------------------------------------------------------

    def parse(self) -> tuple[Deck | None, list[Problem]]:
        if has_controls(self.text):
            line = next(i for i, s in enumerate(self.lines, 1) if has_controls(s))
            self.warn(line, "terminal control characters removed from the text")
            self.text = strip_controls(self.text)
            self.lines = self.text.split("\n")
            self.spans = None  # an escape sequence may span lines: the lines are not the file's
        tokens = self.tokens()
        deck = self.front_matter(tokens)
        blocks = [t for t in tokens if t.level == 0 and t.map is not None]
        headings = [i for i, t in enumerate(blocks) if t.type == "heading_open"]
        h1 = [i for i in headings if blocks[i].tag == "h1"]
        h2 = [i for i in headings if blocks[i].tag == "h2"]
        first_h2_line = _start(blocks[h2[0]]) if h2 else len(self.lines)
        if h1:
            title_token = blocks[h1[0]]
            intro_start = _end(title_token)
            if _start(title_token) > first_h2_line:
                self.error(_start(title_token) + 1, "the '#' title must come before the cards")
                self.spans = None  # the head alone would read another introduction
            for extra in h1[1:]:
                self.error(_start(blocks[extra]) + 1, "one '#' title per file; use '##' for a card")
        else:
            intro_start = self.body_start(tokens)
            if deck is not None and deck.is_proof:
                self.error(deck.line, "a proof needs a '#' title followed by its statement")
        intro = self.slice(intro_start, min(first_h2_line, self.head_end))
        if deck is not None and intro.source:
            deck.intro = intro
        if not h2:
            self.error(intro_start + 1, "no cards: each card starts with a '## Title' heading")
        cards: list[Card] = []
        for n, index in enumerate(h2):
            heading = blocks[index]
            stop = h2[n + 1] if n + 1 < len(h2) else len(blocks)
            later_h1 = [i for i in h1 if index < i < stop]
            stop = min([stop, *later_h1])
            end = _start(blocks[stop]) if stop < len(blocks) else len(self.lines)
            inner = blocks[index + 1 : stop]
            title = _heading_text(self.lines[_start(heading)])
            card = self.card(heading, title, end, inner, deck)
            if card is not None and deck is not None:
                cards.append(card)
                if self.spans is not None:
                    self.spans[_start(heading)] = (first_h2_line, _start(heading), end)
        if deck is None:
            # The front matter is unusable; the cards were still read so that their own
            # problems are reported too, but the file yields no deck.
            return None, self.problems
        deck.cards = cards
        self.link_steps(deck)
        return deck, self.problems

    def front_matter(self, tokens: list[Token]) -> Deck | None:
        if not tokens or tokens[0].type != "front_matter":
            self.error(
                1,
                "no front matter: a deck starts with '---', then 'id:' and 'title:' "
                "lines, then '---'",
            )
            return None
        token = tokens[0]
        if len(token.content) > MAX_FRONT_MATTER_CHARS:
            self.error(1, f"front matter is longer than {MAX_FRONT_MATTER_CHARS:,} characters")
            return None
        twice: list[tuple[str, int, int]] = []
        try:
            data: Any = _load_yaml(token.content, twice) if token.content.strip() else {}
        except ValueError:  # an integer of thousands of digits
            self.error(1, "front matter holds a number too large to read")
            return None
        except yaml.YAMLError as exc:
            reason = getattr(exc, "problem", None) or "invalid YAML"
            line = _yaml_error_line(exc, token.content)
            self.error(line, f"front matter is not valid YAML: {reason}")
            return None
        for key, line, first in twice:  # the front matter starts on the file's line 2
            self.error(
                2 + line, f"front-matter key '{key}' given twice (first at line {2 + first})"
            )
        if not isinstance(data, dict):
            self.error(1, "front matter must be 'key: value' lines (id, title, …)")
            return None
        too_long = _longest_value(data)
        if too_long > MAX_VALUE_CHARS:
            self.error(1, f"a front-matter value is longer than {MAX_VALUE_CHARS:,} characters")
            return None
        keys = {str(k): v for k, v in data.items()}
        for key in keys:
            if key not in DECK_KEYS and key not in DECK_KEYS_TOLERATED:
                self.warn(self.fm_line(key), f"unknown front-matter key '{key}' (ignored)")
        deck_id = self.front_id(keys)
        title = keys.get("title")
        if title is not None and not isinstance(title, str):  # `title: 12`, `title: 2026-01-01`
            self.error(
                self.fm_line("title"),
                f'the front-matter title must be text: write title: "{self.fm_text("title")}"',
            )
            title = deck_id
        elif not isinstance(title, str) or not title.strip():
            self.error(
                self.fm_line("title") if "title" in keys else 1, "front matter needs a 'title'"
            )
            title = deck_id
        kind = keys.get("kind")
        if kind is not None and kind not in ("deck", "proof"):
            self.error(
                self.fm_line("kind"),
                f"front-matter kind must be 'proof' or 'deck', not '{self.fm_text('kind')}'",
            )
        deck = Deck(
            id=deck_id,
            title=strip_controls(str(title)).strip(),
            path=self.name,
            is_proof=kind == "proof",
            line=1,
        )
        for key in ("timer", "review_timer", "hint_gap"):
            if key in keys:
                setattr(deck, key, self.duration(keys[key], self.fm_line(key), key))
        if "requires" in keys:
            deck.requires_line = self.fm_line("requires")
            deck.requires = self.id_list(keys["requires"], deck.requires_line, "requires")
            if not deck.is_proof and deck.requires:  # it would silently do nothing
                self.warn(
                    deck.requires_line,
                    "front-matter 'requires' is for a proof (its first step's prerequisites) "
                    "and is ignored in a deck: put 'requires:' under each card that needs it",
                )
        if "tags" in keys:
            deck.tags = self.id_list(keys["tags"], self.fm_line("tags"), "tags", check_ids=False)
        return deck

    def front_id(self, keys: dict[str, Any]) -> str:
        deck_id = keys.get("id")
        if deck_id is None:
            self.error(1, "front matter needs an 'id'")
            return Path(self.name).stem
        # YAML reads `id: [a, b]` as a list and `id: 0x10` as 16: the id is what the author wrote
        written = re.sub(r"[ \t]+#.*", "", self.fm_text("id", short=False))  # less a comment
        text = deck_id.strip() if isinstance(deck_id, str) else written
        if not ID_PATTERN.fullmatch(text):
            shown = f"'{_shorten(text)}' " if text else ""
            self.error(
                self.fm_line("id"),
                f"deck id {shown}must be one word: lowercase words joined by '-'",
            )
        return text or Path(self.name).stem

    def fm_text(self, key: str, *, short: bool = True) -> str:
        """The text after `key:` on its front-matter line, as the author wrote it (shortened)."""
        line = self.fm_line(key)
        text = self.lines[line - 1].partition(":")[2].strip() if line > 1 else ""
        return _shorten(text) if short else text

    def fm_line(self, key: str) -> int:
        """The 1-based line of `key:` in the front matter (1 if it cannot be found)."""
        pattern = re.compile(rf"{re.escape(key)}[ \t]*:")
        for number, line in enumerate(self.lines[1:], 2):
            if line.strip() == "---":
                break
            if pattern.match(line):
                return number
        return 1

    def body_start(self, tokens: list[Token]) -> int:
        if tokens and tokens[0].type == "front_matter" and tokens[0].map:
            return tokens[0].map[1]
        return 0

    # -- cards ------------------------------------------------------------------------------

    def card(
        self, heading: Token, title: str, end: int, inner: list[Token], deck: Deck | None
    ) -> Card | None:
        line = _start(heading) + 1
        fields, body_start = self.fields(_end(heading), end)
        title = title.strip() or "(untitled)"
        shown = f"'{title}'"
        if not fields:
            self.error(
                line,
                f"card {shown} has no fields: put 'id: …' (and kind, requires) on "
                "the lines right under its heading",
            )
        card_id = fields.get("id", ("", line))[0]
        if fields and "id" not in fields:
            self.error(line, f"card {shown} has no 'id' field")
        elif card_id and not ID_PATTERN.fullmatch(card_id):
            self.error(
                fields["id"][1], f"card id {card_id!r} must be lowercase words joined by '-'"
            )
        if card_id:
            shown = f"'{card_id}'"
        is_proof = deck is not None and deck.is_proof
        kind, kind_line = fields.get("kind", ("step" if is_proof else "fact", line))
        if kind not in CARD_KINDS:
            self.error(kind_line, f"unknown kind {kind!r}; use one of {', '.join(CARD_KINDS)}")
        card = Card(
            id=card_id,
            title=title,
            kind=kind,
            deck_id=deck.id if deck else Path(self.name).stem,
            path=self.name,
            line=line,
            prompt=Text("", body_start + 1),
        )
        if "requires" in fields:
            value, card.requires_line = fields["requires"]
            card.requires = self.id_list(value, card.requires_line, "requires")
        if "tags" in fields:
            value, tags_line = fields["tags"]
            card.tags = self.id_list(value, tags_line, "tags", check_ids=False)
        for key in ("timer", "review_timer"):
            if key in fields:
                value, field_line = fields[key]
                setattr(card, key, self.duration(value, field_line, key))
        self.body(card, _Region(body_start, end, [t for t in inner if _start(t) >= body_start]))
        if card.answer is None:
            self.error(line, f"card {shown} has no '### Answer'")
        elif not card.answer.source:
            self.error(card.answer.line, f"card {shown}: '### Answer' is empty")
        if card.check is None and not card.key_ideas:
            self.error(
                line,
                f"card {shown} has nothing to judge by: add a ```check block or "
                "a '### Key ideas' list",
            )
        if not card.prompt.source:
            self.error(line, f"card {shown} has no prompt: write the question under its fields")
        self.problems += input_problems(card)  # drawn numbers: `input` lines, `{{…}}`
        return card if card_id else None

    def fields(self, start: int, end: int) -> tuple[dict[str, tuple[str, int]], int]:
        """The `key: value` lines right under a card heading, and where the body starts."""
        found: dict[str, tuple[str, int]] = {}
        index = start
        first = self.lines[index] if index < end else ""
        match = FIELD_LINE.fullmatch(first)
        if not first.strip() or match is None or match.group(1).lower() not in CARD_FIELDS:
            return found, start
        while index < end and self.lines[index].strip():
            number = index + 1
            match = FIELD_LINE.fullmatch(self.lines[index])
            index += 1
            if match is None:
                self.error(
                    number, "expected a 'key: value' field line (or a blank line before the prompt)"
                )
                continue
            key, value = match.group(1).lower(), match.group(2)
            if key not in CARD_FIELDS:
                self.warn(
                    number,
                    f"unknown card field '{key}' (ignored); fields are "
                    f"{', '.join(sorted(CARD_FIELDS))}",
                )
            elif key in found:
                self.error(number, f"field '{key}' given twice (first at line {found[key][1]})")
            else:
                found[key] = (value, number)
        return found, index

    def body(self, card: Card, region: _Region) -> None:
        """Prompt, check block and `###` sections of one card."""
        sections: list[tuple[str, int, int, list[Token]]] = []  # name, heading line, start, toks
        current: tuple[str, int, int, list[Token]] = ("prompt", region.start, region.start, [])
        skip_lines: list[tuple[int, int]] = []
        for token in region.tokens:
            if token.type == "heading_open" and token.tag == "h3":
                sections.append(current)
                name = _heading_text(self.lines[_start(token)])
                current = (name, _start(token), _end(token), [])
                continue
            if token.type == "fence" and _is_check(token):
                skip_lines.append((_start(token), _end(token)))
                self.check_block(card, token)
                continue
            current[3].append(token)
        sections.append(current)
        bounds = [s[1] for s in sections[1:]] + [region.end]
        seen: dict[str, int] = {}
        for (name, heading_line, start, tokens), end in zip(sections, bounds, strict=True):
            if name == "prompt":
                card.prompt = self.slice(start, end, skip_lines)
                continue
            key = SECTIONS.get(name.lower())
            if key is None:
                self.warn(
                    heading_line + 1,
                    f"unknown section '### {name}' (ignored); sections "
                    "are Answer, Key ideas, Hints, Why it matters",
                )
                continue
            if key in seen:
                self.error(
                    heading_line + 1,
                    f"section '### {name}' given twice (first at line {seen[key]})",
                )
                continue
            seen[key] = heading_line + 1
            if key in ("hints", "key_ideas"):
                items = self.list_items(tokens, name, heading_line + 1, ordered=key == "hints")
                setattr(card, key, items)
            else:
                setattr(card, key, self.slice(start, end, skip_lines))

    def list_items(self, tokens: list[Token], name: str, line: int, ordered: bool) -> list[Text]:
        lists = [t for t in tokens if t.type in ("ordered_list_open", "bullet_list_open")]
        others = [
            t
            for t in tokens
            if t.level == 0
            and t.type.endswith("_open")
            and t.type not in ("ordered_list_open", "bullet_list_open")
        ]
        if not lists:
            self.error(line, f"'### {name}' must be a {'numbered' if ordered else 'bulleted'} list")
            return []
        if others:
            self.warn(_start(others[0]) + 1, f"text in '### {name}' outside its list is ignored")
        if ordered and lists[0].type != "ordered_list_open":
            self.warn(
                line, "hints should be a numbered list: general first, the bottom-out hint last"
            )
        items: list[Text] = []
        for list_token in lists:
            for item in self.items_of(list_token):
                items.append(item)
        return items

    def items_of(self, list_token: Token) -> list[Text]:
        start, end = _start(list_token), _end(list_token)
        # The items of this list are the lines starting with a marker at its indentation.
        items: list[Text] = []
        indent = len(self.lines[start]) - len(self.lines[start].lstrip())
        current: list[str] = []
        current_line = start + 1
        for number in range(start, end):
            line = self.lines[number]
            marker = LIST_MARKER.match(line)
            this_indent = len(line) - len(line.lstrip())
            if marker and this_indent == indent:
                if current:
                    items.append(Text(_dedent(current), current_line))
                current = [line[marker.end() :]]
                current_line = number + 1
            else:
                current.append(line)
        if current:
            items.append(Text(_dedent(current), current_line))
        return [item for item in items if item.source]

    def check_block(self, card: Card, token: Token) -> None:
        fence_line = _start(token) + 1
        if card.check is not None:
            self.error(
                fence_line,
                f"card '{card.id or card.title}' has a second check block "
                f"(the first is at line {card.check.line})",
            )
            return
        lines: list[CheckLine] = []
        for offset, raw in enumerate(token.content.split("\n")):
            number = fence_line + 1 + offset
            stripped = raw.strip()
            if not stripped or stripped.startswith("#"):
                continue
            key, sep, value = stripped.partition(":")
            key = key.strip().lower()
            if not sep or not re.fullmatch(r"[a-z_]+", key):
                self.error(number, "expected 'key: value' in the check block")
                continue
            lines.append(CheckLine(key, value.strip(), number))
            if key not in CHECK_KEYS:
                self.warn(
                    number,
                    f"unknown check key '{key}' (ignored); see docs/check-language.md for the keys",
                )
        block = card.check = CheckBlock(tuple(lines), fence_line)
        if not block.has_expect:
            self.error(fence_line, "check block has no 'expect'")
        mode = block.last("mode")
        if mode is not None and block.mode not in MODES:  # no answer could ever be judged
            self.error(
                mode.line,
                f"check: unknown mode '{block.mode[:40]}'; the modes are {', '.join(MODES)}",
            )

    # -- proofs -----------------------------------------------------------------------------

    def link_steps(self, deck: Deck) -> None:
        for position, card in enumerate(deck.cards):
            card.position = position
            if not deck.is_proof:
                continue
            implied = deck.requires if position == 0 else [deck.cards[position - 1].id]
            card.requires = list(dict.fromkeys([*implied, *card.requires]))
            if not card.requires_line:
                card.requires_line = deck.requires_line if position == 0 else card.line

    # -- values -----------------------------------------------------------------------------

    def duration(self, value: object, line: int, key: str) -> int | None:
        try:
            return parse_duration(value)
        except DurationError as exc:
            self.error(line, f"{key}: {exc}")
            return None

    def id_list(self, value: object, line: int, key: str, *, check_ids: bool = True) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            items = [part.strip() for part in value.strip().strip("[]").split(",")]
        elif isinstance(value, list):
            items = [str(part).strip() for part in value]
        else:
            what = "card ids" if check_ids else "tags"
            self.error(line, f"{key} must be a comma-separated list of {what}")
            return []
        items = [item for item in items if item]
        if check_ids:
            for item in items:
                if not ID_PATTERN.fullmatch(item):
                    self.error(
                        line, f"{key}: {item!r} is not a card id (lowercase words joined by '-')"
                    )
        return items

    def slice(self, start: int, end: int, skip: list[tuple[int, int]] | None = None) -> Text:
        """Source lines [start, end) less the skipped ranges, trimmed of blank edges."""
        kept = [
            (number, self.lines[number])
            for number in range(start, min(end, len(self.lines)))
            if not any(a <= number < b for a, b in skip or ())
        ]
        while kept and not kept[0][1].strip():
            kept.pop(0)
        while kept and not kept[-1][1].strip():
            kept.pop()
        if not kept:
            return Text("", start + 1)
        return Text("\n".join(line for _, line in kept), kept[0][0] + 1)


class _CardParser(_FileParser):
    """Reads a file's head and one of its cards as `_FileParser` reads the whole file: the
    card's lines where they are in the file, the lines between the head and it blank (they are
    never parsed), the two parsed apart. A card starts at a `##` heading of the file's top
    level, and the head ends before the first: nothing before either changes how it reads."""

    def __init__(self, head: str, card: str, line: int, name: str) -> None:
        head_lines = head.split("\n")[:-1]  # the head ends with a line break
        super().__init__(head + card, name)
        self.lines = head_lines + [""] * (line - len(head_lines)) + card.split("\n")
        self.head_end = len(head_lines)
        self.head = head
        self.card_text = card
        self.line = line
        self.spans = None

    def tokens(self) -> list[Token]:
        parser = structure_parser()
        head = parser.parse(self.head)
        card = parser.parse(self.card_text)
        for token in card:
            if token.map is not None:
                token.map = [token.map[0] + self.line, token.map[1] + self.line]
        return head + card


def _shorten(text: str) -> str:
    """A value of the author's for a message: at most 40 characters."""
    return text if len(text) <= 40 else text[:39] + "…"


def _start(token: Token) -> int:
    return token.map[0] if token.map else 0


def _end(token: Token) -> int:
    return token.map[1] if token.map else 0


def _is_check(token: Token) -> bool:
    words = token.info.strip().split()
    return bool(words) and words[0] == "check"


def _heading_text(line: str) -> str:
    return line.strip().lstrip("#").strip().rstrip("#").strip()


def _dedent(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines.pop()
    first, rest = lines[0].strip(), lines[1:]
    indents = [len(s) - len(s.lstrip()) for s in rest if s.strip()]
    cut = min(indents, default=0)
    return "\n".join([first, *(s[cut:] for s in rest)]).strip()


class _FirstKeyKept:
    """A loader's construction of the document: each key of its top mapping with its first
    value. A key given twice is an error, as a card's field given twice is, and the first
    counts, as on a card (YAML would keep the last in silence). `twice` collects each repeat:
    its key, its line and the first one's (YAML's marks: from 0 at the front matter's first
    line)."""

    twice: list[tuple[str, int, int]]

    def construct_document(self, node: Any) -> Any:
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            kept = []
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else None
                if name is not None and name in first:
                    self.twice.append((name, key.start_mark.line, first[name]))
                    continue
                if name is not None:
                    first[name] = key.start_mark.line
                kept.append((key, value))
            node.value = kept
        return super().construct_document(node)  # type: ignore[misc]


class _NoAliasLoader(_FirstKeyKept, yaml.SafeLoader):
    """The safe loader without anchors and aliases: a deck's front matter needs neither, and
    an alias of aliases (a "billion laughs") grows without bound."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors (&name) are not allowed in front matter", event.start_mark
            )
        return super().compose_node(parent, index)


_FastLoader: Any = None
"""PyYAML's loader over libyaml (a tenth of the pure Python one's time), when PyYAML was built
with it (its wheels are), taking the first of a key given twice like `_NoAliasLoader`."""
if getattr(yaml, "__with_libyaml__", False):

    class _CFirstKeyLoader(_FirstKeyKept, yaml.CSafeLoader):
        pass

    _FastLoader = _CFirstKeyLoader


def _load_yaml(text: str, twice: list[tuple[str, int, int]]) -> Any:
    """The front matter's YAML; each top-level key given twice is added to `twice`.

    Read by libyaml when PyYAML has it and the text has no anchor, alias or tag (libyaml
    composes aliases without asking, and reads a bare tag otherwise); anything else, a YAML
    error included, is read by the pure Python loader, which refuses or places it as it always
    has: one way of saying it."""
    if _FastLoader is not None:
        try:
            if _plain(text):
                return _load_with(_FastLoader, text, twice)
        except yaml.YAMLError:
            pass
    return _load_with(_NoAliasLoader, text, twice)


def _load_with(loader_class: Any, text: str, twice: list[tuple[str, int, int]]) -> Any:
    loader = loader_class(text)
    found: list[tuple[str, int, int]] = []
    loader.twice = found
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    twice.extend(found)
    return data


def _plain(text: str) -> bool:
    """Whether libyaml finds no anchor, alias or tag (`!name`) in `text` (its events alone, no
    document made): what the two loaders read alike (tests/deck/test_front_matter_yaml.py)."""
    return not any(
        isinstance(event, yaml.AliasEvent)
        or getattr(event, "anchor", None) is not None
        or getattr(event, "tag", None) is not None
        for event in yaml.parse(text, Loader=_FastLoader)
    )


def _yaml_error_line(exc: yaml.YAMLError, text: str) -> int:
    """The file line of a YAML error in front matter `text` (which starts on line 2). YAML
    marks the place it gave up (`problem_mark`), which for a bracket or a quote left open is
    past the value, often the end of the front matter; its `context_mark` is where that bracket,
    quote or key starts, the line to fix. A block's context is only where the mapping starts
    (line 2), so there the problem's place is kept."""
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "context_mark", None) if context and "block" not in context else None
    mark = mark or getattr(exc, "problem_mark", None)
    if mark is None:
        return 2
    last = 1 + len(text.rstrip("\n").split("\n"))  # the front matter's last line
    line: int = mark.line
    return min(2 + line, last)


def _longest_value(data: Any, depth: int = 0) -> int:
    """The length of the longest string in decoded front matter (keys included)."""
    if depth > 20:
        return MAX_VALUE_CHARS + 1
    if isinstance(data, str):
        return len(data)
    if isinstance(data, dict):
        return max(
            (
                max(_longest_value(k, depth + 1), _longest_value(v, depth + 1))
                for k, v in data.items()
            ),
            default=0,
        )
    if isinstance(data, list):
        return max((_longest_value(v, depth + 1) for v in data), default=0)
    return len(str(data)) if isinstance(data, float) else 0
