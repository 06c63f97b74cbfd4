"""A review is a new problem (deck-format.md, "Drawn numbers"): through the desk on a temporary
database, a card with inputs shows its stated values the first time and new values at each
review, judges the answer with the numbers on the screen, shows the answer with them, and
resumes with the same numbers: after quitting, in plain mode, and after kill -9."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.plain import PlainSession
from tutor.study.clock import ManualClock
from tutor.today import Desk, Sitting

from .conftest import DeskFactory
from .test_plain import tutor

DECK = """\
---
id: batches
title: Batches
timer: 10m
review_timer: 2m
hint_gap: 1m
---

# Batches

## Two batches
id: two-batches
kind: estimate

A batch holds {{n}} examples. How many examples do two batches hold?

### Answer
$2 \\cdot {{n}} = {{2*n}}$ examples.

```check
mode: numeric
input: n = 50 in 10..990 step 10
expect: 2*{{n}}
accept: {{2*n}}
accept: {{n}} + {{n}}
reject: {{n}}
reject: {{4*n}}
```

### Hints
1. Add {{n}} to itself.
2. $2 \\cdot {{n}}$.
"""

MONTH = 30 * 86_400


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "batches.md").write_text(DECK, encoding="utf-8")
    return folder


class Fixed(random.Random):
    """A generator whose draws are the `index`-th value of every range."""

    def __init__(self, index: int) -> None:
        super().__init__(0)
        self.index = index

    def randrange(self, *args: object, **kwargs: object) -> int:  # type: ignore[override]
        return self.index


class Source:
    """The injected random source: the `index`-th value of every range, and a log of calls."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.calls: list[str] = []

    def __call__(self, card_id: str, occasion: str) -> random.Random:
        self.calls.append(card_id)
        return Fixed(self.index)


def desk_with(open_desk: DeskFactory, index: int) -> tuple[Desk, Source]:
    desk = open_desk()
    source = Source(index)
    desk.draws = source
    return desk, source


def first_day(open_desk: DeskFactory, clock: ManualClock) -> None:
    """The card's first showing, with the stated value 50, reconstructed; then a month."""
    desk, source = desk_with(open_desk, 0)
    sitting = desk.next_sitting()
    assert sitting is not None and not sitting.is_review
    assert sitting.card.prompt.source.startswith("A batch holds 50 examples.")
    assert source.calls == []  # the first showing draws nothing
    verdict = sitting.submit("100")
    assert verdict is not None and verdict.verdict == "correct"
    sitting.finish()
    clock.advance(MONTH)


def review(open_desk: DeskFactory, index: int) -> Sitting:
    desk, _ = desk_with(open_desk, index)
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.card.id == "two-batches"
    return sitting


