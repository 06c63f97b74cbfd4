"""The terminal UI's fast start: today's card read from a synced SQLite file with the standard
library is the card, the timer and the note the full store gives, and the quick path steps aside
whenever the full store has work to do."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from tutor.deck.reading import encode as encode_reading
from tutor.store import queries as q
from tutor.store.quick import QuickReader
from tutor.study.clock import ManualClock
from tutor.today import Desk

from .conftest import DeskFactory


def reader(desk: Desk) -> QuickReader:
    from tutor.deck.files import deck_fingerprint

    found = QuickReader.open(
        desk.settings.db_url, deck_fingerprint(desk.deck_files()), desk.learner
    )
    assert found is not None
    return found


def same_sitting(quick: object, full: object) -> None:
    for name in ("resumed", "is_review", "last_note", "started_at", "memory"):
        assert getattr(quick, name) == getattr(full, name), name
    assert quick.card.id == full.card.id  # type: ignore[attr-defined]
    assert quick.session.snapshot() == full.session.snapshot()  # type: ignore[attr-defined]
    assert quick.session.facts == full.session.facts  # type: ignore[attr-defined]


def test_the_quick_reads_are_the_stores(open_desk: DeskFactory, clock: ManualClock) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    sitting.add_note("why two?")
    sitting.submit("3x")
    clock.advance(700)
    sitting.reveal()
    sitting.finish()  # double: Again, due tomorrow
    clock.advance(86_400)
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.card.id == "double"
    clock.advance(30)
    sitting.submit("x+x+x")
    today = desk.today()
    end = desk.day_bounds(today)[1]
    with desk.session() as session:
        full_queue = q.queue_data(session=session, today=today, end_of_today=end)
        full_memory = q.memory_state(session=session, card_id="double")
        full_notes = [
            (n.id, n.text, n.written_at) for n in q.notes_for(session=session, card_id="double")
        ]
        full_progress = q.load_progress(session=session)
    with reader(desk) as quick:
        assert quick.queue(today, end) == full_queue
        assert full_queue.due and full_queue.new  # both kinds of row were compared
        assert quick.memory("double") == full_memory is not None
        assert quick.memory("square") is None
        assert quick.notes("double") == full_notes == [(1, "why two?", full_notes[0][2])]
        progress = quick.progress()
        assert full_progress is not None and progress is not None
        assert (progress.card_id, progress.started_at, progress.state_json) == (
            full_progress.card_id,
            full_progress.started_at,
            full_progress.state_json,
        )
        found = desk.find_card("double")
        assert found is not None and found[0].span is not None
        card, deck = found
        assert quick.card("double") == (
            str(deck.path),
            False,
            card.position,
            card.span,
            encode_reading(card, deck),
        )
        assert quick.reviews_total() == 1


def test_the_quick_sitting_is_the_sitting(open_desk: DeskFactory, clock: ManualClock) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    sitting.add_note("a note")
    clock.advance(601)
    sitting.reveal()
    sitting.finish()
    clock.advance(86_400)  # the next day: double is due again, and its note is last time's
    first = open_desk().quick_sitting()
    full = open_desk().next_sitting()
    assert first is not None and full is not None
    same_sitting(first, full)
    assert first.last_note == "a note" and first.is_review
    clock.advance(45)
    first.submit("3x")  # saves through the store, opened on this first write
    resumed_quick, resumed_full = open_desk().quick_sitting(), open_desk().next_sitting()
    assert resumed_quick is not None and resumed_full is not None
    same_sitting(resumed_quick, resumed_full)
    assert resumed_quick.resumed and resumed_quick.session.active_seconds() == 45


def test_the_quick_path_steps_aside(open_desk: DeskFactory, clock: ManualClock) -> None:
    desk = open_desk()
    assert desk.quick_sitting() is not None
    while (sitting := desk.next_sitting()) is not None:  # today's card done: nothing to show
        sitting.submit("2x")
        sitting.finish()
    assert desk.quick_sitting() is None
    clock.advance(86_400)
    assert open_desk().quick_sitting() is not None
    (desk.settings.deck_dirs[0] / "extra.md").write_text(
        "---\nid: extra\ntitle: Extra\n---\n\n# Extra\n", encoding="utf-8"
    )
    fresh = Desk(desk.settings, clock=clock)
    assert fresh.quick_sitting() is None  # the decks changed: sync first
    assert not fresh.place.opened  # and the quick try opened no store


def test_a_quick_start_loads_no_sqlalchemy(open_desk: DeskFactory) -> None:
    desk = open_desk()
    code = (
        "import sys\n"
        "from tutor.config import load_settings\n"
        "from tutor.today import Desk\n"
        f"settings = load_settings(decks=[{str(desk.settings.deck_dirs[0])!r}], "
        f"db={desk.settings.db_url!r})\n"
        "desk = Desk(settings)\n"
        "with desk.studying():\n"
        "    sitting = desk.quick_sitting()\n"
        "print(sitting.card.id, desk.is_new(), 'sqlalchemy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["double", "True", "False"]


def test_dates_read_back_as_the_store_wrote_them(open_desk: DeskFactory) -> None:
    desk = open_desk()
    with reader(desk) as quick:
        data = quick.queue(date(2026, 3, 2), desk.day_bounds(date(2026, 3, 2))[1])
    assert [row.card_id for row in data.new] == ["double", "square", "triple"]
    assert data.unfinished is None and data.done_today == 0
