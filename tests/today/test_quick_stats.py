"""`tutor stats` reads a synced SQLite database with the standard library: the same figures as
the full store, and it steps aside whenever the full store has work to do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tutor.deck.files import deck_fingerprint, find_deck_files
from tutor.store.quick import quick_stats
from tutor.study.clock import ManualClock
from tutor.today import Desk

from .conftest import DeskFactory


def quick(desk: Desk, fingerprint: str | None = None) -> dict[str, object] | None:
    files, _ = find_deck_files(desk.settings.deck_dirs)
    today = desk.today()
    figures = quick_stats(
        desk.settings.db_url,
        fingerprint=fingerprint or deck_fingerprint(files),
        learner=desk.learner,
        today=today,
        end_of_today=desk.day_bounds(today)[1],
    )
    return None if figures is None else figures.to_json(desk.zone)


def test_the_quick_figures_are_the_stores(open_desk: DeskFactory, clock: ManualClock) -> None:
    answers = {"double": "2x", "square": "x times x", "triple": "3x"}
    for _ in range(3):
        desk = open_desk()
        sitting = desk.next_sitting()
        assert sitting is not None
        sitting.submit(answers[sitting.card.id])
        if sitting.card.id == "square":
            clock.advance(sitting.session.remaining())
            sitting.compare()
            sitting.assess({0, 1})
        sitting.finish()
        clock.advance(86_400)
    desk = open_desk()
    full = desk.stats().to_json(desk.zone)
    assert full["reviews"] == {"total": 3, "today": 0} and full["streak"]["longest"] == 3
    assert quick(desk) == full


def test_the_quick_path_steps_aside(open_desk: DeskFactory, deck_dir: Path, tmp_path: Path) -> None:
    desk = open_desk()
    assert quick(desk) is not None
    assert quick(desk, fingerprint="decks changed since the last sync") is None
    db = Path(desk.settings.db_url.removeprefix("sqlite:///"))
    desk.engine.dispose()
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # garbage where the schema is
    db.write_bytes(bytes(data))
    assert quick(desk) is None
    from dataclasses import replace

    missing = replace(desk.settings, database_url=f"sqlite:///{tmp_path / 'none.db'}")
    other = Desk(missing, desk.engine)
    assert quick(other) is None and not (tmp_path / "none.db").exists()


def test_tutor_stats_on_a_synced_database_loads_no_sqlalchemy(
    open_desk: DeskFactory, deck_dir: Path, tmp_path: Path
) -> None:
    desk = open_desk()  # synced
    env = {**os.environ, "TUTOR_HOME": str(tmp_path / "home")}
    code = (
        "import sys, json\n"
        "from tutor.cli import main\n"
        f"sys.argv = ['tutor', 'stats', '--json', '--decks', {str(deck_dir)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps('sqlalchemy' in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    figures_line, loaded = done.stdout.strip().splitlines()
    assert json.loads(figures_line)["cards"]["total"] == 3
    assert json.loads(loaded) is False, "the quick path was not taken"
    assert desk.settings.db_url.endswith(str(tmp_path / "home" / "tutor.db"))
