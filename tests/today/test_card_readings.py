"""A card is shown from its reading (#15 item 5): the sync stores each card of a deck with its
deck's head as the parser read them (`tutor.deck.reading`), and a sitting takes that, reading no
file, while the card's file is as this run found it. A file changed since, a reading this
program never wrote, or a deck whose head changed (its timer) are read from the file, or synced
again, never shown from a stale reading."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import tutor.deck.parser as parser_module
import tutor.today.shelf as shelf_module
from tutor.config import Settings
from tutor.deck.model import Deck
from tutor.deck.parser import read_card, read_deck_file
from tutor.deck.reading import decode
from tutor.store import queries as q
from tutor.store.models import CardRow
from tutor.study.clock import ManualClock
from tutor.today import Desk

from .conftest import DECK, DeskFactory, desk_for


@pytest.fixture
def files_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every deck file the shelf reads to find a card: a span of it, or the whole file."""
    read: list[str] = []
    by_span, whole = parser_module.read_card, shelf_module._clean_deck

    def span(path: Path, *args: object, **kwargs: object) -> tuple[Deck | None, list[object]]:
        read.append(str(path))
        return by_span(path, *args, **kwargs)  # type: ignore[arg-type]

    def clean(path: str) -> Deck | None:
        read.append(path)
        return whole(path)

    monkeypatch.setattr(parser_module, "read_card", span)
    monkeypatch.setattr(shelf_module, "_clean_deck", clean)
    return read


def rows(desk: Desk) -> dict[str, CardRow]:
    with desk.session() as session:
        return {row.id: row for row in q.active_cards(session=session)}


def test_every_stored_reading_is_what_the_cards_span_reads(open_desk: DeskFactory) -> None:
    stored = rows(open_desk())
    assert stored and all(row.reading is not None for row in stored.values())
    for row in stored.values():
        assert row.reading is not None and row.span_head is not None
        span = shelf_module._stored_span(row)
        assert span is not None
        from_span, problems = read_card(Path(row.path), span, row.position)
        assert from_span is not None and not problems
        assert decode(row.reading, row.path, row.position, span) == (from_span.cards[0], from_span)


def test_a_sitting_is_shown_from_the_reading_without_reading_a_file(
    open_desk: DeskFactory, deck_dir: Path, files_read: list[str]
) -> None:
    open_desk()  # syncs
    desk = open_desk()  # the next start: the sync skipped
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.card.id == "double"
    deck, _ = read_deck_file((deck_dir / "mini.md").resolve())
    assert deck is not None and sitting.card == deck.cards[0]
    assert sitting.deck.timer == deck.timer == 600
    assert files_read == [] and not desk.shelf.read
    quick = Desk(desk.settings, clock=desk.clock).quick_sitting()
    assert quick is not None and quick.card == deck.cards[0]
    assert files_read == []


def test_a_file_changed_since_this_run_looked_is_read_again(
    open_desk: DeskFactory, deck_dir: Path, files_read: list[str]
) -> None:
    open_desk()
    desk = open_desk()
    assert desk.sync().skipped  # this run looked at the files: as synced
    path = deck_dir / "mini.md"
    path.write_text(DECK.replace("as a product?", "as a product, please?"), encoding="utf-8")
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.card.id == "double"
    assert "please" in sitting.card.prompt.source  # not the stale reading
    assert files_read and files_read[0] == str(path.resolve())


def test_a_reading_this_program_never_wrote_reads_the_file(
    open_desk: DeskFactory, files_read: list[str]
) -> None:
    desk = open_desk()
    with desk.session() as session:
        row = session.get(CardRow, "double")
        assert row is not None and row.reading is not None
        row.reading = row.reading.replace("What is", "What is \\u001b[2J")
        session.add(row)
        session.commit()
    sitting = open_desk().next_sitting()
    assert sitting is not None and sitting.card.id == "double"
    assert "\x1b" not in sitting.card.prompt.source
    assert len(files_read) == 1  # its span of the file


def test_a_deck_whose_head_alone_changed_is_synced_with_its_new_reading(
    settings: Settings, clock: ManualClock, deck_dir: Path, open_desk: DeskFactory
) -> None:
    """A deck's timer edited to one as long: no card's text, place or span changed, but their
    readings did, and the sitting has the new timer."""
    open_desk()
    path = deck_dir / "mini.md"
    before = path.stat()
    path.write_text(DECK.replace("timer: 10m\n", "timer: 20m\n", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    with desk_for(settings, clock) as desk:
        report = desk.sync()
        assert not report.skipped
        assert (report.added, report.updated, report.retired) == ((), (), ())
    desk = open_desk()
    assert desk.sync().skipped
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.deck.timer == 1200
    assert sitting.session.facts.timer == 1200  # a new card: the deck's timer
