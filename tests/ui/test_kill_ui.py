"""kill -9 at any moment of the terminal UI, driven through a pseudo-terminal as a person types:
the database stays sound, never two reviews of one card on one day, and the next start works."""

from __future__ import annotations

import os
import pty
import random
import select
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select as sql_select
from today.test_month import CARDS, many_cards

from tutor.store.engine import open_store
from tutor.store.models import ReviewRow
from tutor.store.queries import learner_session
from tutor.study.learner import default_learner

ROUNDS = 3


def _drain(fd: int, seconds: float) -> bytes:
    out = bytearray()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return bytes(out)


def test_kill_9_in_the_terminal_ui_loses_nothing_committed(tmp_path: Path) -> None:
    decks = many_cards(tmp_path / "decks")
    home = tmp_path / "home"
    rng = random.Random(7)
    first = date(2026, 11, 21)
    for n in range(ROUNDS):
        env = {
            **os.environ,
            "TUTOR_HOME": str(home),
            "TUTOR_CLOCK": f"{(first + timedelta(days=n)).isoformat()}T10:00:00+01:00",
            "TERM": "xterm-256color",
            "TZ": "Europe/Berlin",
        }
        env.pop("CI", None)
        main, child = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-m", "tutor.cli", "study", "--decks", str(decks)],
            stdin=child,
            stdout=child,
            stderr=child,
            env=env,
            start_new_session=True,
        )
        os.close(child)
        try:
            screen = _drain(main, 2.0)  # started and drawn
            # a person: dismisses the welcome, types answers, submits, moves on
            keys = ["\r"] + [f"{k}*x\r" for k in range(2, CARDS + 2)] + ["\r", "\r"]
            deadline = time.monotonic() + rng.uniform(0.5, 3.0)
            for key in keys:
                if time.monotonic() > deadline:
                    break
                os.write(main, key.encode())
                screen += _drain(main, 0.15)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            os.close(main)
        assert b"Traceback" not in screen, screen[-3000:].decode(errors="replace")

    engine = open_store(f"sqlite:///{home / 'tutor.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        with learner_session(engine, default_learner()) as session:
            reviews = list(session.exec(sql_select(ReviewRow)))
    finally:
        engine.dispose()
    days_and_cards = [(r.study_day, r.card_id) for r in reviews]
    assert len(set(days_and_cards)) == len(days_and_cards)  # never two reviews on one day

    # and the next run, in plain mode, starts cleanly from what the killed ones left
    done = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "study", "--plain", "--decks", str(decks)],
        input=":q\n",
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "TUTOR_HOME": str(home),
            "TUTOR_CLOCK": f"{(first + timedelta(days=ROUNDS)).isoformat()}T10:00:00+01:00",
        },
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
