"""The Anki side of bench/vs_anki.py, run by the Python of the benchmark's own Anki venv (it
imports `anki` and the standard library only; never the project's code).

    python bench/anki_side.py build COLLECTION --ours DB --cards TSV --day-start TS ...
    python bench/anki_side.py measure COLLECTION --repeat 5
    python bench/anki_side.py first-card COLLECTION

`build` makes an Anki collection holding what our store holds: one note (Basic) per card of
`--cards` (id, deck, prompt, answer, one card a line, in file order), each in the subdeck of its
deck file under one parent deck; the memory state of each reviewed card (FSRS stability and
difficulty, last review, due day, review and lapse counts) set through `Collection.update_cards`;
and every review of our `review` table as a revlog row, inserted in one transaction. Our
timestamps are moved by whole seconds so that our study day starting at `--day-start` is Anki's
today, and the collection's creation time is moved back so that its history of days is ours.
FSRS is on, with its default parameters, our desired retention and daily limits, reviews
before new cards and the least retrievable review first (as our queue orders them).

`measure` prints one JSON object of wall times in milliseconds (opening and showing the next
card, answering it Good, the next card after that), and `first-card` is the whole of a fresh
process's work up to the first card, printing a line that starts with `FIRST-CARD` when the
card's question is rendered.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from anki.cards_pb2 import FsrsMemoryState
from anki.collection import AddNoteRequest, Card, Collection
from anki.scheduler.v3 import CardAnswer

PARENT = "Scale"
DAY = 86_400
REVIEW_ORDER_RETRIEVABILITY_ASCENDING = 7  # DeckConfig.Config.ReviewCardOrder
NEW_CARDS_LAST = 1  # anki.consts: reviews before new cards, as our queue has them
MAX_TAKEN_SECONDS = 60  # Anki's default cap on the time a review is logged with


def _seconds(stored: str) -> float:
    """A datetime as our store keeps it in SQLite (naive UTC text), as a Unix time."""
    return datetime.fromisoformat(stored).replace(tzinfo=UTC).timestamp()


def _progress(message: str) -> None:
    print(f"  anki: {message}", file=sys.stderr, flush=True)


def build(args: argparse.Namespace) -> None:
    start = time.perf_counter()
    col = Collection(str(args.collection))
    # history of `--days` days: day 0 of the collection is the first study day of ours
    col.crt = col.crt - args.days * DAY
    col.set_config("fsrs", True)
    conf = col.decks.get_config(1)
    assert conf is not None
    conf["new"]["perDay"] = args.new_per_day
    conf["rev"]["perDay"] = args.reviews_per_day
    conf["desiredRetention"] = args.desired_retention
    conf["reviewOrder"] = REVIEW_ORDER_RETRIEVABILITY_ASCENDING
    conf["newMix"] = NEW_CARDS_LAST
    col.decks.update_config(conf)
    col.close()

    col = Collection(str(args.collection))  # the creation time moved: reopen to read today
    today = col.sched.today
    day_start = col.sched.day_cutoff - DAY
    shift = day_start - args.day_start  # our instant t is Anki's t + shift
    _progress(f"today is day {today}; our instants move by {shift / DAY:.2f} days")

    basic = col.models.by_name("Basic")
    assert basic is not None
    decks: dict[str, int] = {}
    requests = []
    order: list[str] = []
    for line in Path(args.cards).read_text(encoding="utf-8").splitlines():
        card_id, deck_id, prompt, answer = line.split("\t")
        if deck_id not in decks:
            did = col.decks.id(f"{PARENT}::{deck_id}")
            assert did is not None
            decks[deck_id] = did
        note = col.new_note(basic)
        note["Front"] = prompt
        note["Back"] = answer
        requests.append(AddNoteRequest(note, decks[deck_id]))
        order.append(card_id)
    col.add_notes(requests)
    anki_card = {
        card_id: col.db.scalar("SELECT id FROM cards WHERE nid = ?", request.note.id)
        for card_id, request in zip(order, requests, strict=True)
    }
    parent = col.decks.id(PARENT)
    assert parent is not None
    col.decks.select(parent)
    _progress(f"{len(order):,} notes added in {time.perf_counter() - start:.1f} s")

    ours = sqlite3.connect(f"{Path(args.ours).resolve().as_uri()}?mode=ro", uri=True)
    reps: dict[str, int] = {}
    lapses: dict[str, int] = {}
    last: dict[str, float] = {}
    rows: list[list[int]] = []
    used: set[int] = set()
    reviews = ours.execute(
        "SELECT card_id, ended_at, rating, active_seconds FROM review ORDER BY id"
    )
    for card_id, ended_at, rating, active in reviews:
        at = _seconds(ended_at) + shift
        revlog_id = int(at * 1000)
        while revlog_id in used:  # the revlog's key is the instant, to the millisecond
            revlog_id += 1
        used.add(revlog_id)
        previous = last.get(card_id)
        last_ivl = max(1, round((at - previous) / DAY)) if previous is not None else 0
        first = card_id not in reps
        reps[card_id] = reps.get(card_id, 0) + 1
        if rating == 1 and not first:
            lapses[card_id] = lapses.get(card_id, 0) + 1
        last[card_id] = at
        taken = int(min(active, MAX_TAKEN_SECONDS) * 1000)
        kind = 0 if first else 1  # learning, then review
        # id, cid, usn, ease, ivl, lastIvl, factor, time, type
        rows.append(
            [revlog_id, anki_card[card_id], -1, rating, last_ivl, last_ivl, 2500, taken, kind]
        )

    def insert() -> None:
        for begin in range(0, len(rows), 50_000):
            col.db.executemany(
                "INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows[begin : begin + 50_000],
            )

    col.db.transact(insert)
    _progress(f"{len(rows):,} revlog rows in {time.perf_counter() - start:.1f} s")

    cards = []
    memories = ours.execute(
        "SELECT card_id, stability, difficulty, due, last_review FROM memory WHERE card_id IN "
        "(SELECT id FROM card WHERE NOT retired)"
    )
    for card_id, stability, difficulty, due, last_review in memories:
        card = col.get_card(anki_card[card_id])
        due_day = today + int((_seconds(due) - args.day_start) // DAY)
        last_at = _seconds(last_review) + shift if last_review else last.get(card_id)
        card.type = 2  # review
        card.queue = 2
        card.due = due_day
        card.ivl = max(1, round((_seconds(due) + shift - (last_at or 0)) / DAY))
        card.factor = 2500
        card.reps = reps.get(card_id, 1)
        card.lapses = lapses.get(card_id, 0)
        card.memory_state = FsrsMemoryState(stability=stability, difficulty=difficulty)
        card.last_review_time = int(last_at) if last_at else None
        cards.append(card)
    col.update_cards(cards, skip_undo_entry=True)
    ours.close()
    due = col.db.scalar("SELECT count() FROM cards WHERE queue = 2 AND due <= ?", today)
    _progress(f"{len(cards):,} memory states set in {time.perf_counter() - start:.1f} s")
    facts = {
        "notes": col.note_count(),
        "revlog": col.db.scalar("SELECT count() FROM revlog"),
        "reviewed": len(cards),
        "due": due,
    }
    col.close()
    print(json.dumps(facts))


def _show(col: Collection) -> tuple[Card, object]:
    """The reviewer's next card, its question rendered: `aqt.reviewer`'s `_get_next_v3_card`
    and `_showQuestion`. Returns the card and its scheduling states."""
    queued = col.sched.get_queued_cards()
    if not queued.cards:
        raise SystemExit("anki: no card is due in the collection")
    top = queued.cards[0]
    card = Card(col, backend_card=top.card)
    card.start_timer()
    card.question()
    return card, top.states


def measure(args: argparse.Namespace) -> None:
    path = str(args.collection)
    times: dict[str, list[float]] = {"open_show": [], "answer": [], "next": []}
    for _ in range(args.warmup + args.repeat):
        start = time.perf_counter()
        col = Collection(path)
        _show(col)
        times["open_show"].append((time.perf_counter() - start) * 1000)
        col.close()
    col = Collection(path)
    card, states = _show(col)
    for _ in range(args.warmup + args.repeat):
        start = time.perf_counter()
        answer = col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD)
        col.sched.answer_card(answer)
        times["answer"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        card, states = _show(col)
        times["next"].append((time.perf_counter() - start) * 1000)
    col.close()
    print(json.dumps({name: values[args.warmup :] for name, values in times.items()}))


def first_card(args: argparse.Namespace) -> None:
    col = Collection(str(args.collection))
    card, _ = _show(col)
    print(f"FIRST-CARD {card.id}", flush=True)
    col.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build")
    make.add_argument("collection", type=Path)
    make.add_argument("--ours", type=Path, required=True, help="our SQLite store")
    make.add_argument("--cards", type=Path, required=True, help="id, deck, prompt, answer (TSV)")
    make.add_argument("--day-start", type=float, required=True, help="our today's start (Unix)")
    make.add_argument("--days", type=int, required=True, help="study days before today")
    make.add_argument("--new-per-day", type=int, required=True)
    make.add_argument("--reviews-per-day", type=int, required=True)
    make.add_argument("--desired-retention", type=float, required=True)
    timing = commands.add_parser("measure")
    timing.add_argument("collection", type=Path)
    timing.add_argument("--repeat", type=int, default=5)
    timing.add_argument("--warmup", type=int, default=1)
    first = commands.add_parser("first-card")
    first.add_argument("collection", type=Path)
    args = parser.parse_args()
    {"build": build, "measure": measure, "first-card": first_card}[args.command](args)


if __name__ == "__main__":
    main()
