"""Commits do not run on the UI's event loop (#15 item 4): every write of the terminal UI runs
on the app's one writer thread (`tutor.ui.writer`), in order and one at a time, while the loop
goes on: the timer ticks, messages are handled, the learner types. A commit the test holds
shows it; releasing it, the write lands and the screen shows it. Quitting waits for it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy import text as sql
from sqlalchemy.engine import Engine
from textual.pilot import Pilot

from tutor.study.clock import ManualClock
from tutor.today import Desk
from tutor.ui.app import TutorApp
from tutor.ui.screens.rest import RestScreen
from tutor.ui.writer import Turns, Writer

from .conftest import DeskFactory
from .test_session_screen import new_app, run, session, settle, text

WRITER = "tutor-writer"
"""The name the writer's thread starts with."""


class Gate:
    """Every commit of the desk's store passes here: the test may hold them (`close`) until it
    opens the gate again. Records the thread of each commit."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.opened = threading.Event()
        self.opened.set()
        self.held = threading.Event()
        """A commit is waiting at the closed gate."""
        self.threads: list[str] = []
        event.listen(engine, "commit", self._commit)

    def close(self) -> None:
        self.held.clear()
        self.opened.clear()

    def open(self) -> None:
        self.opened.set()

    def remove(self) -> None:
        self.opened.set()
        event.remove(self.engine, "commit", self._commit)

    def _commit(self, _connection: object) -> None:
        self.threads.append(threading.current_thread().name)
        if not self.opened.is_set():
            self.held.set()
            assert self.opened.wait(20), "the test never opened the gate"

    async def wait_held(self) -> None:
        """Until a commit waits at the gate (in a thread: the loop must go on meanwhile)."""
        assert await asyncio.to_thread(self.held.wait, 10), "no commit came to the gate"


class Calls:
    """Records when the sitting's (or the desk's) methods begin and end, and on which thread,
    and whether two threads ever ran them at the same time. A call made inside another (the
    desk's streak inside `finish`) is not logged."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str, str]] = []
        self.depth: dict[str, int] = {}
        self.overlapped = False
        self._lock = threading.Lock()

    def watch(self, target: object, *names: str) -> None:
        for name in names:
            method = getattr(target, name)
            setattr(target, name, self._wrap(name, method))

    def _wrap(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(method)
        def watched(*args: Any, **kwargs: Any) -> Any:
            thread = threading.current_thread().name
            with self._lock:
                self.overlapped |= any(n for other, n in self.depth.items() if other != thread)
                outer = not self.depth.get(thread)
                self.depth[thread] = self.depth.get(thread, 0) + 1
                if outer:
                    self.log.append((name, "begin", thread))
            try:
                return method(*args, **kwargs)
            finally:
                with self._lock:
                    self.depth[thread] -= 1
                    if outer:
                        self.log.append((name, "end", thread))

        return watched

    def names(self) -> list[str]:
        return [name for name, what, _ in self.log if what == "begin"]

    def threads(self) -> set[str]:
        return {thread for _, _, thread in self.log}


async def until(condition: Callable[[], bool], what: str) -> None:
    """Let the loop run until `condition` holds (a few seconds at most)."""
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never: {what}")


def stored(desk: Desk, query: str) -> list[tuple[Any, ...]]:
    with desk.session() as db:
        return [tuple(row) for row in db.execute(sql(query)).all()]


@pytest.fixture
def gated(open_desk: DeskFactory) -> Any:
    """A desk whose commits pass through a `Gate`."""
    desk = open_desk()
    gate = Gate(desk.engine)
    yield desk, gate
    gate.remove()


def test_a_held_commit_leaves_the_loop_running_then_the_answer_lands(
    gated: tuple[Desk, Gate], clock: ManualClock
) -> None:
    desk, gate = gated

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        loop_thread = threading.current_thread().name
        await pilot.press("3", "x")
        gate.close()
        submitted = asyncio.create_task(pilot.press("ctrl+s"))  # judged, then written
        await gate.wait_held()

        # the answer's commit is held; the loop goes on:
        assert not text(app, "#attempts").startswith("✗ incorrect")  # not shown before saved
        clock.advance(60)  # the screen's own once-a-second timer moves the countdown
        await until(lambda: "09:00 left" in text(app, "#timer"), "the timer ticked")
        for pump in (app, screen):  # the app's messages and the screen's (its repaints)
            handled = asyncio.Event()
            pump.call_later(handled.set)
            await asyncio.wait_for(handled.wait(), 5)
        typed = asyncio.create_task(pilot.press("y"))  # the learner types on
        editor = screen.query_one("#editor")
        await until(lambda: editor.text == "3xy", "the key reached the editor")  # type: ignore[attr-defined]
        assert stored(desk, "SELECT count(*) FROM attempt") == [(0,)]

        gate.open()
        await submitted
        await typed
        await settle(pilot)
        assert text(app, "#attempts").startswith("✗ incorrect")
        assert stored(desk, "SELECT answer, verdict FROM attempt") == [("3x", "incorrect")]
        assert gate.threads and loop_thread not in gate.threads
        assert {thread.split("_")[0] for thread in gate.threads} == {WRITER}

    run(new_app(desk), scenario)


def test_the_periodic_save_and_a_key_never_write_at_the_same_time(
    gated: tuple[Desk, Gate], clock: ManualClock
) -> None:
    desk, gate = gated
    calls = Calls()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        calls.watch(screen.sitting, "save", "take_hint")
        await pilot.press("escape")
        await settle(pilot)
        gate.close()
        clock.advance(600)
        screen.tick()  # ten minutes of thinking: time for the periodic save
        await gate.wait_held()
        assert calls.names() == ["save"]

        hint = asyncio.create_task(pilot.press("h"))  # the timer has run out: a hint
        handled = asyncio.Event()
        screen.call_later(handled.set)
        await asyncio.wait_for(handled.wait(), 5)  # the loop goes on
        await asyncio.sleep(0.1)  # time for the hint to begin, were it going to
        assert calls.names() == ["save"], "the hint began while the save was being written"
        assert "Hint 1 of 3" not in text(app, "#hints")

        gate.open()
        await hint
        await settle(pilot)
        assert "Hint 1 of 3: Count the copies of x." in text(app, "#hints")

    run(new_app(desk), scenario)
    assert calls.names() == ["save", "take_hint"]
    assert [what for _, what, _ in calls.log] == ["begin", "end", "begin", "end"]
    assert not calls.overlapped
    assert {thread.split("_")[0] for thread in calls.threads()} == {WRITER}
    assert stored(desk, "SELECT active_seconds, hints_shown FROM progress") == [(600.0, 1)]


def test_quitting_while_a_write_is_held_saves_it_and_the_card(
    gated: tuple[Desk, Gate], open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk, gate = gated

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        await pilot.press(*"x + ", "escape")
        clock.advance(600)
        screen.tick()
        await settle(pilot)  # the periodic save lands
        gate.close()
        hint = asyncio.create_task(pilot.press("h"))
        await gate.wait_held()
        screen.tick()  # the timer moves on; the hint shows once it is saved
        assert "Hint 1 of 3" not in text(app, "#hints")
        quitting = asyncio.ensure_future(app.action_save_and_quit())  # as SIGTERM does
        await asyncio.sleep(0.1)
        assert not quitting.done() and app.is_running  # it waits for the hint's write

        gate.open()
        await hint
        await quitting

    app = new_app(desk)
    run(app, scenario)
    assert app.return_value == "saved; “Double” resumes next time (its timer has run out)"
    assert app.writer.closed  # closed as the app exited
    assert stored(desk, "SELECT hints_shown FROM progress") == [(1,)]

    async def again(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        assert screen.sitting.resumed
        assert screen.sitting.session.hints_shown == 1
        assert "Hint 1 of 3: Count the copies of x." in text(app, "#hints")
        assert screen.query_one("#editor").text == "x + "  # type: ignore[attr-defined]

    run(new_app(open_desk()), again)


def test_every_read_and_write_of_a_day_runs_on_the_writer(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    calls = Calls()
    calls.watch(desk, "sync", "next_sitting", "streak", "next_card_at", "one_more_card")
    gate = Gate(desk.engine)
    loop_threads: list[str] = []

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        loop_threads.append(threading.current_thread().name)
        screen = session(app)
        calls.watch(screen.sitting, "submit", "add_note", "finish")
        await pilot.press("escape", "n", *"why two?", "ctrl+s")
        await settle(pilot)
        await pilot.press("a", "2", "x", "ctrl+s")
        await settle(pilot)
        await pilot.press("escape", "enter")  # keys on, keep Good
        assert screen.finished is not None
        await pilot.press("enter")  # the next card: none today
        await settle(pilot)
        assert isinstance(app.screen, RestScreen)
        assert "Streak: 1 day" in text(app, "#text")

    try:
        run(new_app(desk), scenario)
    finally:
        gate.remove()
    assert calls.names() == [
        "sync",
        "next_sitting",
        "add_note",
        "submit",
        "finish",
        "next_sitting",
        "streak",
        "next_card_at",
        "one_more_card",
    ]
    assert not calls.overlapped
    assert {thread.split("_")[0] for thread in calls.threads()} == {WRITER}
    assert gate.threads and {thread.split("_")[0] for thread in gate.threads} == {WRITER}
    assert loop_threads[0] not in calls.threads()


# -- the writer itself ---------------------------------------------------------------------------


def writer_run(body: Callable[[Writer], Awaitable[None]]) -> None:
    async def main() -> None:
        writer = Writer()
        try:
            await body(writer)
        finally:
            await writer.close()

    asyncio.run(main())


def test_the_writer_runs_writes_in_order_one_at_a_time_off_the_loop() -> None:
    async def body(writer: Writer) -> None:
        loop_thread = threading.get_ident()
        release = threading.Event()
        seen: list[tuple[int, int]] = []

        def write(n: int) -> int:
            if n == 0:
                assert release.wait(10)
            seen.append((n, threading.get_ident()))
            return n * n

        first = asyncio.ensure_future(writer.run(write, 0))
        rest = [asyncio.ensure_future(writer.run(write, n)) for n in range(1, 5)]
        await asyncio.sleep(0.05)
        assert seen == [] and not first.done()  # held; the loop is not
        release.set()
        assert await first == 0
        assert [await one for one in rest] == [1, 4, 9, 16]
        assert [n for n, _ in seen] == [0, 1, 2, 3, 4]
        assert len({thread for _, thread in seen}) == 1
        assert loop_thread not in {thread for _, thread in seen}

    writer_run(body)


def test_a_write_raises_where_it_is_awaited_and_runs_even_when_its_waiter_is_cancelled() -> None:
    async def body(writer: Writer) -> None:
        def fail() -> None:
            raise ValueError("no")

        with pytest.raises(ValueError, match="no"):
            await writer.run(fail)

        release = threading.Event()
        done: list[str] = []

        def slow() -> None:
            assert release.wait(10)
            done.append("slow")

        waiter = asyncio.ensure_future(writer.run(slow))
        await asyncio.sleep(0.01)
        waiter.cancel()
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await writer.drain()
        assert done == ["slow"]

    writer_run(body)


def test_closing_the_writer_waits_for_the_writes_queued() -> None:
    async def main() -> None:
        writer = Writer()
        done: list[int] = []
        release = threading.Event()

        def write(n: int) -> None:
            assert release.wait(10)
            done.append(n)

        for n in range(3):
            writer.submit(write, n)
        closing = asyncio.ensure_future(writer.close())
        await asyncio.sleep(0.05)
        assert not closing.done()  # the loop goes on while it waits
        release.set()
        await closing
        assert done == [0, 1, 2] and writer.closed
        with pytest.raises(RuntimeError):
            writer.submit(write, 4)

    asyncio.run(main())


def test_turns_keep_the_order_they_were_taken_in() -> None:
    async def main() -> None:
        turns = Turns()
        order: list[str] = []
        first, second, third = turns.take(), turns.take(), turns.take()
        assert turns.busy

        async def act(turn: Any, name: str, pause: float = 0) -> None:
            async with turn:
                order.append(f"{name} begins")
                await asyncio.sleep(pause)
                order.append(f"{name} ends")

        # started last to first: each still waits for the turns taken before it
        late = asyncio.ensure_future(act(third, "third"))
        dropped = asyncio.ensure_future(act(second, "second"))
        await asyncio.sleep(0)
        early = asyncio.ensure_future(act(first, "first", 0.05))
        await asyncio.sleep(0.01)
        dropped.cancel()  # a turn given up while it waits: the line goes on
        await asyncio.gather(early, late, dropped, return_exceptions=True)
        assert order == ["first begins", "first ends", "third begins", "third ends"]
        assert not turns.busy

    asyncio.run(main())
