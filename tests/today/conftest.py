"""A small deck set, a desk on a temporary database, and a clock the test moves."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tutor.check import judge
from tutor.check.spec import CheckSpec
from tutor.check.verdict import Verdict
from tutor.config import Settings, load_settings
from tutor.study.clock import ManualClock
from tutor.today import Desk

BERLIN = ZoneInfo("Europe/Berlin")

DECK = """\
---
id: mini
title: Mini deck
timer: 10m
review_timer: 2m
hint_gap: 1m
---

# Mini deck

## Double
id: double
kind: fact

What is $x + x$ as a product?

### Answer
$2x$

```check
expect: 2*x
real: x
```

### Hints
1. Count the copies of $x$.
2. There are two of them.
3. It is $2x$.

### Why it matters
Counting.

## Square
id: square
kind: definition
requires: double

Say what the square of $x$ is.

### Answer
$x$ multiplied by itself.

### Key ideas
- a product
- of $x$ with itself

### Hints
1. Multiply.
2. Which factors?

### Why it matters
Areas.

## Triple
id: triple
kind: fact
requires: double
timer: 3m

What is $x + x + x$ as a product?

### Answer
$3x$

```check
expect: 3*x
real: x
```

### Hints
1. Count the copies.
2. Three.

### Why it matters
Counting again.
"""


class InProcessChecker:
    """The real checker, run in this process: the tests judge simple answers, and starting the
    sandbox's worker for every desk would only add seconds."""

    def judge(self, spec: CheckSpec, answer: str) -> Verdict:
        return judge(spec, answer)

    def close(self) -> None:
        pass


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "mini.md").write_text(DECK, encoding="utf-8")
    return folder


@pytest.fixture
def settings(deck_dir: Path, tmp_path: Path) -> Settings:
    home = tmp_path / "home"
    return load_settings(decks=[str(deck_dir)], environ={"TUTOR_HOME": str(home)})


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN))


DeskFactory = Callable[..., Desk]


@functools.cache
def fresh_database() -> Path:
    """A database as open_store creates it, made once a run (creating one runs the migrations,
    tens of milliseconds each time; creation is tested in tests/store and by the tests that
    run `tutor` as a process)."""
    from tutor.store.engine import open_store

    folder = Path(tempfile.mkdtemp(prefix="tutor-fresh-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "tutor.db"
    open_store(f"sqlite:///{path}").dispose()
    assert [p.name for p in folder.iterdir()] == ["tutor.db"]  # no WAL left beside it
    return path


def desk_for(settings: Settings, clock: ManualClock, zone: tzinfo | None = BERLIN) -> Desk:
    """A desk as a new `tutor` process opens it (a fresh engine), with the test's clock, no
    FSRS fuzz, and the checker in process. A database that does not exist yet starts as a copy
    of `fresh_database`: what open_store would have created."""
    from tutor.store.engine import open_store, parse_url, sqlite_path

    path = sqlite_path(parse_url(settings.db_url))
    if path is not None and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fresh_database(), path)
    return Desk(
        settings,
        open_store(settings.db_url),
        clock=clock,
        zone=zone,
        fuzz=False,
        checker=InProcessChecker,  # type: ignore[arg-type]
    )


@pytest.fixture
def open_desk(settings: Settings, clock: ManualClock) -> Iterator[DeskFactory]:
    """Open a desk as a new `tutor` process would: a fresh engine on the same database."""
    desks: list[Desk] = []

    def make(zone: tzinfo | None = BERLIN, **changes: object) -> Desk:
        from dataclasses import replace

        desk = desk_for(replace(settings, **changes) if changes else settings, clock, zone)
        desk.sync()
        desks.append(desk)
        return desk

    yield make
    for desk in desks:
        desk.close()
