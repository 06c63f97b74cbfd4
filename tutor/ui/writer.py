"""The one thread on which the terminal UI writes to the store.

Every action of a sitting commits (an attempt, a hint, a rating, the timer every few seconds),
and a commit can take milliseconds or seconds: a slow disk, a PostgreSQL server, a lock another
learner holds. None of them runs on Textual's event loop, which would freeze the screen: they
run here, one at a time and in the order they were asked for, since a sitting is not
thread-safe. A handler awaits its write (`await writer.run(...)`) and then updates the screen
on the loop; Textual runs one handler of a widget at a time, so a second key waits for the
first key's write.

The app makes the writer and closes it when it exits, after every pending write has landed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Writer:
    """One thread, a queue of writes, each run to its end before the next begins."""

    def __init__(self, name: str = "tutor-writer") -> None:
        # the thread starts with the first write (an app made and never run starts none)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._closed = False

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Queue `fn(*args, **kwargs)` after the writes already queued."""
        if self._closed:
            raise RuntimeError("the writer is closed: nothing more is written")
        return self._pool.submit(fn, *args, **kwargs)

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn(*args, **kwargs)` on the writer's thread and wait for it without holding up
        the event loop; its exception is raised here. A write once asked for always runs, even
        when the one waiting for it is cancelled (the app closing a screen, say)."""
        done = asyncio.wrap_future(self.submit(fn, *args, **kwargs))
        done.add_done_callback(_retrieved)
        return await asyncio.shield(done)

    async def drain(self) -> None:
        """Wait for every write queued so far."""
        await self.run(_nothing)

    @property
    def closed(self) -> bool:
        return self._closed

    async def close(self) -> None:
        """Take no more writes, and wait (without holding up the loop) until the queued ones
        have landed and the thread has ended."""
        if self._closed:
            return
        self._closed = True
        await asyncio.to_thread(self._pool.shutdown, wait=True)


def _nothing() -> None:
    return None


def _retrieved(done: asyncio.Future[Any]) -> None:
    """A write whose waiter was cancelled may still fail: its error is not left unread (the
    waiter saw nothing; the next write reports the same failure to the learner)."""
    if not done.cancelled():
        done.exception()


class Turns:
    """One at a time, in the order asked for: `async with turns.take():` takes its place in
    the line at once, when `take` is called (as a message is handled, so that actions keep the
    order of the keys and messages that brought them), then waits for the turns before it to
    end. An asyncio.Lock would let a task that had not yet started be overtaken."""

    def __init__(self) -> None:
        self._last: asyncio.Future[None] | None = None
        self._taken = 0

    @property
    def busy(self) -> bool:
        """A turn is under way or waiting."""
        return self._taken > 0

    def take(self) -> Turn:
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        before, self._last = self._last, mine
        self._taken += 1
        return Turn(self, before, mine)

    def _end(self, before: asyncio.Future[None] | None, mine: asyncio.Future[None]) -> None:
        """The turn is over: the next may begin once the one before it has ended too."""
        self._taken -= 1
        if before is None or before.done():
            _done(mine)
        else:
            before.add_done_callback(lambda _: _done(mine))


class Turn:
    """A place in the line of `Turns`, used once as `async with`."""

    def __init__(
        self, turns: Turns, before: asyncio.Future[None] | None, mine: asyncio.Future[None]
    ) -> None:
        self._turns, self._before, self._mine = turns, before, mine

    async def __aenter__(self) -> None:
        if self._before is None:
            return
        try:
            await asyncio.shield(self._before)
        except BaseException:  # cancelled while waiting: the line goes on without it
            self._turns._end(self._before, self._mine)
            raise

    async def __aexit__(self, *exc: object) -> None:
        self._turns._end(None, self._mine)


def _done(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