def test_a_review_shows_new_numbers_and_judges_with_them(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    first_day(open_desk, clock)
    sitting = review(open_desk, 72)  # 10 + 72·10
    assert sitting.is_review
    assert sitting.card.prompt.source.startswith("A batch holds 730 examples.")
    assert sitting.card.hints[0].source == "Add 730 to itself."
    last = sitting.submit("100")  # last time's number
    assert last is not None and last.verdict == "incorrect"
    right = sitting.submit("1460")
    assert right is not None and right.verdict == "correct"
    assert sitting.card.answer is not None
    assert sitting.card.answer.source == "$2 \\cdot 730 = 1460$ examples."


def test_a_card_resumed_by_a_new_desk_shows_the_same_numbers(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    first_day(open_desk, clock)
    sitting = review(open_desk, 17)  # 180
    assert "holds 180 examples" in sitting.card.prompt.source
    sitting.submit("200")
    sitting.save()
    clock.advance(3600)
    again = review(open_desk, 55)  # a new draw would be 560
    assert again.resumed
    assert "holds 180 examples" in again.card.prompt.source
    assert again.session.snapshot().values == {"n": "180"}
    verdict = again.submit("360")
    assert verdict is not None and verdict.verdict == "correct"


def test_the_next_review_draws_again(open_desk: DeskFactory, clock: ManualClock) -> None:
    first_day(open_desk, clock)
    sitting = review(open_desk, 17)
    sitting.submit("360")
    sitting.finish()
    clock.advance(4 * MONTH)
    later = review(open_desk, 3)
    assert "holds 40 examples" in later.card.prompt.source


def test_an_unsaved_review_draws_the_same_numbers_from_the_default_source(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    """Killed before its first save, a card has no saved values: the default source is seeded
    by the card and its last review, so it draws the same numbers again."""
    first_day(open_desk, clock)
    shown = [open_desk().next_sitting() for _ in range(2)]  # nothing saved in between
    prompts = {s.card.prompt.source for s in shown if s is not None}
    assert len(prompts) == 1 and "holds 50 examples" not in prompts.pop()


def run_plain(open_desk: DeskFactory, index: int, lines: list[str]) -> str:
    desk, _ = desk_with(open_desk, index)
    out = io.StringIO()
    PlainSession(desk, io.StringIO("".join(f"{line}\n" for line in lines)), out).run()
    return out.getvalue()


def test_plain_mode_shows_the_drawn_numbers_and_the_answer_with_them(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    first_day(open_desk, clock)
    out = run_plain(open_desk, 98, [":wait 2m", ":reveal", ":reveal", ""])  # 990
    assert "estimate, review; id two-batches" in out
    assert "A batch holds 990 examples. How many examples do two batches hold?" in out
    assert "Answer:\n  2 · 990 = 1980 examples." in out
    assert "50" not in out.split("id two-batches")[1]  # no trace of the stated value


def test_plain_mode_resumes_with_the_same_numbers(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    first_day(open_desk, clock)
    first = run_plain(open_desk, 40, [":hint"])  # 410; quits at the end of input
    assert "A batch holds 410 examples." in first
    clock.advance(600)
    second = run_plain(open_desk, 7, [":hint", "820"])
    assert "Resumed:" in second and "A batch holds 410 examples." in second
    assert "\ncorrect" in second


# -- a real process, killed ----------------------------------------------------------------------


def read_until(path: Path, text: str, proc: subprocess.Popen[str], limit: float = 60) -> str:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        out = path.read_text(encoding="utf-8")
        if text in out:
            return out
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never came:\n{path.read_text(encoding='utf-8')}")


def killed_after(decks: Path, home: Path, clock: str, stdin: str, wait_for: str, tmp: Path) -> str:
    """Run `tutor study --plain`, feed it `stdin`, wait for `wait_for`, then kill -9 it."""
    env = {**os.environ, "TUTOR_HOME": str(home), "TZ": "Europe/Berlin", "TUTOR_CLOCK": clock}
    out_path = tmp / f"out-{time.monotonic_ns()}.txt"
    with out_path.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tutor.cli", "study", "--plain", "--decks", str(decks)],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
        )
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.flush()
        try:
            shown = read_until(out_path, wait_for, proc)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
    return shown


def prompt_of(out: str) -> str:
    return next(line for line in out.splitlines() if "A batch holds" in line)


def test_kill_9_and_resume_shows_the_same_numbers(deck_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    decks = ["--decks", str(deck_dir)]
    day1 = tutor(["study", "--plain", *decks], home, "100\n\n", "2026-11-21T09:00:00+01:00")
    assert day1.returncode == 0, day1.stderr
    assert "A batch holds 50 examples." in day1.stdout and "rated Good" in day1.stdout
    review_day = "2026-12-30T09:00:00+01:00"
    # killed as soon as the card is on the screen, before anything was saved
    first = killed_after(deck_dir, home, review_day, "", "Type your reconstruction", tmp_path)
    # killed after an attempt was saved with the card's progress
    second = killed_after(deck_dir, home, review_day, "1\n", "incorrect", tmp_path)
    assert "Resumed" not in second
    third = tutor(["study", "--plain", *decks], home, "", review_day)
    assert "Resumed: " in third.stdout and "1 attempt(s)" in third.stdout
    assert prompt_of(first) == prompt_of(second) == prompt_of(third.stdout)
    assert (
        prompt_of(third.stdout)
        != "  A batch holds 50 examples. How many examples do two batches hold?"
    )
