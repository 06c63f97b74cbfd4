"""`tutor report --json` after a study group's week (tests/today/learners_week.py): its figures
are checked against what each learner's tutor printed (the cards shown, every verdict and how
the answer was read, the notes saved, the cards rated). Shared by tests/today/test_learners.py
(SQLite) and tests/store/test_postgres.py (PostgreSQL)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from tutor.cli import main
from tutor.report import PLACEHOLDER

from .learners_week import Learner, clock

_SHOWN = re.compile(r"; id (double-\d+)$")


@dataclass
class Seen:
    """What the printed outputs say happened to one card."""

    learners: set[str] = field(default_factory=set)
    verdicts: list[str] = field(default_factory=list)
    wrong: Counter[str] = field(default_factory=Counter)
    wrong_learners: dict[str, set[str]] = field(default_factory=dict)
    reviews: int = 0
    first_tries: int = 0
    notes: list[str] = field(default_factory=list)


def seen_in(printed: dict[str, list[str]], learners: list[Learner]) -> dict[str, Seen]:
    """Each card's story, read from what the tutors printed, card block by card block."""
    notes = {learner.name: learner.note for learner in learners}
    cards: dict[str, Seen] = {}
    for name, days in printed.items():
        for out in days:
            current: Seen | None = None
            verdicts: list[str] = []
            for line in out.splitlines():
                shown = _SHOWN.search(line)
                if shown:
                    current = cards.setdefault(shown.group(1), Seen())
                    current.learners.add(name)
                    verdicts = []
                    continue
                if current is None:
                    continue
                if line == "correct" or line.startswith("incorrect:"):
                    verdict = line.partition(":")[0]
                    verdicts.append(verdict)
                    current.verdicts.append(verdict)
                elif line.startswith("  read as: ") and verdicts[-1] == "incorrect":
                    read_as = line.removeprefix("  read as: ")
                    current.wrong[read_as] += 1
                    current.wrong_learners.setdefault(read_as, set()).add(name)
                elif line == "note saved":
                    note = notes[name]
                    assert note is not None
                    current.notes.append(note)
                elif "; rated " in line:
                    current.reviews += 1
                    current.first_tries += int(verdicts[:1] == ["correct"])
    return cards


def check_report(
    home: Path,
    deck_dir: Path,
    db_url: str,
    learners: list[Learner],
    printed: dict[str, list[str]],
) -> None:
    """`tutor report --json` (in process) says what the printed outputs say, card by card."""
    days = len(next(iter(printed.values())))
    done = CliRunner().invoke(
        main,
        ["report", "--json", "--decks", str(deck_dir)],
        env={
            "TUTOR_HOME": str(home),
            "TUTOR_DB": db_url,
            "TUTOR_CLOCK": clock(days - 1),
            "TZ": "Europe/Berlin",
        },
    )
    assert done.exit_code == 0, done.output
    report = {card["id"]: card for card in json.loads(done.stdout)["cards"]}
    seen = seen_in(printed, learners)
    assert seen and set(seen) <= set(report)
    for card_id, card in report.items():
        story = seen.get(card_id, Seen())
        expected_wrong = [
            {
                "read_as": read_as,
                "count": count,
                "learners": len(story.wrong_learners[read_as]),
                # the deck rejects x^2 and x, not 3x: a mistake line is suggested for it
                "suggestion": f"mistake: {read_as} => {PLACEHOLDER}",
            }
            for read_as, count in sorted(story.wrong.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        figures = {key: card[key] for key in ("learners", "attempts", "hints", "reveals")}
        assert figures == {
            "learners": len(story.learners),
            "attempts": len(story.verdicts),
            "hints": 0,
            "reveals": 0,
        }, (card_id, card, story)
        assert card["reviews"] == story.reviews, (card_id, card, story)
        rate = story.first_tries / story.reviews if story.reviews else None
        assert card["first_try_success"] == rate, (card_id, card, story)
        # the tutors ran on a clock that stands still: every answer came at 0 active seconds
        answered = "correct" in story.verdicts and story.reviews > 0
        assert card["median_seconds_to_correct"] == (0.0 if answered else None), card
        assert card["wrong_answers"] == expected_wrong, (card_id, card, story)
        assert sorted(card["notes"]) == sorted(story.notes), (card_id, card, story)
