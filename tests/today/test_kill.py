"""kill -9 at any moment of `tutor study --plain`: no committed review lost, the database sound,
the unfinished card resumed."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from tutor.store.engine import open_store
from tutor.store.models import ReviewRow
from tutor.store.queries import learner_session
from tutor.study.learner import default_learner

from .test_month import CARDS, many_cards
from .test_plain import tutor

ROUNDS = 10


def test_killing_the_tutor_mid_review_loses_no_committed_review(tmp_path: Path) -> None:
    decks = many_cards(tmp_path / "decks")
    home = tmp_path / "home"
    env = {**os.environ, "TUTOR_HOME": str(home), "TZ": "Europe/Berlin"}
    # every answer in turn: the right one finishes the card, whichever it is
    answers = "".join(f"{k}*x\n" for k in range(2, CARDS + 2))
    rng = random.Random(2026)
    first = date(2026, 11, 21)
    reported: list[tuple[date, str]] = []
    killed_before_the_end = 0
    whole = 0.0
    for n in range(ROUNDS):
        day = first + timedelta(days=n)
        env["TUTOR_CLOCK"] = f"{day.isoformat()}T10:00:00+01:00"
        out_path = tmp_path / f"out-{n}.txt"
        with out_path.open("w") as out:
            started = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, "-m", "tutor.cli", "study", "--plain", "--decks", str(decks)],
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                text=True,
            )
            assert proc.stdin is not None
            proc.stdin.write(answers)
            proc.stdin.flush()
            if n == 0:  # the first run is left alone, to time a whole session on this machine
                proc.stdin.close()
                proc.wait(timeout=120)
                whole = time.monotonic() - started
            else:  # the others are killed at a random moment of a session's span
                time.sleep(rng.uniform(0.1, 0.9) * whole)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed_before_the_end += 1
            proc.wait(timeout=60)
        output = out_path.read_text()
        assert "Traceback" not in output
        card = re.search(r"; id (\S+)", output)
        if "rated " in output:  # printed only after the review was committed
            assert card is not None
            reported.append((day, card.group(1)))
    assert killed_before_the_end >= ROUNDS // 3, "the kills should land mid-session"
    assert reported, "some sessions should finish before their kill comes"

    engine = open_store(f"sqlite:///{home / 'tutor.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        with learner_session(engine, default_learner()) as session:
            reviews = list(session.exec(select(ReviewRow)))
    finally:
        engine.dispose()
    saved = {(r.study_day, r.card_id) for r in reviews}
    assert set(reported) <= saved
    assert len(saved) == len(reviews)  # never two reviews of one card on one day

    # and the next run, left alone, finishes whatever was interrupted
    env["TUTOR_CLOCK"] = f"{(first + timedelta(days=ROUNDS)).isoformat()}T10:00:00+01:00"
    done = tutor(["study", "--plain", "--decks", str(decks)], home, answers, env["TUTOR_CLOCK"])
    assert done.returncode == 0, done.stderr
    assert "rated " in done.stdout or "Nothing to study now." in done.stdout
